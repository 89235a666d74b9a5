using System.Formats.Tar;
using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Exec;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Exec;

/// <summary>The tar kubectl cp runs in the container: real archives of the in-memory files, both ways.</summary>
public sealed class ExecTarSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private sealed class Text : IShellOutput
    {
        public readonly StringBuilder Written = new();
        public void Write(string text) => Written.Append(text);
    }

    [Theory]
    [InlineData(new[] { "tar", "cf", "-", "/tmp/a" }, true, null)]
    [InlineData(new[] { "tar", "-xmf", "-" }, false, null)]
    [InlineData(new[] { "tar", "-xmf", "-", "-C", "/tmp" }, false, "/tmp")]
    [InlineData(new[] { "tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-", "-C", "/" }, false, "/")]
    public void The_invocations_of_kubectl_cp_are_recognised(string[] argv, bool create, string? directory)
    {
        var command = ExecTar.Parse(argv);
        Assert.NotNull(command);
        Assert.Equal(create, command.Create);
        Assert.Equal(directory, command.Directory);
    }

    [Fact]
    public void Tar_to_a_file_is_not_kubectl_cps_and_is_left_to_the_shell() =>
        Assert.Null(ExecTar.Parse(["tar", "cf", "/tmp/x.tar", "/etc"]));

    [Fact]
    public void A_directory_is_archived_with_its_entries_and_names_without_the_leading_slash()
    {
        var files = ContainerFileSystem.Empty();
        var (tree, _) = files.Resolve("/");
        tree.Write("data/a.txt", "alpha\n", append: false);
        tree.Write("data/sub/b.txt", "béta\n", append: false);
        var archive = new MemoryStream();
        var stderr = new Text();

        Assert.Equal(0, ExecTar.Create(files, ExecTar.Parse(["tar", "cf", "-", "/data"])!, archive, stderr, T0));
        Assert.Equal("tar: removing leading '/' from member names\n", stderr.Written.ToString());

        archive.Position = 0;
        var entries = new List<(string, string)>();
        using var reader = new TarReader(archive);
        while (reader.GetNextEntry() is { } e)
            entries.Add((e.Name, e.DataStream is { } s ? new StreamReader(s).ReadToEnd() : ""));
        Assert.Equal([("data/", ""), ("data/a.txt", "alpha\n"), ("data/sub/", ""), ("data/sub/b.txt", "béta\n")], entries);
    }

    [Fact]
    public void An_archive_from_stdin_is_unpacked_under_the_directory_given()
    {
        var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "conf/"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "conf/app.yaml") { DataStream = new MemoryStream("port: 80\n"u8.ToArray()) });
        }
        var files = ContainerFileSystem.Empty();
        Assert.Equal(0, ExecTar.Extract(files, ExecTar.Parse(["tar", "-xmf", "-", "-C", "/etc"])!, archive.ToArray(), new Text()));
        Assert.Equal("port: 80\n", files.Read("/etc/conf/app.yaml"));
        Assert.True(files.DirectoryExists("/etc/conf"));
    }

    [Fact]
    public void Missing_paths_and_garbage_are_busyboxs_errors()
    {
        var stderr = new Text();
        Assert.Equal(1, ExecTar.Create(ContainerFileSystem.Empty(), ExecTar.Parse(["tar", "cf", "-", "nosuch"])!, new MemoryStream(), stderr, T0));
        Assert.Equal("tar: nosuch: No such file or directory\n", stderr.Written.ToString());
        Assert.Equal(1, ExecTar.Extract(ContainerFileSystem.Empty(), ExecTar.Parse(["tar", "-xmf", "-", "-C", "/nowhere"])!, [1, 2, 3], new Text()));
        Assert.Equal(1, ExecTar.Extract(ContainerFileSystem.Empty(), ExecTar.Parse(["tar", "-xmf", "-"])!, Encoding.ASCII.GetBytes(new string('x', 1024)), new Text()));
    }
}

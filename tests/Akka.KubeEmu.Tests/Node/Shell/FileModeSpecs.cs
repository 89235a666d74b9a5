using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Volumes;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Shell;

/// <summary>
/// File modes as `ls -l`, `stat` and `chmod` show them: a Secret volume's files with the volume's
/// defaultMode or an item's mode behind the symbolic links AtomicWriter makes, and the 0644 / 0755
/// of what a container writes itself.
/// </summary>
public sealed class FileModeSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 2, 18, 0, TimeSpan.Zero);

    private static string[] Out(string script, ContainerFileSystem files)
    {
        var (_, log) = BashFeatureSpecs.Run(script, files);
        return log.Lines.Select(l => l.Text).ToArray();
    }

    // Joined, so that a failure shows the whole listing.
    private static void AssertLines(string[] expected, string[] actual) => Assert.Equal(string.Join('\n', expected), string.Join('\n', actual));

    [Fact]
    public void A_secret_volume_lists_links_to_its_data_whose_files_carry_the_default_mode_and_the_items_mode()
    {
        var secret = new FileTree();
        // defaultMode 0400 for the volume; the item "ca.crt" asks for 0644 (mode: 420).
        AtomicWriter.Write(secret, new Dictionary<string, string> { ["ca.crt"] = "cert\n", ["token"] = "s3cr3t" }, null, T0,
            new Dictionary<string, int> { ["ca.crt"] = 420, ["token"] = 256 });
        var files = new ContainerFileSystem([("/etc/secret", secret)]);
        AssertLines([
            "total 0",
            "lrwxrwxrwx    1 root     root            13 Nov 22 12:00 ca.crt -> ..data/ca.crt",
            "lrwxrwxrwx    1 root     root            12 Nov 22 12:00 token -> ..data/token",
            "total 8",
            "-rw-r--r--    1 root     root             5 Nov 22 12:00 ca.crt",
            "-r--------    1 root     root             6 Nov 22 12:00 token",
            "400", "-r-------- regular file", "777 symbolic link",
        ], Out("ls -l /etc/secret; ls -lL /etc/secret; stat -L -c %a /etc/secret/token; stat -c '%A %F' /etc/secret/..data/token; stat -c '%a %F' /etc/secret/token", files));
        Assert.Contains(Out("ls -la /etc/secret", files), l => l.StartsWith("lrwxrwxrwx", StringComparison.Ordinal) && l.EndsWith("..data -> ..2026_12_03_02_18_00.000000000", StringComparison.Ordinal));
    }

    [Fact]
    public void What_a_container_writes_is_0644_its_directories_0755_and_chmod_changes_them()
    {
        var files = new ContainerFileSystem([("/data", new FileTree())]);
        AssertLines([
            "total 4",
            "drwxr-xr-x    2 root     root          4096 Nov 22 12:00 conf",
            "-rw-r--r--    1 root     root             6 Nov 22 12:00 run.sh",
            "-rwxr-xr-x    1 root     root             6 Nov 22 12:00 /data/run.sh",
            "-rwx------    1 root     root             6 Nov 22 12:00 /data/run.sh",
            "700 750",
            "chmod: invalid mode 'z+q'",
            "chmod: /data/nope: No such file or directory",
        ], Out("""
            mkdir /data/conf; echo hello > /data/run.sh
            ls -l /data
            chmod +x /data/run.sh; ls -l /data/run.sh
            chmod go-rx /data/run.sh; ls -l /data/run.sh
            chmod -R 750 /data/conf; echo "$(stat -c %a /data/run.sh) $(stat -c %a /data/conf)"
            chmod z+q /data/run.sh
            chmod 600 /data/nope
            """, files));
    }
}

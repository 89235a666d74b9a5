using Akka.Configuration;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Volumes;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Volumes;

/// <summary>
/// The folders behind persistentVolumeClaim and hostPath volumes: what a container writes is on
/// disk, a store opened later on the same folder (another node process, or the same one after a
/// restart) reads it back, and nothing leaves the volume's folder.
/// </summary>
public sealed class VolumeStoreSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kubeemu-volumes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private VolumeSettings Settings(long max = VolumeSettings.DefaultMaxFileBytes) =>
        new(Path.Combine(_dir, "volumes"), Path.Combine(_dir, "nodes"), max);

    [Fact]
    public async Task What_a_container_writes_is_read_back_by_a_store_that_opens_the_same_folder_later()
    {
        var settings = Settings();
        var folder = settings.VolumeFolder("pvc-1");
        var first = new VolumeStore(settings);
        var tree = await first.Acquire(folder);
        var files = new ContainerFileSystem([("/usr/share/nginx/html", tree)]);
        var (t, rel) = files.Resolve("/usr/share/nginx/html/index.html");
        t.Write(rel, "hello web-0\n", append: false);
        tree.Write("logs/app.log", "one\n", append: true);
        tree.Write("logs/app.log", "two\n", append: true);
        tree.MakeDirectory("empty");
        first.Release(folder);
        await first.Flushed(folder);

        Assert.Equal("hello web-0\n", await File.ReadAllTextAsync(Path.Combine(_dir, "volumes", "pvc-1", "index.html")));
        var reopened = await new VolumeStore(settings).Acquire(folder);
        Assert.Equal("hello web-0\n", reopened.Read("index.html"));
        Assert.Equal("one\ntwo\n", reopened.Read("logs/app.log"));
        Assert.True(reopened.DirectoryExists("empty"));
        Assert.Equal(["empty", "index.html", "logs"], reopened.List(""));
    }

    [Fact]
    public async Task Two_pods_of_one_process_share_the_tree_and_a_mount_after_the_last_release_reads_the_disk_again()
    {
        var settings = Settings();
        var folder = settings.VolumeFolder("pvc-shared");
        var store = new VolumeStore(settings);
        var a = await store.Acquire(folder);
        var b = await store.Acquire(folder);
        Assert.Same(a, b);
        a.Write("f", "from a", append: false);
        Assert.Equal("from a", b.Read("f"));

        store.Release(folder);
        store.Release(folder);
        await store.Flushed(folder);
        // Another node process changed the folder meanwhile.
        await File.WriteAllTextAsync(Path.Combine(folder, "f"), "from another process");
        var c = await store.Acquire(folder);
        Assert.NotSame(a, c);
        Assert.Equal("from another process", c.Read("f"));
    }

    [Fact]
    public async Task Removed_files_and_directories_leave_the_disk_and_a_write_killed_halfway_is_never_read()
    {
        var settings = Settings();
        var folder = settings.VolumeFolder("pvc-rm");
        var store = new VolumeStore(settings);
        var tree = await store.Acquire(folder);
        tree.Write("keep", "k", append: false);
        tree.Write("dir/a", "a", append: false);
        tree.Write("dir/sub/b", "b", append: false);
        tree.Write("gone", "g", append: false);
        tree.Remove("gone", recursive: false);
        tree.Remove("dir", recursive: true);
        store.Release(folder);
        await store.Flushed(folder);
        Assert.Equal(["keep"], Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));

        // What a process killed during a replace leaves behind.
        await File.WriteAllTextAsync(Path.Combine(folder, "keep" + DiskVolume.TemporarySuffix), "half");
        var reopened = await new VolumeStore(settings).Acquire(folder);
        Assert.Equal(["keep"], reopened.List(""));
        Assert.Equal("k", reopened.Read("keep"));
    }

    [Fact]
    public async Task A_file_is_cut_at_the_size_limit_on_disk_and_in_the_tree()
    {
        var settings = Settings(max: 2048);
        var folder = settings.VolumeFolder("pvc-big");
        var store = new VolumeStore(settings);
        var tree = await store.Acquire(folder);
        tree.Write("big", new string('x', 1500), append: false);
        tree.Write("big", new string('y', 1500), append: true);
        await store.Flushed(folder);
        Assert.Equal(2048, tree.Read("big")!.Length);
        Assert.Equal(2048, new FileInfo(Path.Combine(folder, "big")).Length);
    }

    [Fact]
    public async Task A_path_that_would_leave_the_volume_is_refused_and_reported()
    {
        var failures = new List<string>();
        var disk = new DiskVolume(Path.Combine(_dir, "volumes", "pvc-x"), (path, _) => { lock (failures) failures.Add(path); });
        var tree = disk.Load(1024);
        tree.Write("../escaped", "no", append: false);
        tree.Write("ok", "yes", append: false);
        await disk.WhenIdle();
        Assert.False(File.Exists(Path.Combine(_dir, "volumes", "escaped")));
        Assert.Equal("yes", await File.ReadAllTextAsync(Path.Combine(_dir, "volumes", "pvc-x", "ok")));
        Assert.Equal(["../escaped"], failures);
    }

    [Fact]
    public async Task A_subPath_mount_shows_one_directory_of_the_volume_and_writes_land_in_it()
    {
        var settings = Settings();
        var folder = settings.VolumeFolder("pvc-mysql");
        var store = new VolumeStore(settings);
        var tree = await store.Acquire(folder);
        tree.MakeDirectory("mysql");
        var files = ContainerFileSystem.WithSubPaths([("/var/lib/mysql", tree, "mysql"), ("/whole", tree, "")]);
        var (t, rel) = files.Resolve("/var/lib/mysql/ibdata1");
        t.Write(rel, "data", append: false);
        Assert.True(files.DirectoryExists("/var/lib/mysql"));
        Assert.Equal("data", files.Read("/whole/mysql/ibdata1"));
        await store.Flushed(folder);
        Assert.Equal("data", await File.ReadAllTextAsync(Path.Combine(folder, "mysql", "ibdata1")));
    }

    [Fact]
    public void HostPath_volumes_are_folders_of_each_node_and_never_the_real_host_path()
    {
        var settings = Settings();
        Assert.Equal(Path.Combine(_dir, "nodes", "node-1", "root", "var", "log"), settings.HostFolder("node-1", "/var/log/"));
        Assert.Equal(Path.Combine(_dir, "nodes", "node-2", "root", "etc"), settings.HostFolder("node-2", "/../../etc"));
        Assert.NotEqual(settings.HostFolder("node-1", "/data"), settings.HostFolder("node-2", "/data"));
    }

    [Fact]
    public void The_folders_default_to_the_state_directory_and_a_configured_folder_wins()
    {
        var defaults = ConfigurationFactory.ParseString("kubeemu.volumes { dir = \"\", host-path-dir = \"\", max-file-size = 1Mi }");
        var filled = VolumeSettings.From(VolumeSettings.WithStateDirectory(defaults, "/tmp/state"))!;
        Assert.Equal(("/tmp/state/volumes", "/tmp/state/nodes", 1024L * 1024), (filled.VolumesDirectory, filled.HostPathDirectory, filled.MaxFileBytes));

        var configured = ConfigurationFactory.ParseString("kubeemu.volumes { dir = \"/srv/pv\", host-path-dir = \"\" }");
        var kept = VolumeSettings.From(VolumeSettings.WithStateDirectory(configured, "/tmp/state"))!;
        Assert.Equal(("/srv/pv", "/tmp/state/nodes"), (kept.VolumesDirectory, kept.HostPathDirectory));
        Assert.Null(VolumeSettings.From(defaults));
    }
}

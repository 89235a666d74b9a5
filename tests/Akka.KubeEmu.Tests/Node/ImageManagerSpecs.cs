using Akka.Actor;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.Kubelet;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

public sealed class ImageManagerSpecs
{
    private static readonly ImageCatalog Catalog = ImageCatalog.Load(File.ReadAllText(NodeTestBase.RepoFile("config/images.yaml")));
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pulls_are_serial_and_a_pull_queued_behind_the_same_image_only_resolves_its_manifest()
    {
        var images = new ImageManager(Catalog, TimeSpan.FromMilliseconds(400));
        // Ten pods of a Deployment land on a node without their image: all ask before the first pull ends.
        for (var pod = 0; pod < 10; pod++)
            Assert.IsType<ImagePullStarted>(images.Ensure(new EnsureImage(0, 0, "nginx:1.14.2", "IfNotPresent"), ActorRefs.Nobody, Now));

        Assert.Equal(TimeSpan.FromMilliseconds(400), images.StartNext(Now));
        Assert.Null(images.StartNext(Now)); // one at a time (serializeImagePulls)
        Assert.IsType<ImagePulled>(images.Complete(Now.AddMilliseconds(400))!.Value.Answer);
        for (var pod = 1; pod < 10; pod++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(100), images.StartNext(Now));
            Assert.IsType<ImagePulled>(images.Complete(Now)!.Value.Answer);
        }
        // Once present, IfNotPresent needs no pull at all.
        Assert.IsType<ImagePresent>(images.Ensure(new EnsureImage(0, 1, "nginx:1.14.2", "IfNotPresent"), ActorRefs.Nobody, Now));
    }
}

/// <summary>A node's images on its disk: what a rebooted node (a restarted process) finds again.</summary>
public sealed class NodeImageStoreSpecs : IDisposable
{
    private static readonly ImageCatalog Catalog = ImageCatalog.Load(File.ReadAllText(NodeTestBase.RepoFile("config/images.yaml")));
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly Support.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private NodeImageStore Store(List<string>? failures = null) =>
        NodeImageStore.For("node-1", new Actors.Node.Volumes.VolumeSettings(Path.Combine(_dir.Path, "volumes"), Path.Combine(_dir.Path, "nodes"), 1 << 20),
            Catalog, (file, e) => failures?.Add(e.Message));

    private static ImagePulled Pull(ImageManager images, string image)
    {
        Assert.IsType<ImagePullStarted>(images.Ensure(new EnsureImage(0, 0, image, "IfNotPresent"), ActorRefs.Nobody, Now));
        images.StartNext(Now);
        return Assert.IsType<ImagePulled>(images.Complete(Now)!.Value.Answer);
    }

    [Fact]
    public void Images_pulled_before_a_restart_are_present_after_it()
    {
        var before = new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), Store());
        Pull(before, "nginx:1.14.2");
        Pull(before, "busybox");
        Assert.True(File.Exists(Path.Combine(_dir.Path, "nodes", "node-1", NodeImageStore.FileName)));

        var after = new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), Store());
        Assert.Equal(before.Images.Select(i => i.Names[1]).Order(), after.Images.Select(i => i.Names[1]).Order());
        Assert.Contains(after.Images, i => i.Names[1] == "docker.io/library/nginx:1.14.2" && i.SizeBytes > 0);
        Assert.IsType<ImagePresent>(after.Ensure(new EnsureImage(0, 0, "nginx:1.14.2", "IfNotPresent"), ActorRefs.Nobody, Now));
        // Another node's disk is its own.
        var other = NodeImageStore.For("node-2", new Actors.Node.Volumes.VolumeSettings(Path.Combine(_dir.Path, "volumes"), Path.Combine(_dir.Path, "nodes"), 1 << 20), Catalog);
        Assert.Empty(new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), other).Images);
    }

    [Fact]
    public void A_node_folder_removed_while_the_node_runs_is_made_again_by_a_later_save()
    {
        var failures = new List<string>();
        var images = new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), Store(failures));
        Pull(images, "nginx:1.14.2");
        var folder = Path.Combine(_dir.Path, "nodes", "node-1");
        Directory.Delete(folder, recursive: true);

        // The save right after the removal may fail (and says so); the node's images are on disk again after the next.
        Pull(images, "busybox");
        Pull(images, "redis");
        var saved = System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllBytes(Path.Combine(folder, NodeImageStore.FileName)))!;
        Assert.Contains("docker.io/library/nginx:1.14.2", saved);
        Assert.Contains("docker.io/library/redis:latest", saved);
        Assert.True(failures.Count <= 1, string.Join("; ", failures));
    }

    [Fact]
    public void A_damaged_file_is_an_empty_store_and_is_written_again_at_the_next_pull()
    {
        var file = Path.Combine(_dir.Path, "nodes", "node-1", NodeImageStore.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "{not json");
        var failures = new List<string>();
        var images = new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), Store(failures));
        Assert.Empty(images.Images);
        Assert.Single(failures);
        Pull(images, "nginx:1.14.2");
        Assert.Single(new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), Store()).Images);
    }

    [Fact]
    public void Without_a_node_disk_nothing_is_kept()
    {
        var images = new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), NodeImageStore.InMemory(Catalog));
        Pull(images, "nginx:1.14.2");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir.Path));
        Assert.Empty(new ImageManager(Catalog, TimeSpan.FromMilliseconds(300), NodeImageStore.InMemory(Catalog)).Images);
    }
}

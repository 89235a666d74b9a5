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

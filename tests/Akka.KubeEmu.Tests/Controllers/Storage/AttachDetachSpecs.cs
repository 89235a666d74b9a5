using Akka.KubeEmu.Actors.Controllers.AttachDetach;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Storage;

/// <summary>
/// The attach/detach controller in virtual time: VolumeAttachments follow the nodes whose pods
/// mount a claim; a ReadWriteOnce volume is attached to one node at a time, a ReadWriteMany one
/// to all of them.
/// </summary>
public sealed class AttachDetachSpecs : StorageSpecBase
{
    private IReadOnlyList<V1VolumeAttachment> Attachments() => Await(Api.List<V1VolumeAttachment>()).Object;

    private string VolumeOf(string claim) => ClaimIn(claim, "Bound").Spec.VolumeName;

    [Fact]
    public void A_ReadWriteOnce_volume_in_use_on_one_node_makes_a_pod_on_another_wait_with_the_Multi_Attach_error_until_it_is_detached()
    {
        StartStorage();
        StartController(AttachDetachController.Props);
        CreateClaim("data");
        var volume = VolumeOf("data");
        CreatePodWithClaims("first", "data");
        Bind("first", "node-1");
        var attached = Eventually(() => Attachments().SingleOrDefault(a => a.Status?.Attached == true), Budget, "the volume attached to node-1");
        Assert.Equal((VolumeAttachments.Name(volume, "node-1"), "node-1", volume, "kubeemu.io/local", true),
            (attached.Metadata.Name, attached.Spec.NodeName, attached.Spec.Source.PersistentVolumeName, attached.Spec.Attacher, attached.Status?.Attached == true));

        CreatePodWithClaims("second", "data");
        Bind("second", "node-2");
        WaitForEvents("second", "FailedAttachVolume", 1);
        Assert.Equal([$"Multi-Attach error for volume \"{volume}\" Volume is already used by pod(s) first"], EventMessages("second", "FailedAttachVolume"));
        Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["node-1"], Attachments().Select(a => a.Spec.NodeName));

        // The first pod goes: the volume is detached from node-1 and attached to node-2.
        Assert.Null(Await(Api.Delete<V1Pod>("default", "first", new Actors.Api.Rest.DeleteRequest(GracePeriodSeconds: 0))));
        Eventually(() => Attachments() is [{ Spec.NodeName: "node-2", Status.Attached: true }] ? "ok" : null, Budget, "the volume moved to node-2");
    }

    [Fact]
    public void A_ReadWriteMany_volume_attaches_to_every_node_of_its_pods_and_a_finished_pod_detaches_it()
    {
        StartStorage();
        StartController(AttachDetachController.Props);
        CreateClaim("shared", modes: ["ReadWriteMany"]);
        VolumeOf("shared");
        CreatePodWithClaims("a", "shared");
        CreatePodWithClaims("b", "shared");
        Bind("a", "node-1");
        Bind("b", "node-2");
        Eventually(() => Attachments().Count == 2 ? "ok" : null, Budget, "attached to both nodes");
        Assert.Equal(["node-1", "node-2"], Attachments().Select(a => a.Spec.NodeName).Order());
        Assert.Equal(0, EventCount("b", "FailedAttachVolume"));

        SetPhase("a", "Succeeded");
        Eventually(() => Attachments() is [{ Spec.NodeName: "node-2" }] ? "ok" : null, Budget, "detached from node-1");
    }
}

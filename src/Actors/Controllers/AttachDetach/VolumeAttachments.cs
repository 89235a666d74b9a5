using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Volumes;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.AttachDetach;

/// <summary>
/// What attaching means here: a VolumeAttachment (storage.k8s.io/v1) per volume and node, named
/// as the CSI attacher names it (csi-&lt;sha256 of volume, attacher and node&gt;), so the kubelet
/// finds the one it waits for by name. The emulator's volumes attach through kubeemu.io/local; a
/// hand-made hostPath volume is on the node's own disk and attaches nowhere, as hostPath is not an
/// attachable plugin.
/// </summary>
public static class VolumeAttachments
{
    public const string Attacher = StorageAnnotations.LocalProvisioner;

    /// <summary>VolumeAttachments by the PersistentVolume they attach.</summary>
    public const string ByVolumeIndex = "va-persistent-volume";

    public static IEnumerable<string> ByVolume(V1VolumeAttachment attachment) =>
        attachment.Spec?.Source?.PersistentVolumeName is { Length: > 0 } pv ? [pv] : [];

    public static string Name(string volume, string node) => VolumeLocator.AttachmentName(volume, node);

    public static bool IsAttachable(V1PersistentVolume volume) => !VolumeLocator.IsNodeLocal(volume);

    /// <summary>isMultiAttachAllowed: a volume with no access modes, or any mode beyond ReadWriteOnce(Pod), may attach to several nodes.</summary>
    public static bool IsMultiAttachAllowed(V1PersistentVolume volume)
    {
        var modes = volume.Spec?.AccessModes;
        return modes is null || modes.Count == 0 || modes.Any(m => m is not ("ReadWriteOnce" or "ReadWriteOncePod"));
    }
}

using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Volumes;

/// <summary>Where a pod volume's data is, or why the kubelet cannot tell yet.</summary>
/// <param name="Folder">The folder on this machine.</param>
/// <param name="Error">The kubelet's reason (desired_state_of_world_populator's wording); retried with back-off.</param>
/// <param name="Volume">The PersistentVolume behind a claim (null for hostPath pod volumes).</param>
/// <param name="Unattached">The volume is not attached to the node yet: the kubelet waits, without an event.</param>
public sealed record VolumeLocation(string? Folder, string? Error, V1PersistentVolume? Volume = null, bool Unattached = false);

/// <summary>
/// The kubelet's desired-state-of-world populator for the volumes whose data outlives the pod:
/// a claim is followed to its bound PersistentVolume (getPVCExtractPV, getPVSpec, with their
/// errors), and the volume to its folder. A volume the emulator made (or any source without a
/// node-local path) has one folder for the whole cluster, so it follows its pods from node to
/// node; a hostPath (a pod's, or a hand-made PersistentVolume's) is a path of the node's own disk.
/// </summary>
public static class VolumeLocator
{
    public static async Task<VolumeLocation> Locate(ApiClient api, VolumeSettings settings, string node, string ns, VolumeModel volume)
    {
        if (volume.HostPath is { } hostPath) return new VolumeLocation(settings.HostFolder(node, hostPath), null);
        var claimName = volume.ClaimName ?? "";
        var claim = await api.Get<V1PersistentVolumeClaim>(ns, claimName).ConfigureAwait(false);
        string Failed(string why) => $"error processing PVC {ns}/{claimName}: {why}";
        if (!claim.Ok) return new VolumeLocation(null, Failed($"failed to fetch PVC from API server: {claim.Error!.Message}"));
        var pvc = claim.Value!;
        if (KubeModels.IsDeleting(pvc)) return new VolumeLocation(null, Failed("PVC is being deleted"));
        if (pvc.Status?.Phase != "Bound" || string.IsNullOrEmpty(pvc.Spec?.VolumeName)) return new VolumeLocation(null, Failed("PVC is not bound"));
        var pvName = pvc.Spec.VolumeName;
        var pv = await api.Get<V1PersistentVolume>("", pvName).ConfigureAwait(false);
        if (!pv.Ok) return new VolumeLocation(null, Failed($"failed to fetch PV {pvName} from API server: {pv.Error!.Message}"));
        var persistentVolume = pv.Value!;
        if (persistentVolume.Spec?.ClaimRef is not { } claimRef)
            return new VolumeLocation(null, Failed($"found PV object {pvName} but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim"));
        if (claimRef.Uid != pvc.Metadata.Uid)
            return new VolumeLocation(null, Failed($"found PV object {pvName} but its pv.Spec.ClaimRef.UID {claimRef.Uid} does not point to claim.UID {pvc.Metadata.Uid}"));
        if (!IsNodeLocal(persistentVolume))
        {
            // WaitForAttach: the attach/detach controller attaches the volume to this node first.
            var attachment = await api.Get<V1VolumeAttachment>("", AttachmentName(pvName, node)).ConfigureAwait(false);
            if (attachment.Value?.Status?.Attached != true) return new VolumeLocation(null, null, persistentVolume, Unattached: true);
        }
        return new VolumeLocation(FolderOf(persistentVolume, settings, node), null, persistentVolume);
    }

    /// <summary>The CSI attacher's VolumeAttachment name: csi-&lt;sha256 of volume, attacher and node&gt;.</summary>
    public static string AttachmentName(string volume, string node) =>
        "csi-" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(volume + StorageAnnotations.LocalProvisioner + node))).ToLowerInvariant();

    /// <summary>The folder of a PersistentVolume's data as seen from <paramref name="node"/>.</summary>
    public static string FolderOf(V1PersistentVolume volume, VolumeSettings settings, string node) =>
        IsNodeLocal(volume) ? settings.HostFolder(node, volume.Spec!.HostPath!.Path) : settings.VolumeFolder(volume.Metadata.Name);

    /// <summary>A hostPath volume someone made by hand lives on each node's disk; the emulator's own volumes do not.</summary>
    public static bool IsNodeLocal(V1PersistentVolume volume) =>
        volume.Spec?.HostPath is not null
        && volume.Metadata.Annotations?.Lookup(StorageAnnotations.ProvisionedBy) != StorageAnnotations.LocalProvisioner;
}

using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.PersistentVolume;

/// <summary>syncVolume and reclaimVolume: a volume is Available, Bound, or Released and reclaimed by its policy.</summary>
public sealed partial class PersistentVolumeController
{
    /// <summary>hostPath volumes kube-controller-manager's deleter accepts (it refuses to remove anything else from its host).</summary>
    private const string DeletableHostPathPrefix = "/tmp/";

    private async Task<SyncResult> SyncVolume(string name)
    {
        var volume = _volumes.Get(name);
        if (volume is null) return SyncResult.Done;
        var claimRef = volume.Spec?.ClaimRef;
        if (claimRef is null || string.IsNullOrEmpty(claimRef.Uid))
        {
            // Unused, or reserved by the user for a claim that the claim's sync will bind.
            return await UpdateVolumePhase(volume, "Available", null) is null ? SyncResult.Retry : SyncResult.Done;
        }

        var claim = _claims.Get(claimRef.NamespaceProperty, claimRef.Name);
        if (claim is null && volume.Status?.Phase is not ("Released" or "Failed"))
        {
            // The claim may be newer than this cache (a volume made by a provisioner): ask the API before releasing.
            var live = await Api.Get<V1PersistentVolumeClaim>(claimRef.NamespaceProperty, claimRef.Name);
            if (live.Ok) claim = live.Object;
            else if (!live.IsNotFound) _ = live.Object;
        }
        if (claim is not null && claim.Metadata.Uid != claimRef.Uid) claim = null; // deleted and created again under the same name

        if (claim is null)
        {
            if (volume.Status?.Phase is not ("Released" or "Failed"))
            {
                volume = await UpdateVolumePhase(volume, "Released", null);
                if (volume is null) return SyncResult.Retry;
            }
            return await ReclaimVolume(volume);
        }
        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            // Bound on the volume's side only: the claim's sync finishes the binding.
            _self.Tell(new EnqueueClaim(KubeModels.Key(claim)), ActorRefs.NoSender);
            return SyncResult.Done;
        }
        if (claim.Spec.VolumeName == volume.Metadata.Name)
            return await UpdateVolumePhase(volume, "Bound", null) is null ? SyncResult.Retry : SyncResult.Done;

        // The claim is bound to another volume.
        if (volume.Metadata.Annotations?.ContainsKey(StorageAnnotations.ProvisionedBy) == true && volume.Spec?.PersistentVolumeReclaimPolicy == "Delete")
        {
            if (volume.Status?.Phase is not ("Released" or "Failed"))
            {
                volume = await UpdateVolumePhase(volume, "Released", null);
                if (volume is null) return SyncResult.Retry;
            }
            return await ReclaimVolume(volume);
        }
        return await UnbindVolume(volume);
    }

    /// <summary>reclaimVolume: Retain keeps the volume Released; Recycle scrubs it back to Available; Delete removes it.</summary>
    private async Task<SyncResult> ReclaimVolume(V1PersistentVolume volume)
    {
        switch (volume.Spec?.PersistentVolumeReclaimPolicy)
        {
            case "Retain":
                return SyncResult.Done;
            case "Recycle":
                return await RecycleVolume(volume);
            case "Delete":
                return await DeleteReleasedVolume(volume);
            default:
                return await UpdateVolumePhaseWithEvent(volume, "Failed", EventRecorder.Warning, "VolumeUnknownReclaimPolicy",
                    "Volume has unrecognized PersistentVolumeReclaimPolicy") is null ? SyncResult.Retry : SyncResult.Done;
        }
    }

    /// <summary>
    /// deleteVolumeOperation. A volume an external provisioner made is that provisioner's to delete;
    /// of the in-tree deleters only hostPath's exists here, and it deletes only under /tmp, as
    /// kube-controller-manager's does; anything else fails with Kubernetes' messages.
    /// </summary>
    private async Task<SyncResult> DeleteReleasedVolume(V1PersistentVolume volume)
    {
        if (volume.Metadata.DeletionTimestamp is not null) return SyncResult.Done;
        if (volume.Metadata.Annotations?.Lookup(StorageAnnotations.ProvisionedBy) is { Length: > 0 } provisioner
            && !provisioner.StartsWith("kubernetes.io/", StringComparison.Ordinal))
            return SyncResult.Done; // the external provisioner deletes it
        string failure;
        if (volume.Spec?.HostPath is { } hostPath)
        {
            if (hostPath.Path.StartsWith(DeletableHostPathPrefix, StringComparison.Ordinal) && hostPath.Path.Length > DeletableHostPathPrefix.Length)
            {
                var deleted = await Api.Delete<V1PersistentVolume>("", volume.Metadata.Name);
                if (deleted is not null && deleted.Code != 404) throw new ApiException(deleted);
                return SyncResult.Done;
            }
            failure = $"host_path deleter only supports /tmp/.+ but received provided {hostPath.Path}";
        }
        else failure = $"error getting deleter volume plugin for volume \"{volume.Metadata.Name}\": no deletable volume plugin matched";
        return await UpdateVolumePhaseWithEvent(volume, "Failed", EventRecorder.Warning, "VolumeFailedDelete", failure) is null
            ? SyncResult.Retry : SyncResult.Done;
    }

    /// <summary>recycleVolumeOperation: hostPath and NFS volumes are scrubbed and offered again; others have no recycler.</summary>
    private async Task<SyncResult> RecycleVolume(V1PersistentVolume volume)
    {
        if (volume.Spec?.HostPath is null && volume.Spec?.Nfs is null)
            return await UpdateVolumePhaseWithEvent(volume, "Failed", EventRecorder.Warning, "VolumeFailedRecycle", "No recycler plugin found for the volume!")
                is null ? SyncResult.Retry : SyncResult.Done;
        var clone = KubeModels.Clone(volume);
        clone.Spec.ClaimRef = null;
        clone.Metadata.Annotations?.Remove(StorageAnnotations.BoundByController);
        var recycled = Written(await Api.Update(clone));
        if (recycled is null) return SyncResult.Retry;
        await Recorder.Event(recycled, EventRecorder.Normal, "VolumeRecycled", "Volume recycled");
        return await UpdateVolumePhase(recycled, "Available", null) is null ? SyncResult.Retry : SyncResult.Done;
    }
}

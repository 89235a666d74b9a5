using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.PersistentVolume;

/// <summary>
/// bind and its steps, each a write that is skipped when it would change nothing: the volume's
/// claimRef, the volume's phase, the claim's volumeName and annotations, the claim's status. Each
/// step continues from what the previous one wrote; a conflict (a stale cache) stops the binding,
/// and the next sync of either side finishes it.
/// </summary>
public sealed partial class PersistentVolumeController
{
    private async Task<SyncResult> Bind(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        var boundVolume = await BindVolumeToClaim(volume, claim);
        if (boundVolume is null) return SyncResult.Retry;
        boundVolume = await UpdateVolumePhase(boundVolume, "Bound", null);
        if (boundVolume is null) return SyncResult.Retry;
        var boundClaim = await BindClaimToVolume(claim, boundVolume);
        if (boundClaim is null) return SyncResult.Retry;
        return await UpdateClaimStatus(boundClaim, "Bound", boundVolume) is null ? SyncResult.Retry : SyncResult.Done;
    }

    /// <summary>bindVolumeToClaim: claimRef with the claim's uid; bound-by-controller unless the user reserved the volume for it.</summary>
    private async Task<V1PersistentVolume?> BindVolumeToClaim(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        var setBoundByController = !VolumeMatching.IsVolumeBoundToClaim(volume, claim);
        var clone = KubeModels.Clone(volume);
        var dirty = false;
        if (volume.Spec?.ClaimRef is not { } r || r.Name != claim.Metadata.Name || r.NamespaceProperty != claim.Metadata.NamespaceProperty
            || r.Uid != claim.Metadata.Uid)
        {
            clone.Spec.ClaimRef = new V1ObjectReference
            {
                ApiVersion = "v1", Kind = "PersistentVolumeClaim", NamespaceProperty = claim.Metadata.NamespaceProperty,
                Name = claim.Metadata.Name, Uid = claim.Metadata.Uid, ResourceVersion = claim.Metadata.ResourceVersion,
            };
            dirty = true;
        }
        if (setBoundByController && clone.Metadata.Annotations?.ContainsKey(StorageAnnotations.BoundByController) != true)
        {
            clone.Metadata.Annotations ??= new Dictionary<string, string>();
            clone.Metadata.Annotations[StorageAnnotations.BoundByController] = "yes";
            dirty = true;
        }
        if (!dirty) return volume;
        return Written(await Api.Update(clone));
    }

    /// <summary>bindClaimToVolume: volumeName, bound-by-controller when the controller chose the volume, bind-completed.</summary>
    private async Task<V1PersistentVolumeClaim?> BindClaimToVolume(V1PersistentVolumeClaim claim, V1PersistentVolume volume)
    {
        var setBoundByController = volume.Metadata.Name != claim.Spec?.VolumeName;
        var clone = KubeModels.Clone(claim);
        var dirty = false;
        if (clone.Spec.VolumeName != volume.Metadata.Name)
        {
            clone.Spec.VolumeName = volume.Metadata.Name;
            dirty = true;
        }
        clone.Metadata.Annotations ??= new Dictionary<string, string>();
        if (setBoundByController && !clone.Metadata.Annotations.ContainsKey(StorageAnnotations.BoundByController))
        {
            clone.Metadata.Annotations[StorageAnnotations.BoundByController] = "yes";
            dirty = true;
        }
        if (!clone.Metadata.Annotations.ContainsKey(StorageAnnotations.BindCompleted))
        {
            clone.Metadata.Annotations[StorageAnnotations.BindCompleted] = "yes";
            dirty = true;
        }
        if (!dirty) return claim;
        return Written(await Api.Update(clone));
    }

    /// <summary>updateClaimStatus: the phase, and the volume's access modes and capacity while bound (none otherwise).</summary>
    private async Task<V1PersistentVolumeClaim?> UpdateClaimStatus(V1PersistentVolumeClaim claim, string phase, V1PersistentVolume? volume)
    {
        var clone = KubeModels.Clone(claim);
        clone.Status ??= new V1PersistentVolumeClaimStatus();
        var dirty = false;
        if (clone.Status.Phase != phase)
        {
            clone.Status.Phase = phase;
            dirty = true;
        }
        if (volume is null)
        {
            if (clone.Status.AccessModes is not null || clone.Status.Capacity is not null) dirty = true;
            clone.Status.AccessModes = null;
            clone.Status.Capacity = null;
        }
        else
        {
            var modes = volume.Spec?.AccessModes ?? [];
            if (!(clone.Status.AccessModes ?? []).SequenceEqual(modes))
            {
                clone.Status.AccessModes = modes.ToList();
                dirty = true;
            }
            var capacity = volume.Spec?.Capacity?.Lookup("storage");
            var current = clone.Status.Capacity?.Lookup("storage");
            if (capacity is not null && (current is null || current.ToDecimal() != capacity.ToDecimal()))
            {
                clone.Status.Capacity = new Dictionary<string, ResourceQuantity>(volume.Spec!.Capacity);
                dirty = true;
            }
        }
        if (!dirty) return claim;
        var result = await Api.UpdateStatus(clone);
        return result.IsNotFound ? claim : Written(result);
    }

    /// <summary>updateVolumePhase: phase and message, with lastPhaseTransitionTime when the phase changes.</summary>
    private async Task<V1PersistentVolume?> UpdateVolumePhase(V1PersistentVolume volume, string phase, string? message)
    {
        if (volume.Status?.Phase == phase) return volume;
        var clone = KubeModels.Clone(volume);
        clone.Status ??= new V1PersistentVolumeStatus();
        clone.Status.Phase = phase;
        clone.Status.Message = message;
        clone.Status.LastPhaseTransitionTime = Seconds(Time.GetUtcNow());
        var result = await Api.UpdateStatus(clone);
        return result.IsNotFound ? volume : Written(result);
    }

    /// <summary>updateVolumePhaseWithEvent: the event only when the phase changes.</summary>
    private async Task<V1PersistentVolume?> UpdateVolumePhaseWithEvent(V1PersistentVolume volume, string phase, string type, string reason, string message)
    {
        if (volume.Status?.Phase == phase) return volume;
        var updated = await UpdateVolumePhase(volume, phase, message);
        if (updated is not null) await Recorder.Event(updated, type, reason, message);
        return updated;
    }

    /// <summary>unbindVolume: a volume the controller bound goes back to the pool; one the user reserved keeps its reservation without the uid.</summary>
    private async Task<SyncResult> UnbindVolume(V1PersistentVolume volume)
    {
        var clone = KubeModels.Clone(volume);
        if (clone.Metadata.Annotations?.ContainsKey(StorageAnnotations.BoundByController) == true)
        {
            clone.Spec.ClaimRef = null;
            clone.Metadata.Annotations.Remove(StorageAnnotations.BoundByController);
            if (clone.Metadata.Annotations.Count == 0) clone.Metadata.Annotations = null;
        }
        else clone.Spec.ClaimRef!.Uid = null;
        var unbound = Written(await Api.Update(clone));
        if (unbound is null) return SyncResult.Retry;
        return await UpdateVolumePhase(unbound, "Available", null) is null ? SyncResult.Retry : SyncResult.Done;
    }

    /// <summary>The object written, or null on a conflict (the caller retries from fresh caches); other errors throw (a rate-limited retry).</summary>
    private static T? Written<T>(ApiResult<T> result) where T : class => result.IsConflict ? null : result.Object;

    private static DateTime Seconds(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
}

using Akka.KubeEmu.Actors.Api.Admission;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.PersistentVolume;

/// <summary>syncClaim: an unbound claim finds (or asks for) its volume; a bound one keeps it or is Lost.</summary>
public sealed partial class PersistentVolumeController
{
    protected override async Task<SyncResult> Sync(string key)
    {
        var claim = _claims.Get(key);
        if (claim is null) return SyncResult.Done;
        return claim.Metadata.Annotations?.ContainsKey(StorageAnnotations.BindCompleted) == true
            ? await SyncBoundClaim(claim)
            : await SyncUnboundClaim(claim);
    }

    private async Task<SyncResult> SyncUnboundClaim(V1PersistentVolumeClaim claim)
    {
        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
        {
            var storageClass = ClassOf(claim);
            var delayBinding = storageClass?.VolumeBindingMode == "WaitForFirstConsumer";
            var volume = VolumeMatching.FindBestMatch(claim, Candidates(claim), delayBinding);
            if (volume is not null) return await Bind(volume, claim);

            // assignDefaultStorageClass: a claim created before there was a default class gets it now.
            if (claim.Spec?.StorageClassName is null && !StorageAdmission.HasClass(KubeModels.ToJsonObject(claim))
                && StorageAdmission.DefaultClass(_classes.List().Select(KubeModels.ToJsonObject)) is { } defaultClass)
            {
                var withClass = KubeModels.Clone(claim);
                withClass.Spec!.StorageClassName = defaultClass;
                var assigned = await Api.Update(withClass);
                if (assigned.IsConflict) return SyncResult.Retry;
                if (assigned.IsNotFound) return SyncResult.Done;
                _ = assigned.Object;
                return SyncResult.Done; // the update brings the claim back with its class
            }

            if (delayBinding && claim.Metadata.Annotations?.ContainsKey(StorageAnnotations.SelectedNode) != true)
                await Recorder.Event(claim, EventRecorder.Normal, "WaitForFirstConsumer", "waiting for first consumer to be created before binding");
            else if (StoragePrinters.ClaimClass(claim) is { Length: > 0 } className)
                return await ProvisionClaim(claim, className, storageClass);
            else
                await Recorder.Event(claim, EventRecorder.Normal, "FailedBinding", "no persistent volumes available for this claim and no storage class is set");
            return await UpdateClaimStatus(claim, "Pending", null) is null ? SyncResult.Retry : SyncResult.Done;
        }

        // The user named a volume.
        var requested = _volumes.Get(claim.Spec.VolumeName);
        if (requested is null)
            return await UpdateClaimStatus(claim, "Pending", null) is null ? SyncResult.Retry : SyncResult.Done; // it may be created later
        if (requested.Spec?.ClaimRef is null)
        {
            if (VolumeMatching.CheckVolumeSatisfyClaim(requested, claim) is { } mismatch)
            {
                await Recorder.Event(claim, EventRecorder.Warning, "VolumeMismatch", $"Cannot bind to requested volume \"{requested.Metadata.Name}\": {mismatch}");
                return await UpdateClaimStatus(claim, "Pending", null) is null ? SyncResult.Retry : SyncResult.Done;
            }
            return await Bind(requested, claim);
        }
        if (VolumeMatching.IsVolumeBoundToClaim(requested, claim)) return await Bind(requested, claim);
        await Recorder.Event(claim, EventRecorder.Warning, "FailedBinding", $"volume \"{requested.Metadata.Name}\" already bound to a different claim.");
        return await UpdateClaimStatus(claim, "Pending", null) is null ? SyncResult.Retry : SyncResult.Done;
    }

    private async Task<SyncResult> SyncBoundClaim(V1PersistentVolumeClaim claim)
    {
        if (string.IsNullOrEmpty(claim.Spec?.VolumeName))
            return await ClaimLost(claim, "ClaimLost", "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
        var volume = _volumes.Get(claim.Spec.VolumeName);
        if (volume is null)
            return await ClaimLost(claim, "ClaimLost", "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
        if (volume.Spec?.ClaimRef is null || volume.Spec.ClaimRef.Uid == claim.Metadata.Uid) return await Bind(volume, claim);
        return await ClaimLost(claim, "ClaimMisbound", "Two claims are bound to the same volume, this one is bound incorrectly");
    }

    /// <summary>updateClaimStatusWithEvent: Lost, with the event only when the phase changes.</summary>
    private async Task<SyncResult> ClaimLost(V1PersistentVolumeClaim claim, string reason, string message)
    {
        if (claim.Status?.Phase == "Lost") return SyncResult.Done;
        var updated = await UpdateClaimStatus(claim, "Lost", null);
        if (updated is null) return SyncResult.Retry;
        await Recorder.Event(updated, EventRecorder.Warning, reason, message);
        return SyncResult.Done;
    }

    /// <summary>
    /// provisionClaim for an external provisioner: the class must exist (else ProvisioningFailed with
    /// the lister's NotFound), the claim is annotated with the provisioner's name (what external
    /// provisioners watch for), and ExternalProvisioning says who is expected to make the volume.
    /// </summary>
    private async Task<SyncResult> ProvisionClaim(V1PersistentVolumeClaim claim, string className, V1StorageClass? storageClass)
    {
        if (storageClass is null)
        {
            await Recorder.Event(claim, EventRecorder.Warning, "ProvisioningFailed", $"storageclass.storage.k8s.io \"{className}\" not found");
            return await UpdateClaimStatus(claim, "Pending", null) is null ? SyncResult.Retry : SyncResult.Done;
        }
        var provisioner = storageClass.Provisioner;
        var annotations = claim.Metadata.Annotations;
        if (annotations?.Lookup(StorageAnnotations.StorageProvisioner) != provisioner
            || annotations?.Lookup(StorageAnnotations.BetaStorageProvisioner) != provisioner)
        {
            var annotated = KubeModels.Clone(claim);
            annotated.Metadata.Annotations ??= new Dictionary<string, string>();
            annotated.Metadata.Annotations[StorageAnnotations.BetaStorageProvisioner] = provisioner;
            annotated.Metadata.Annotations[StorageAnnotations.StorageProvisioner] = provisioner;
            var saved = await Api.Update(annotated);
            if (saved.IsNotFound) return SyncResult.Done;
            if (!saved.Ok)
            {
                await Recorder.Event(claim, EventRecorder.Warning, "ProvisioningFailed", $"Error saving claim: {saved.Error!.Message}");
                return SyncResult.Retry;
            }
            claim = saved.Object;
        }
        await Recorder.Event(claim, EventRecorder.Normal, "ExternalProvisioning",
            $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. " +
            "If volume creation is delayed, please verify that the provisioner is running and correctly registered.");
        return SyncResult.Done;
    }

    /// <summary>The volumes that may be the claim's: those of its class, and any reserved for it by name.</summary>
    private IEnumerable<V1PersistentVolume> Candidates(V1PersistentVolumeClaim claim) =>
        _volumes.ByIndex(VolumeIndexes.VolumesByClass, StoragePrinters.ClaimClass(claim))
            .Concat(_volumes.ByIndex(VolumeIndexes.VolumesByClaim, KubeModels.Key(claim)));

    private V1StorageClass? ClassOf(V1PersistentVolumeClaim claim) =>
        StoragePrinters.ClaimClass(claim) is { Length: > 0 } name ? _classes.Get(name) : null;
}

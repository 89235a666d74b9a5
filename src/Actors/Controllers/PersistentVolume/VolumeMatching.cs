using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Api.Validation;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.PersistentVolume;

/// <summary>
/// Which volume a claim gets (component-helpers storage/volume pv_helpers.go and the controller's
/// persistentVolumeOrderedIndex): a volume already reserved for the claim; otherwise, among the
/// Available, unreserved volumes of the claim's class whose labels match its selector, whose
/// volume mode matches and that are big enough, the one with the fewest access modes that still
/// include the claim's, and of those the smallest.
/// </summary>
public static class VolumeMatching
{
    /// <param name="candidates">The volumes of the claim's class and those reserved for it (the controller's indexes).</param>
    /// <param name="delayBinding">WaitForFirstConsumer: only a volume reserved for the claim is taken; the rest waits for the scheduler.</param>
    public static V1PersistentVolume? FindBestMatch(V1PersistentVolumeClaim claim, IEnumerable<V1PersistentVolume> candidates, bool delayBinding)
    {
        var claimModes = claim.Spec?.AccessModes ?? [];
        // allPossibleMatchingAccessModes: each access-mode set that holds the claim's modes, fewest modes first.
        var groups = candidates
            .DistinctBy(v => v.Metadata.Name)
            .Where(v => claimModes.All(m => v.Spec?.AccessModes?.Contains(m) == true))
            .GroupBy(v => string.Join(",", (v.Spec?.AccessModes ?? []).Distinct().Order(StringComparer.Ordinal)))
            .OrderBy(g => g.First().Spec?.AccessModes?.Distinct().Count() ?? 0);
        foreach (var group in groups)
            if (FindMatchingVolume(claim, group, delayBinding) is { } volume) return volume;
        return null;
    }

    /// <summary>FindMatchingVolume over volumes of one access-mode set.</summary>
    private static V1PersistentVolume? FindMatchingVolume(V1PersistentVolumeClaim claim, IEnumerable<V1PersistentVolume> volumes, bool delayBinding)
    {
        var requested = Requested(claim);
        var requestedClass = StoragePrinters.ClaimClass(claim);
        var selector = claim.Spec?.Selector is { } s ? LabelSelectorValidation.AsSelector(KubeModels.ToJsonObject(s)) : null;
        V1PersistentVolume? smallest = null;
        decimal smallestSize = 0;
        foreach (var volume in volumes.OrderBy(v => v.Metadata.Name, StringComparer.Ordinal))
        {
            if (VolumeModeMismatch(claim, volume) || volume.Metadata.DeletionTimestamp is not null) continue;
            var size = Capacity(volume);
            if (size < requested) continue;
            if (IsVolumeBoundToClaim(volume, claim)) return volume;
            if (delayBinding) continue;
            if (volume.Status?.Phase != "Available" || volume.Spec?.ClaimRef is not null) continue;
            if (claim.Spec?.Selector is not null && (selector is null || !selector.Matches(new Dictionary<string, string>(volume.Metadata.Labels ?? new Dictionary<string, string>()))))
                continue;
            if (StoragePrinters.VolumeClass(volume) != requestedClass) continue;
            if (smallest is null || size < smallestSize)
            {
                smallest = volume;
                smallestSize = size;
            }
        }
        return smallest;
    }

    /// <summary>checkVolumeSatisfyClaim: why a volume the claim names cannot be its, or null when it can.</summary>
    public static string? CheckVolumeSatisfyClaim(V1PersistentVolume volume, V1PersistentVolumeClaim claim)
    {
        if (volume.Metadata.DeletionTimestamp is not null) return $"the volume is marked for deletion \"{volume.Metadata.Name}\"";
        if (Capacity(volume) < Requested(claim)) return "requested PV is too small";
        if (StoragePrinters.VolumeClass(volume) != StoragePrinters.ClaimClass(claim)) return "storageClassName does not match";
        if (VolumeModeMismatch(claim, volume)) return "incompatible volumeMode";
        if (!(claim.Spec?.AccessModes ?? []).All(m => volume.Spec?.AccessModes?.Contains(m) == true)) return "incompatible accessMode";
        return null;
    }

    /// <summary>IsVolumeBoundToClaim: the volume's claimRef names the claim, by uid too once it has one.</summary>
    public static bool IsVolumeBoundToClaim(V1PersistentVolume volume, V1PersistentVolumeClaim claim) =>
        volume.Spec?.ClaimRef is { } r && r.Name == claim.Metadata.Name && r.NamespaceProperty == claim.Metadata.NamespaceProperty
        && (string.IsNullOrEmpty(r.Uid) || r.Uid == claim.Metadata.Uid);

    public static decimal Requested(V1PersistentVolumeClaim claim) =>
        claim.Spec?.Resources?.Requests?.Lookup("storage")?.ToDecimal() ?? 0;

    public static decimal Capacity(V1PersistentVolume volume) =>
        volume.Spec?.Capacity?.Lookup("storage")?.ToDecimal() ?? 0;

    private static bool VolumeModeMismatch(V1PersistentVolumeClaim claim, V1PersistentVolume volume) =>
        (claim.Spec?.VolumeMode ?? "Filesystem") != (volume.Spec?.VolumeMode ?? "Filesystem");
}

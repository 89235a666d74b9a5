using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>
/// The indexes that keep the volume machinery's work proportional to what changed: a claim's
/// candidates are the volumes of its class (not every volume), a volume finds the claim it names,
/// and a volume that turns Available or a class that appears wakes only the pending claims of its
/// class; pods are found by the claims they use.
/// </summary>
public static class VolumeIndexes
{
    /// <summary>Volumes by storage class name ("" for none).</summary>
    public const string VolumesByClass = "pv-storage-class";

    /// <summary>Volumes by the "namespace/name" of the claim their claimRef names.</summary>
    public const string VolumesByClaim = "pv-claim-ref";

    /// <summary>Unbound claims by the storage class they ask for.</summary>
    public const string PendingClaimsByClass = "pvc-pending-class";

    /// <summary>Pods by "namespace/claim" of every claim they mount (pkg/controller/volume/common PodPVCIndex).</summary>
    public const string PodsByClaim = "pod-pvc";

    public static IEnumerable<string> ByClass(V1PersistentVolume pv) => [StoragePrinters.VolumeClass(pv)];

    public static IEnumerable<string> ByClaim(V1PersistentVolume pv) =>
        pv.Spec?.ClaimRef is { Name.Length: > 0 } r ? [KubeModels.Key(r.NamespaceProperty, r.Name)] : [];

    public static IEnumerable<string> PendingByClass(V1PersistentVolumeClaim pvc) =>
        pvc.Metadata.Annotations?.ContainsKey(StorageAnnotations.BindCompleted) == true ? [] : [StoragePrinters.ClaimClass(pvc)];

    public static IEnumerable<string> ByClaimOfPod(V1Pod pod) =>
        ClaimNames(pod).Select(c => KubeModels.Key(pod.Metadata.NamespaceProperty, c));

    /// <summary>The claims a pod mounts (persistentVolumeClaim volumes).</summary>
    public static IEnumerable<string> ClaimNames(V1Pod pod) =>
        pod.Spec?.Volumes?.Select(v => v.PersistentVolumeClaim?.ClaimName).OfType<string>().Where(n => n.Length > 0).Distinct() ?? [];
}

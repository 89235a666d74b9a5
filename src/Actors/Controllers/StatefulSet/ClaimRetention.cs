using Akka.KubeEmu.Actors.Controllers.Framework;
using k8s;
using k8s.Models;
using static Akka.KubeEmu.Actors.Controllers.StatefulSet.StatefulSetUtils;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// persistentVolumeClaimRetentionPolicy (StatefulSetAutoDeletePVC, GA in 1.32) as owner references on
/// the claims, so that the garbage collector deletes them:
/// <list type="bullet">
/// <item>Retain/Retain: no reference from the set or the pod;</item>
/// <item>whenDeleted Delete: the set controls the claims of the pods in range;</item>
/// <item>whenScaled Delete: the pod controls its claim once it is scaled down (out of range), so the
/// claim goes with the pod.</item>
/// </list>
/// A claim with a stale reference (same name, another uid) or controlled by someone else is left alone.
/// </summary>
public static class ClaimRetention
{
    private const string SetApiVersion = "apps/v1";
    private const string SetKind = "StatefulSet";

    public static (string WhenDeleted, string WhenScaled) Policy(V1StatefulSet set) =>
        (set.Spec?.PersistentVolumeClaimRetentionPolicy?.WhenDeleted ?? Retain, set.Spec?.PersistentVolumeClaimRetentionPolicy?.WhenScaled ?? Retain);

    /// <summary>isClaimOwnerUpToDate: the claim's references already say what the policy wants.</summary>
    public static bool IsClaimOwnerUpToDate(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        if (HasStaleOwnerRef(claim, set, SetApiVersion, SetKind) || HasStaleOwnerRef(claim, pod, "v1", "Pod")) return true;
        if (HasUnexpectedController(claim, set, pod)) return !(HasOwnerRef(claim, set) || HasOwnerRef(claim, pod));
        if (HasNonControllerOwner(claim, set, pod)) return false;
        var (whenDeleted, whenScaled) = Policy(set);
        var scaledDown = !InOrdinalRange(pod, set);
        return (whenScaled, whenDeleted) switch
        {
            (Delete, Retain) => !HasOwnerRef(claim, set) && scaledDown == HasOwnerRef(claim, pod),
            (Delete, Delete) => scaledDown != HasOwnerRef(claim, set) && scaledDown == HasOwnerRef(claim, pod),
            (Retain, Delete) => HasOwnerRef(claim, set) && !HasOwnerRef(claim, pod),
            _ => !HasOwnerRef(claim, set) && !HasOwnerRef(claim, pod),
        };
    }

    /// <summary>updateClaimOwnerRefForSetAndPod: our references removed, then those the policy wants added back.</summary>
    public static void UpdateClaimOwnerRefs(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        var unexpected = HasUnexpectedController(claim, set, pod);
        var refs = (claim.Metadata.OwnerReferences ?? [])
            .Where(r => !Matches(r, set, SetApiVersion, SetKind) && !Matches(r, pod, "v1", "Pod")).ToList();
        if (!unexpected)
        {
            var (whenDeleted, whenScaled) = Policy(set);
            var scaledDown = !InOrdinalRange(pod, set);
            if (whenScaled == Delete && scaledDown) AddControllerRef(refs, ControllerRefs.For(pod, "v1", "Pod"));
            if (whenDeleted == Delete && (whenScaled != Delete || !scaledDown)) AddControllerRef(refs, ControllerRefs.For(set, SetApiVersion, SetKind));
        }
        claim.Metadata.OwnerReferences = refs.Count == 0 ? null : refs;
    }

    /// <summary>
    /// hasUnexpectedController: under a Delete policy, another controller (or a reference to an older
    /// set or pod of the same name) owns the claim, so the policy is not applied to it.
    /// </summary>
    public static bool HasUnexpectedController(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod)
    {
        if (Policy(set) == (Retain, Retain)) return false;
        foreach (var r in claim.Metadata?.OwnerReferences ?? [])
        {
            if (Matches(r, set, SetApiVersion, SetKind))
            {
                if (r.Uid != set.Metadata.Uid) return true;
                continue;
            }
            if (Matches(r, pod, "v1", "Pod"))
            {
                if (r.Uid != pod.Metadata.Uid) return true;
                continue;
            }
            if (r.Controller == true) return true;
        }
        return false;
    }

    /// <summary>hasStaleOwnerRef: a reference to an object of this name and kind with another uid.</summary>
    public static bool HasStaleOwnerRef(V1PersistentVolumeClaim claim, IKubernetesObject<V1ObjectMeta> owner, string apiVersion, string kind)
    {
        foreach (var r in claim.Metadata?.OwnerReferences ?? [])
            if (Matches(r, owner, apiVersion, kind)) return r.Uid != owner.Metadata.Uid;
        return false;
    }

    private static bool HasNonControllerOwner(V1PersistentVolumeClaim claim, V1StatefulSet set, V1Pod pod) =>
        (claim.Metadata?.OwnerReferences ?? []).Any(r => (r.Uid == set.Metadata.Uid || r.Uid == pod.Metadata.Uid) && r.Controller != true);

    private static bool HasOwnerRef(V1PersistentVolumeClaim claim, IKubernetesObject<V1ObjectMeta> owner) =>
        !string.IsNullOrEmpty(owner.Metadata?.Uid) && (claim.Metadata?.OwnerReferences ?? []).Any(r => r.Uid == owner.Metadata.Uid);

    private static bool Matches(V1OwnerReference r, IKubernetesObject<V1ObjectMeta> obj, string apiVersion, string kind) =>
        r.ApiVersion == apiVersion && r.Kind == kind && r.Name == obj.Metadata?.Name;

    private static void AddControllerRef(List<V1OwnerReference> refs, V1OwnerReference owner)
    {
        if (refs.Any(r => r.Uid == owner.Uid)) return;
        refs.Add(owner);
    }
}

using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// VolumeRestrictions' ReadWriteOncePod check: a claim with that access mode is used by one pod
/// in the whole cluster; while a scheduled, unfinished pod holds it, every node refuses another.
/// The pods of a claim come from the scheduler's index by claim.
/// </summary>
public sealed class VolumeRestrictions(Indexer<V1PersistentVolumeClaim> claims, Indexer<V1Pod> pods) : IFilterPlugin
{
    public const string ErrReasonReadWriteOncePodConflict = "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

    public string Name => "VolumeRestrictions";

    // A pod that goes frees its claim.
    public ClusterEvent RequeueOn => ClusterEvent.PodDelete;

    public FilterStatus Filter(PodInfo pod, NodeInfo node) =>
        Conflicts(pod.Pod) ? FilterStatus.Unschedulable(ErrReasonReadWriteOncePodConflict) : FilterStatus.Success;

    private bool Conflicts(V1Pod pod)
    {
        // The filter runs for every node: a pod without claims (most) is answered without allocating.
        if (!MountsClaims(pod)) return false;
        foreach (var claimName in VolumeIndexes.ClaimNames(pod))
        {
            var key = KubeModels.Key(pod.Metadata.NamespaceProperty, claimName);
            if (claims.Get(key)?.Spec?.AccessModes?.Contains("ReadWriteOncePod") != true) continue;
            if (UsedByAnother(pod, key)) return true;
        }
        return false;
    }

    private static bool MountsClaims(V1Pod pod)
    {
        if (pod.Spec?.Volumes is not { } volumes) return false;
        for (var i = 0; i < volumes.Count; i++)
            if (volumes[i].PersistentVolumeClaim is not null) return true;
        return false;
    }

    // Apart from Conflicts, whose closure would otherwise be allocated on every call (every node, every pod).
    private bool UsedByAnother(V1Pod pod, string claimKey) =>
        pods.ByIndex(VolumeIndexes.PodsByClaim, claimKey).Any(p => p.Metadata.Uid != pod.Metadata.Uid
            && !string.IsNullOrEmpty(p.Spec?.NodeName) && p.Status?.Phase is not ("Succeeded" or "Failed"));
}

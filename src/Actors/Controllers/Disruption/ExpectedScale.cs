using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Disruption;

/// <summary>
/// getExpectedScale: the pods a budget expects are the sum of the scales of the controllers owning
/// its pods, each found from the pod's controllerRef in the owners' caches (O(1) per owner):
/// a ReplicationController, a Deployment through its ReplicaSet, a ReplicaSet of its own, a
/// StatefulSet. A pod without a controller is unmanaged (it counts for nothing, and the budget says
/// so in an event); a pod whose controller is none of these fails the sync, as the real finders do.
/// </summary>
public sealed class ExpectedScale(
    Indexer<V1ReplicationController> replicationControllers,
    Indexer<V1ReplicaSet> replicaSets,
    Indexer<V1Deployment> deployments,
    Indexer<V1StatefulSet> statefulSets)
{
    public sealed record Result(int ExpectedCount, IReadOnlyList<string> UnmanagedPods, string? Error);

    public Result Of(IReadOnlyList<V1Pod> pods)
    {
        var scales = new Dictionary<string, int>(StringComparer.Ordinal);
        var unmanaged = new List<string>();
        foreach (var pod in pods)
        {
            if (KubeModels.ControllerOf(pod) is not { } owner)
            {
                unmanaged.Add(pod.Metadata.Name);
                continue;
            }
            if (scales.ContainsKey(owner.Uid)) continue;
            if (Find(owner, pod.Metadata.NamespaceProperty) is not { } found)
                return new Result(0, unmanaged, $"found no controllers for pod \"{pod.Metadata.Name}\"");
            scales[found.Uid] = found.Scale;
        }
        return new Result(scales.Values.Sum(), unmanaged, null);
    }

    /// <summary>The finders, in Kubernetes' order; the first that recognises the owner answers.</summary>
    private (string Uid, int Scale)? Find(V1OwnerReference owner, string ns)
    {
        switch (owner.Kind)
        {
            case "ReplicationController" when owner.ApiVersion == "v1":
                return replicationControllers.Get(ns, owner.Name) is { } rc && rc.Metadata.Uid == owner.Uid
                    ? (rc.Metadata.Uid, rc.Spec?.Replicas ?? 1) : null;
            case "ReplicaSet" when owner.ApiVersion.StartsWith("apps/", StringComparison.Ordinal):
                if (replicaSets.Get(ns, owner.Name) is not { } rs || rs.Metadata.Uid != owner.Uid) return null;
                // getPodDeployment: a ReplicaSet a Deployment controls scales with the Deployment.
                if (KubeModels.ControllerOf(rs) is { Kind: "Deployment" } deploymentRef)
                    return deployments.Get(ns, deploymentRef.Name) is { } d && d.Metadata.Uid == deploymentRef.Uid
                        ? (d.Metadata.Uid, d.Spec?.Replicas ?? 1) : null;
                return (rs.Metadata.Uid, rs.Spec?.Replicas ?? 1);
            case "StatefulSet" when owner.ApiVersion.StartsWith("apps/", StringComparison.Ordinal):
                return statefulSets.Get(ns, owner.Name) is { } sts && sts.Metadata.Uid == owner.Uid
                    ? (sts.Metadata.Uid, sts.Spec?.Replicas ?? 1) : null;
            default:
                return null;
        }
    }
}

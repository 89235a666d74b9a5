using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// kube-scheduler's VolumeBinding plugin, reduced to what decides placement here:
/// <list type="bullet">
/// <item>PreFilter: every claim the pod mounts must exist, not be being deleted nor Lost, and
/// claims of Immediate classes must be bound already (the PV controller binds them); otherwise the
/// pod is unschedulable on every node with the plugin's reason;</item>
/// <item>PreBind: claims of WaitForFirstConsumer classes learn the chosen node
/// (volume.kubernetes.io/selected-node) so their provisioner can make the volume there.</item>
/// </list>
/// A pod it rejected is retried when one of its claims is added or changes (the scheduler looks
/// the waiting pods up by claim), or when a class appears.
/// </summary>
public sealed class VolumeBinding(Indexer<V1PersistentVolumeClaim> claims, Indexer<V1StorageClass> classes) : IPreFilterPlugin
{
    public const string ErrReasonBindConflict = "pod has unbound immediate PersistentVolumeClaims";

    public string Name => "VolumeBinding";

    public ClusterEvent RequeueOn => ClusterEvent.StorageClassAdd;

    public FilterStatus PreFilter(PodInfo pod)
    {
        var unboundImmediate = false;
        foreach (var name in VolumeIndexes.ClaimNames(pod.Pod))
        {
            var claim = claims.Get(pod.Namespace, name);
            if (claim is null) return FilterStatus.Unresolvable($"persistentvolumeclaim \"{name}\" not found");
            if (claim.Status?.Phase == "Lost")
                return FilterStatus.Unresolvable($"persistentvolumeclaim \"{name}\" bound to non-existent persistentvolume \"{claim.Spec?.VolumeName}\"");
            if (claim.Metadata.DeletionTimestamp is not null) return FilterStatus.Unresolvable($"persistentvolumeclaim \"{name}\" is being deleted");
            if (IsFullyBound(claim)) continue;
            if (!IsDelayBinding(claim) || !string.IsNullOrEmpty(claim.Spec?.VolumeName)) unboundImmediate = true;
        }
        return unboundImmediate ? FilterStatus.Unresolvable(ErrReasonBindConflict) : FilterStatus.Success;
    }

    /// <summary>The WaitForFirstConsumer claims of the pod that do not know their node yet.</summary>
    public IReadOnlyList<V1PersistentVolumeClaim> ClaimsToProvisionOn(PodInfo pod) =>
        VolumeIndexes.ClaimNames(pod.Pod)
            .Select(name => claims.Get(pod.Namespace, name))
            .OfType<V1PersistentVolumeClaim>()
            .Where(c => !IsFullyBound(c) && IsDelayBinding(c) && string.IsNullOrEmpty(c.Spec?.VolumeName)
                        && c.Metadata.Annotations?.ContainsKey(StorageAnnotations.SelectedNode) != true)
            .ToArray();

    /// <summary>PreBind: tells each such claim the node, through the API; the first failure stops the binding.</summary>
    public static async Task<ApiStatus?> PreBind(ApiClient api, IReadOnlyList<V1PersistentVolumeClaim> pending, string node)
    {
        foreach (var claim in pending)
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [StorageAnnotations.SelectedNode] = node } },
            };
            var result = await api.Patch<V1PersistentVolumeClaim>(claim.Metadata.NamespaceProperty, claim.Metadata.Name,
                PatchDispatch.MergePatch, patch.ToJsonString());
            if (!result.Ok) return result.Error;
        }
        return null;
    }

    /// <summary>isPVCFullyBound: a volume name and the controller's bind-completed annotation.</summary>
    private static bool IsFullyBound(V1PersistentVolumeClaim claim) =>
        !string.IsNullOrEmpty(claim.Spec?.VolumeName) && claim.Metadata.Annotations?.ContainsKey(StorageAnnotations.BindCompleted) == true;

    /// <summary>IsDelayBindingMode: a class that exists and says WaitForFirstConsumer (a missing class counts as Immediate).</summary>
    private bool IsDelayBinding(V1PersistentVolumeClaim claim) =>
        StoragePrinters.ClaimClass(claim) is { Length: > 0 } name && classes.Get(name)?.VolumeBindingMode == "WaitForFirstConsumer";
}

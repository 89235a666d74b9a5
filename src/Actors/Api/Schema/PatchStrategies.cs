using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <summary>How a list field merges in a strategic merge patch, from the Go struct tags.</summary>
/// <param name="Strategy">"merge", "merge,retainKeys", "retainKeys" or "replace".</param>
/// <param name="MergeKey">patchMergeKey for lists of objects; null for primitive lists.</param>
/// <param name="MapKeys">+listMapKeys (x-kubernetes-list-map-keys), when the list is a map list.</param>
public sealed record PatchStrategy(string Strategy, string? MergeKey, IReadOnlyList<string>? MapKeys = null)
{
    public bool Merges => Strategy.Split(',').Contains("merge");
    public bool RetainsKeys => Strategy.Split(',').Contains("retainKeys");
}

/// <summary>
/// The <c>patchStrategy</c>/<c>patchMergeKey</c> tags of the Kubernetes API types
/// (k8s.io/api/*/types.go), keyed by KubernetesClient model type and JSON field name. One table
/// serves the strategic merge patch and the OpenAPI documents (x-kubernetes-patch-*), so the
/// server patches exactly as it advertises. A field absent here is replaced as a whole.
/// </summary>
public static class PatchStrategies
{
    private static readonly Dictionary<(Type, string), PatchStrategy> Table = new()
    {
        [(typeof(V1ObjectMeta), "finalizers")] = new("merge", null),
        [(typeof(V1ObjectMeta), "ownerReferences")] = new("merge", "uid", ["uid"]),

        [(typeof(V1PodSpec), "volumes")] = new("merge,retainKeys", "name", ["name"]),
        [(typeof(V1PodSpec), "initContainers")] = new("merge", "name", ["name"]),
        [(typeof(V1PodSpec), "containers")] = new("merge", "name", ["name"]),
        [(typeof(V1PodSpec), "ephemeralContainers")] = new("merge", "name", ["name"]),
        [(typeof(V1PodSpec), "imagePullSecrets")] = new("merge", "name", ["name"]),
        [(typeof(V1PodSpec), "hostAliases")] = new("merge", "ip", ["ip"]),
        [(typeof(V1PodSpec), "topologySpreadConstraints")] = new("merge", "topologyKey", ["topologyKey", "whenUnsatisfiable"]),
        [(typeof(V1PodSpec), "resourceClaims")] = new("merge,retainKeys", "name", ["name"]),
        [(typeof(V1PodSpec), "schedulingGates")] = new("merge", "name", ["name"]),

        [(typeof(V1Container), "ports")] = new("merge", "containerPort", ["containerPort", "protocol"]),
        [(typeof(V1Container), "env")] = new("merge", "name", ["name"]),
        [(typeof(V1Container), "volumeMounts")] = new("merge", "mountPath", ["mountPath"]),
        [(typeof(V1Container), "volumeDevices")] = new("merge", "devicePath", ["devicePath"]),
        [(typeof(V1EphemeralContainer), "ports")] = new("merge", "containerPort", ["containerPort", "protocol"]),
        [(typeof(V1EphemeralContainer), "env")] = new("merge", "name", ["name"]),
        [(typeof(V1EphemeralContainer), "volumeMounts")] = new("merge", "mountPath", ["mountPath"]),
        [(typeof(V1EphemeralContainer), "volumeDevices")] = new("merge", "devicePath", ["devicePath"]),

        [(typeof(V1PodStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1PodStatus), "podIPs")] = new("merge", "ip", ["ip"]),
        [(typeof(V1PodStatus), "hostIPs")] = new("merge", "ip", ["ip"]),
        [(typeof(V1PodStatus), "resourceClaimStatuses")] = new("merge,retainKeys", "name", ["name"]),
        [(typeof(V1ContainerStatus), "volumeMounts")] = new("merge", "mountPath", ["mountPath"]),
        [(typeof(V1ContainerStatus), "allocatedResourcesStatus")] = new("merge", "name", ["name"]),

        [(typeof(V1NodeSpec), "podCIDRs")] = new("merge", null),
        [(typeof(V1NodeStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1NodeStatus), "addresses")] = new("merge", "type", ["type"]),

        [(typeof(V1NamespaceStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1ServiceSpec), "ports")] = new("merge", "port", ["port", "protocol"]),
        [(typeof(V1ServiceStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1ServiceAccount), "secrets")] = new("merge", "name", ["name"]),
        [(typeof(V1PersistentVolumeClaimStatus), "conditions")] = new("merge", "type", ["type"]),

        [(typeof(V1DeploymentSpec), "strategy")] = new("retainKeys", null),
        [(typeof(V1DeploymentStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1ReplicaSetStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1ReplicationControllerStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1StatefulSetStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1DaemonSetStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1JobStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V2HorizontalPodAutoscalerStatus), "conditions")] = new("merge", "type", ["type"]),
        [(typeof(V1PodDisruptionBudgetStatus), "conditions")] = new("merge", "type", ["type"]),

        [(typeof(V1MutatingWebhookConfiguration), "webhooks")] = new("merge", "name", ["name"]),
        [(typeof(V1ValidatingWebhookConfiguration), "webhooks")] = new("merge", "name", ["name"]),
        [(typeof(V1MutatingWebhook), "matchConditions")] = new("merge", "name", ["name"]),
        [(typeof(V1ValidatingWebhook), "matchConditions")] = new("merge", "name", ["name"]),
        [(typeof(V1CSINodeSpec), "drivers")] = new("merge", "name", ["name"]),
    };

    public static PatchStrategy? Lookup(Type modelType, string jsonField) => Table.GetValueOrDefault((modelType, jsonField));

    public static IEnumerable<KeyValuePair<(Type Type, string Field), PatchStrategy>> All => Table;
}

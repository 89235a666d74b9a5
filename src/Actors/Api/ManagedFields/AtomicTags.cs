using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>
/// The <c>+structType=atomic</c> structs and <c>+mapType=atomic</c> maps of the Kubernetes API
/// types served (k8s.io/api and k8s.io/apimachinery v1.32): one manager owns such a node whole, and
/// an apply replaces it rather than merging it field by field.
/// </summary>
public static class AtomicTags
{
    private static readonly HashSet<Type> Structs =
    [
        // meta/v1
        typeof(V1LabelSelector), typeof(V1OwnerReference),
        // core/v1
        typeof(V1SecretReference), typeof(V1ObjectFieldSelector), typeof(V1ResourceFieldSelector), typeof(V1ConfigMapKeySelector),
        typeof(V1SecretKeySelector), typeof(V1NodeSelector), typeof(V1NodeSelectorTerm), typeof(V1TopologySelectorTerm),
        typeof(V1EndpointAddress), typeof(Corev1EndpointPort), typeof(V1ObjectReference), typeof(V1LocalObjectReference),
        typeof(V1TypedLocalObjectReference), typeof(V1ScopeSelector),
        // autoscaling/v1, discovery/v1, networking/v1, rbac/v1
        typeof(V1CrossVersionObjectReference), typeof(Discoveryv1EndpointPort), typeof(V1ServiceBackendPort),
        typeof(Rbacv1Subject), typeof(V1RoleRef),
        // admissionregistration/v1 (the admission policies' parts)
        typeof(V1ParamKind), typeof(V1Variable), typeof(V1ParamRef), typeof(V1MatchResources), typeof(V1NamedRuleWithOperations),
    ];

    private static readonly HashSet<(Type, string)> Maps =
    [
        (typeof(V1PodSpec), "nodeSelector"), (typeof(V1ServiceSpec), "selector"),
        (typeof(V1ReplicationControllerSpec), "selector"), (typeof(V1Scheduling), "nodeSelector"),
    ];

    public static bool IsAtomicStruct(Type model) => Structs.Contains(model);

    public static bool IsAtomicMap(Type parent, string jsonField) => Maps.Contains((parent, jsonField));
}

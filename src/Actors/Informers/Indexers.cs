using Akka.KubeEmu.Actors.Api.Objects;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>The indexes the shared informers keep (client-go's NamespaceIndex and pkg/controller's own).</summary>
public static class Indexers
{
    /// <summary>metadata.namespace (cache.NamespaceIndex).</summary>
    public const string Namespace = "namespace";

    /// <summary>
    /// The uid of the controlling owner, or "&lt;namespace&gt;/_ORPHAN" for objects without one
    /// (pkg/controller's PodControllerUIDIndex): a ReplicaSet finds its pods and the orphans it may
    /// adopt without looking at every pod of the namespace.
    /// </summary>
    public const string ControllerUid = "controller-uid";

    /// <summary>The uid of every ownerReference.</summary>
    public const string OwnerUid = "owner-uid";

    /// <summary>spec.nodeName of pods (the pods of a node).</summary>
    public const string NodeName = "spec.nodeName";

    public static string Orphans(string ns) => ns + "/_ORPHAN";

    public static IEnumerable<string> ByNamespace(IKubernetesObject<V1ObjectMeta> o) => [o.Metadata?.NamespaceProperty ?? ""];

    public static IEnumerable<string> ByControllerUid(IKubernetesObject<V1ObjectMeta> o) =>
        [KubeModels.ControllerOf(o)?.Uid ?? Orphans(o.Metadata?.NamespaceProperty ?? "")];

    public static IEnumerable<string> ByOwnerUid(IKubernetesObject<V1ObjectMeta> o) =>
        o.Metadata?.OwnerReferences?.Select(r => r.Uid).Where(u => !string.IsNullOrEmpty(u)) ?? [];

    public static IEnumerable<string> ByNodeName(V1Pod pod) =>
        pod.Spec?.NodeName is { Length: > 0 } node ? [node] : [];
}

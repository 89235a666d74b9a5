using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Services;

/// <summary>
/// The Services as the kubelets of one node process see them: one shared informer for the whole
/// process (not a watch per emulated node), read when a container starts.
/// </summary>
public sealed class ServiceEnvironment(Indexer<V1Service>? services)
{
    public static readonly ServiceEnvironment None = new(null);

    /// <summary>The service variables of a container starting now in a pod of <paramref name="podNamespace"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> For(string podNamespace, bool enableServiceLinks)
    {
        if (services is null) return [];
        // Only what the container may see: its namespace's Services and default/kubernetes.
        var candidates = enableServiceLinks ? services.InNamespace(podNamespace) : [];
        var master = services.Get("default", "kubernetes");
        return ServiceEnvVars.For(podNamespace, enableServiceLinks, master is null ? candidates : candidates.Append(master));
    }
}

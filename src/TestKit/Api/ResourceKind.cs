using System.Collections.Concurrent;
using System.Reflection;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.TestKit.Api;

/// <summary>Where the API serves a model type: group, version, plural, and whether it is namespaced.</summary>
internal sealed record ResourceKind(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    /// <summary>deployments.apps, nodes: how kubectl names a resource in its messages.</summary>
    public string Resource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>deployment.apps, node: how kubectl names an object it applied.</summary>
    public string KubectlName => Group.Length == 0 ? Kind.ToLowerInvariant() : $"{Kind.ToLowerInvariant()}.{Group}";

    public string Describe(string? ns, string? name) => name is null
        ? $"{Resource}{(ns is null ? "" : $" in namespace {ns}")}"
        : $"{Resource} {(ns is null ? "" : ns + "/")}{name}";
}

/// <summary>
/// Resolves model types to resources: the KubernetesClient models carry group, version and plural
/// in their KubernetesEntity attribute; the scope comes from the API's discovery documents, asked
/// once per group version (a manifest's Namespace or ClusterRole must not get a namespace).
/// </summary>
internal sealed class ResourceKinds(IKubernetes client)
{
    private readonly ConcurrentDictionary<(string, string), Task<V1APIResourceList>> _discovery = new();

    public async Task<ResourceKind> Of(Type model, CancellationToken ct)
    {
        var entity = model.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{model.Name} is no Kubernetes model (it has no KubernetesEntity attribute)");
        var key = (entity.Group, entity.ApiVersion);
        V1APIResourceList resources;
        try
        {
            resources = await _discovery.GetOrAdd(key, gv => client.CustomObjects.GetAPIResourcesAsync(gv.Item1, gv.Item2, CancellationToken.None)).WaitAsync(ct);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            _discovery.TryRemove(key, out _); // a failed answer is not remembered
            throw;
        }
        var resource = resources.Resources.FirstOrDefault(r => r.Name == entity.PluralName)
            ?? throw new ArgumentException($"the API serves no {entity.PluralName} in {(entity.Group.Length == 0 ? "" : entity.Group + "/")}{entity.ApiVersion}");
        return new ResourceKind(entity.Group, entity.ApiVersion, entity.PluralName, entity.Kind, resource.Namespaced);
    }
}

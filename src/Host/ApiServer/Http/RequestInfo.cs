using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.ApiServer.Http;

/// <summary>
/// A resource request decoded from its path, as kube-apiserver's RequestInfoFactory does:
/// <c>/api/v1[/watch][/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]</c> and the same under
/// <c>/apis/{group}/{version}</c>.
/// </summary>
public sealed record RequestInfo(
    ResourceType Type,
    string? Namespace,
    string? Name,
    string? Subresource,
    bool WatchPrefix)
{
    // Subresources of a namespace, as opposed to a resource inside it.
    private static readonly HashSet<string> NamespaceSubresources = ["status", "finalize"];

    /// <summary>Parses the path segments after the group-version; null when no such resource is served.</summary>
    public static RequestInfo? Parse(string group, string version, IReadOnlyList<string> parts)
    {
        var watch = false;
        var rest = parts.ToList();
        if (rest.Count > 0 && rest[0] == "watch")
        {
            watch = true;
            rest.RemoveAt(0);
        }
        if (rest.Count == 0) return null;

        string? ns = null;
        if (rest[0] == "namespaces" && rest.Count > 2 && !NamespaceSubresources.Contains(rest[2]))
        {
            ns = rest[1];
            rest.RemoveRange(0, 2);
        }
        var type = ResourceCatalog.Find(group, version, rest[0]);
        if (type is null || rest.Count > 3) return null;
        if (ns is not null && !type.Namespaced) return null;
        var name = rest.Count > 1 ? rest[1] : null;
        var sub = rest.Count > 2 ? rest[2] : null;
        if (sub is not null && !type.Subresources.Contains(sub)) return null;
        return new RequestInfo(type, ns, name, sub, watch);
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.ApiServer.Discovery;

/// <summary>
/// Aggregated discovery (apidiscovery.k8s.io/v2, the default since Kubernetes 1.30): /api and
/// /apis each describe all their groups, versions and resources in one document.
/// </summary>
public static class AggregatedDiscovery
{
    public const string ContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    /// <summary>Whether the Accept header asks for the aggregated form (v2 or v2beta1).</summary>
    public static string? Negotiate(string? accept)
    {
        foreach (var raw in (accept ?? "").Split(','))
        {
            var parts = raw.Split(';').Select(p => p.Trim()).ToArray();
            if (parts[0] != "application/json") continue;
            var p = parts.Skip(1).Select(x => x.Split('=', 2)).Where(x => x.Length == 2).ToDictionary(x => x[0], x => x[1]);
            if (p.GetValueOrDefault("as") == "APIGroupDiscoveryList" && p.GetValueOrDefault("g") == "apidiscovery.k8s.io"
                && p.GetValueOrDefault("v") is "v2" or "v2beta1")
                return $"application/json;g=apidiscovery.k8s.io;v={p["v"]};as=APIGroupDiscoveryList";
        }
        return null;
    }

    /// <summary>The document for /api (core group only) or /apis (all named groups).</summary>
    public static JsonObject Document(bool core, string apiVersion)
    {
        var groups = ResourceCatalog.Served().Select(r => r.Group).Distinct().Where(g => core ? g.Length == 0 : g.Length > 0);
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = apiVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = new JsonArray(groups.Select(g => (JsonNode)Group(g)).ToArray()),
        };
    }

    private static JsonObject Group(string group) => new()
    {
        ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
        ["versions"] = new JsonArray(ResourceCatalog.Served().Where(r => r.Group == group).Select(r => r.Version).Distinct()
            .Select(v => (JsonNode)new JsonObject
            {
                ["version"] = v,
                ["resources"] = new JsonArray(ResourceCatalog.InGroupVersion(group, v).Select(r => (JsonNode)Resource(r)).ToArray()),
                ["freshness"] = "Current",
            }).ToArray()),
    };

    private static JsonObject Resource(ResourceType r)
    {
        var resource = new JsonObject
        {
            ["resource"] = r.Plural,
            // kube-apiserver builds these from the legacy APIResource, which names a group and
            // version only where they differ from the resource's own (scale, eviction).
            ["responseKind"] = Kind("", "", r.Kind),
            ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = r.Singular,
            ["verbs"] = Strings(r.Verbs),
        };
        if (r.ShortNames.Count > 0) resource["shortNames"] = Strings(r.ShortNames);
        if (r.Categories.Count > 0) resource["categories"] = Strings(r.Categories);
        if (r.Subresources.Count > 0)
            resource["subresources"] = new JsonArray(r.Subresources.Order(StringComparer.Ordinal).Select(s =>
            {
                var shape = DiscoveryDocuments.Subresource(s);
                return (JsonNode)new JsonObject
                {
                    ["subresource"] = s,
                    ["responseKind"] = Kind(shape.Group, shape.Version, shape.Kind.Length > 0 ? shape.Kind : r.Kind),
                    ["verbs"] = Strings(shape.Verbs),
                };
            }).ToArray());
        return resource;
    }

    private static JsonObject Kind(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.ApiServer.Discovery;

/// <summary>
/// The legacy (unaggregated) discovery documents: /api, /apis, /apis/{group},
/// /api/v1 and /apis/{group}/{version}. kubectl v1.32 first asks for aggregated discovery and
/// falls back to these when the answer is plain application/json.
/// </summary>
public static class DiscoveryDocuments
{
    /// <summary>The version this emulator reports, matching the kubelets' version.</summary>
    public static readonly JsonObject Version = new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.4",
        ["gitCommit"] = "59526cd4867447956156ae3a602fcbac10a2c335",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-04-22T16:03:14Z",
        ["goVersion"] = "go1.23.6",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private static readonly Dictionary<string, (string Kind, string Group, string Version, string[] Verbs)> SubresourceShapes = new()
    {
        ["status"] = ("", "", "", ["get", "patch", "update"]),
        ["binding"] = ("Binding", "", "", ["create"]),
        ["eviction"] = ("Eviction", "policy", "v1", ["create"]),
        ["finalize"] = ("", "", "", ["update"]),
        ["log"] = ("Pod", "", "", ["get"]),
        ["exec"] = ("PodExecOptions", "", "", ["create", "get"]),
        ["attach"] = ("PodAttachOptions", "", "", ["create", "get"]),
        ["portforward"] = ("PodPortForwardOptions", "", "", ["create", "get"]),
        ["ephemeralcontainers"] = ("", "", "", ["get", "patch", "update"]),
        ["scale"] = ("Scale", "autoscaling", "v1", ["get", "patch", "update"]),
        ["token"] = ("TokenRequest", "authentication.k8s.io", "v1", ["create"]),
    };

    /// <summary>Kind, group, version and verbs of a subresource as discovery describes it.</summary>
    public static (string Kind, string Group, string Version, string[] Verbs) Subresource(string name) => SubresourceShapes[name];

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = serverAddress,
        }),
    };

    public static JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(NamedGroups().Select(g => (JsonNode)GroupBody(g)).ToArray()),
    };

    public static JsonObject? Group(string name) => NamedGroups().Contains(name) ? WithKind(GroupBody(name)) : null;

    public static JsonObject? Resources(string group, string version)
    {
        var types = ResourceCatalog.InGroupVersion(group, version).ToArray();
        if (types.Length == 0) return null;
        var resources = new JsonArray();
        foreach (var t in types)
        {
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(t.Verbs.Select(v => (JsonNode)v).ToArray()),
            };
            if (t.ShortNames.Count > 0) r["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode)s).ToArray());
            if (t.Categories.Count > 0) r["categories"] = new JsonArray(t.Categories.Select(s => (JsonNode)s).ToArray());
            resources.Add(r);
            foreach (var sub in t.Subresources.Order(StringComparer.Ordinal))
            {
                var shape = SubresourceShapes[sub];
                var s = new JsonObject
                {
                    ["name"] = $"{t.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                };
                if (shape.Group.Length > 0) s["group"] = shape.Group;
                if (shape.Version.Length > 0) s["version"] = shape.Version;
                s["kind"] = shape.Kind.Length > 0 ? shape.Kind : t.Kind;
                s["verbs"] = new JsonArray(shape.Verbs.Select(v => (JsonNode)v).ToArray());
                resources.Add(s);
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static IEnumerable<string> NamedGroups() =>
        ResourceCatalog.Served().Select(r => r.Group).Where(g => g.Length > 0).Distinct();

    private static JsonObject GroupBody(string name)
    {
        var versions = ResourceCatalog.Served().Where(r => r.Group == name).Select(r => r.Version).Distinct()
            .Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{name}/{v}", ["version"] = v }).ToArray();
        return new JsonObject
        {
            ["name"] = name,
            ["versions"] = new JsonArray(versions),
            ["preferredVersion"] = versions[0]!.DeepClone(),
        };
    }

    private static JsonObject WithKind(JsonObject group)
    {
        var result = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (k, v) in group.ToArray())
        {
            group.Remove(k);
            result[k] = v;
        }
        return result;
    }
}

using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Schema;

namespace Akka.KubeEmu.Host.OpenApi;

/// <summary>A served document with the ETag clients cache it by.</summary>
public sealed record OpenApiDocument(byte[] Body, string ETag, string ContentType);

/// <summary>
/// The OpenAPI documents kubectl downloads before `apply` (and for `explain`): /openapi/v2 in
/// JSON or protobuf, /openapi/v3 and one v3 document per group-version. Built once, lazily.
/// </summary>
public static class OpenApiDocuments
{
    /// <summary>
    /// What a protobuf v2 answer is labelled with: clients ask for ...spec.v2@v1.0+protobuf, but
    /// kube-openapi replies with a dot, since Go's mime parser rejects the '@'.
    /// </summary>
    public const string ProtobufV2 = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";
    public const string KubernetesVersion = "v1.32.4";

    private static readonly Lazy<JsonObject> V2 = new(BuildV2);
    private static readonly Lazy<OpenApiDocument> V2JsonDoc = new(() => Document(KubeObject.ToBytes(V2.Value), "application/json"));
    private static readonly Lazy<OpenApiDocument> V2ProtoDoc = new(() => Document(GnosticProtobuf.Encode(V2.Value), ProtobufV2));
    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> V3Definitions =
        new(() => DefinitionsBuilder.For(ResourceCatalog.All, "#/components/schemas/", wrapDescribedRefs: true));
    private static readonly Lazy<IReadOnlyDictionary<string, OpenApiDocument>> V3Docs = new(BuildV3);

    public static OpenApiDocument V2Json => V2JsonDoc.Value;

    public static OpenApiDocument V2Protobuf => V2ProtoDoc.Value;

    /// <summary>The v3 document of "api/v1" or "apis/apps/v1", or null.</summary>
    public static OpenApiDocument? V3(string groupVersionPath) =>
        V3Docs.Value.GetValueOrDefault(groupVersionPath) ?? CustomV3().GetValueOrDefault(groupVersionPath);

    public static OpenApiDocument V3Discovery
    {
        get
        {
            var paths = new JsonObject();
            foreach (var (path, doc) in V3Docs.Value.Concat(CustomV3()).OrderBy(p => p.Key, StringComparer.Ordinal))
                paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={doc.ETag}" };
            return Document(KubeObject.ToBytes(new JsonObject { ["paths"] = paths }), "application/json");
        }
    }

    private static JsonObject BuildV2() => new()
    {
        ["swagger"] = "2.0",
        ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = KubernetesVersion },
        ["paths"] = new PathsBuilder("#/definitions/", v3: false).Build(ResourceCatalog.All),
        ["definitions"] = ToJson(DefinitionsBuilder.For(ResourceCatalog.All, "#/definitions/", wrapDescribedRefs: false)),
    };

    private static IReadOnlyDictionary<string, OpenApiDocument> BuildV3()
    {
        var all = V3Definitions.Value;
        var docs = new Dictionary<string, OpenApiDocument>(StringComparer.Ordinal);
        foreach (var gv in ResourceCatalog.All.GroupBy(r => (r.Group, r.Version)))
        {
            var paths = new PathsBuilder("#/components/schemas/", v3: true).Build(gv);
            var schemas = Closure(paths, all);
            var doc = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = KubernetesVersion },
                ["paths"] = paths,
                ["components"] = new JsonObject { ["schemas"] = schemas },
            };
            var path = gv.Key.Group.Length == 0 ? $"api/{gv.Key.Version}" : $"apis/{gv.Key.Group}/{gv.Key.Version}";
            docs[path] = Document(KubeObject.ToBytes(doc), "application/json");
        }
        return docs;
    }

    /// <summary>
    /// One document per group-version of the served custom resources, built from their definitions'
    /// schemas on each request (definitions change at run time), as the apiextensions-apiserver publishes them.
    /// </summary>
    private static Dictionary<string, OpenApiDocument> CustomV3()
    {
        var docs = new Dictionary<string, OpenApiDocument>(StringComparer.Ordinal);
        foreach (var gv in Akka.KubeEmu.Actors.Api.CustomResources.CustomResourceRegistry.Served().GroupBy(r => (r.Group, r.Version)))
        {
            var all = new Dictionary<string, JsonObject>(V3Definitions.Value, StringComparer.Ordinal);
            foreach (var type in gv)
                foreach (var (name, schema) in CustomResourceSchemas.For(type, "#/components/schemas/")) all[name] = schema;
            var paths = new PathsBuilder("#/components/schemas/", v3: true).Build(gv);
            var doc = new JsonObject
            {
                ["openapi"] = "3.0.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes CRD Swagger", ["version"] = "v0.1.0" },
                ["paths"] = paths,
                ["components"] = new JsonObject { ["schemas"] = Closure(paths, all) },
            };
            docs[$"apis/{gv.Key.Group}/{gv.Key.Version}"] = Document(KubeObject.ToBytes(doc), "application/json");
        }
        return docs;
    }

    /// <summary>The schemas the paths reference, transitively (a group-version document carries only what it uses).</summary>
    private static JsonObject Closure(JsonNode root, IReadOnlyDictionary<string, JsonObject> all)
    {
        var needed = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<JsonNode>([root]);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key == "$ref" && value is JsonValue refValue && refValue.TryGetValue<string>(out var r) && r.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                        {
                            var name = r["#/components/schemas/".Length..];
                            if (needed.Add(name) && all.TryGetValue(name, out var schema)) pending.Push(schema);
                        }
                        else if (value is not null) pending.Push(value);
                    }
                    break;
                case JsonArray a:
                    foreach (var item in a) if (item is not null) pending.Push(item);
                    break;
            }
        }
        return new JsonObject(needed.Where(all.ContainsKey).Select(n => new KeyValuePair<string, JsonNode?>(n, all[n].DeepClone())));
    }

    private static JsonObject ToJson(IReadOnlyDictionary<string, JsonObject> definitions) =>
        new(definitions.Select(d => new KeyValuePair<string, JsonNode?>(d.Key, d.Value.DeepClone())));

    private static OpenApiDocument Document(byte[] body, string contentType) =>
        new(body, Convert.ToHexString(SHA512.HashData(body)), contentType);
}

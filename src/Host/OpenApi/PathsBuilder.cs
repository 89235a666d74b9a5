using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.OpenApi;

/// <summary>
/// The paths and operations of the served resources. Writes carry the dryRun, fieldManager and
/// fieldValidation query parameters: kubectl 1.27+ looks for fieldValidation on the PATCH
/// operation of a kind to decide that the server validates fields itself.
/// </summary>
public sealed class PathsBuilder(string refPrefix, bool v3)
{
    public JsonObject Build(IEnumerable<ResourceType> types)
    {
        var paths = new JsonObject();
        foreach (var type in types)
        {
            var root = type.Group.Length == 0 ? $"/api/{type.Version}" : $"/apis/{type.Group}/{type.Version}";
            var collection = type.Namespaced ? $"{root}/namespaces/{{namespace}}/{type.Plural}" : $"{root}/{type.Plural}";
            if (ResourceCatalog.IsReview(type))
            {
                paths[collection] = new JsonObject
                {
                    ["post"] = Operation(type, "post", "create", OperationNames.Of("create", type), WriteParameters(), type.Kind, body: true),
                    ["parameters"] = PathParameters(type.Namespaced, named: false),
                };
                continue;
            }
            paths[collection] = new JsonObject
            {
                ["get"] = Operation(type, "list", "list", OperationNames.Of("list", type), ListParameters(), type.ListKind),
                ["post"] = Operation(type, "post", "create", OperationNames.Of("create", type), WriteParameters(), type.Kind, body: true),
                ["delete"] = Operation(type, "deletecollection", "deletecollection", OperationNames.Of("deletecollection", type), ListParameters(), "Status"),
                ["parameters"] = PathParameters(type.Namespaced, named: false),
            };
            paths[$"{collection}/{{name}}"] = Item(type, null);
            foreach (var sub in type.Subresources.Where(s => s is "status" or "scale"))
                paths[$"{collection}/{{name}}/{sub}"] = Item(type, sub);
            if (type.Namespaced)
                paths[$"{root}/{type.Plural}"] = new JsonObject
                {
                    ["get"] = Operation(type, "list", "list", OperationNames.Of("list", type, allNamespaces: true), ListParameters(), type.ListKind),
                };
        }
        return paths;
    }

    private JsonObject Item(ResourceType type, string? sub)
    {
        // The scale subresource reads and writes an autoscaling/v1 Scale, the others the kind itself.
        var kind = sub == "scale" ? Scale : type.Kind;
        var item = new JsonObject
        {
            ["get"] = Operation(type, "get", "read", OperationNames.Of("read", type, sub), [], kind),
            ["put"] = Operation(type, "put", "replace", OperationNames.Of("replace", type, sub), WriteParameters(), kind, body: true),
            ["patch"] = Operation(type, "patch", "patch", OperationNames.Of("patch", type, sub), WriteParameters().Append(Query("force", "boolean")).ToArray(), kind, body: true, patch: true),
        };
        if (sub is null)
            item["delete"] = Operation(type, "delete", "delete", OperationNames.Of("delete", type), [Query("gracePeriodSeconds", "integer"), Query("propagationPolicy", "string"), Query("dryRun", "string")], type.Kind);
        item["parameters"] = PathParameters(type.Namespaced, named: true);
        return item;
    }

    private const string Scale = "Scale";

    private JsonObject Operation(ResourceType type, string action, string verb, string id, JsonNode[] parameters, string responseKind, bool body = false, bool patch = false)
    {
        var parameterList = new JsonArray(parameters.Select(p => p.DeepClone()).ToArray());
        var op = new JsonObject
        {
            ["description"] = $"{verb} {(action is "list" or "deletecollection" ? "objects of kind " : "the specified ")}{type.Kind}",
            ["operationId"] = id,
            ["tags"] = new JsonArray($"{(type.Group.Length == 0 ? "core" : type.Group.Split('.')[0])}_{type.Version}"),
        };
        var responseSchema = Ref(responseKind == "Status" ? "io.k8s.apimachinery.pkg.apis.meta.v1.Status" : DefinitionFor(type, responseKind));
        var patchTypes = new JsonArray("application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml");
        if (v3)
        {
            if (body)
                op["requestBody"] = new JsonObject
                {
                    ["content"] = patch
                        ? new JsonObject(patchTypes.Select(t => new KeyValuePair<string, JsonNode?>(t!.GetValue<string>(), new JsonObject { ["schema"] = Ref("io.k8s.apimachinery.pkg.apis.meta.v1.Patch") })))
                        : new JsonObject { ["*/*"] = new JsonObject { ["schema"] = Ref(DefinitionFor(type, responseKind)) } },
                    ["required"] = true,
                };
            op["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject
                    {
                        ["application/json"] = new JsonObject { ["schema"] = responseSchema.DeepClone() },
                        ["application/yaml"] = new JsonObject { ["schema"] = responseSchema.DeepClone() },
                    },
                },
            };
        }
        else
        {
            op["consumes"] = patch ? patchTypes : new JsonArray("*/*");
            op["produces"] = new JsonArray("application/json", "application/yaml", "application/vnd.kubernetes.protobuf");
            op["schemes"] = new JsonArray("https");
            if (body) parameterList.Insert(0, new JsonObject { ["in"] = "body", ["name"] = "body", ["required"] = true, ["schema"] = patch ? Ref("io.k8s.apimachinery.pkg.apis.meta.v1.Patch") : Ref(DefinitionFor(type, responseKind)) });
            op["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK", ["schema"] = responseSchema }, ["401"] = new JsonObject { ["description"] = "Unauthorized" } };
        }
        op["parameters"] = parameterList;
        op["x-kubernetes-action"] = action;
        op["x-kubernetes-group-version-kind"] = responseKind == Scale
            ? new JsonObject { ["group"] = "autoscaling", ["kind"] = Scale, ["version"] = "v1" }
            : new JsonObject { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version };
        return op;
    }

    private static string DefinitionFor(ResourceType type, string kind) =>
        type.Custom is not null && kind != Scale ? CustomResourceSchemas.DefinitionName(type, kind)
        : kind == Scale ? Akka.KubeEmu.Actors.Api.Schema.ModelTypes.DefinitionName(typeof(k8s.Models.V1Scale))
        : kind == type.ListKind && type.ModelType.Assembly.GetType($"{type.ModelType.FullName}List") is { } list
            ? Akka.KubeEmu.Actors.Api.Schema.ModelTypes.DefinitionName(list)
            : Akka.KubeEmu.Actors.Api.Schema.ModelTypes.DefinitionName(type.ModelType);

    private JsonObject Ref(string definition) => new() { ["$ref"] = refPrefix + definition };

    private JsonNode[] WriteParameters() => [Query("dryRun", "string"), Query("fieldManager", "string"), Query("fieldValidation", "string")];

    private JsonNode[] ListParameters() =>
    [
        Query("allowWatchBookmarks", "boolean"), Query("continue", "string"), Query("fieldSelector", "string"), Query("labelSelector", "string"),
        Query("limit", "integer"), Query("resourceVersion", "string"), Query("resourceVersionMatch", "string"), Query("sendInitialEvents", "boolean"),
        Query("timeoutSeconds", "integer"), Query("watch", "boolean"),
    ];

    private JsonArray PathParameters(bool namespaced, bool named)
    {
        var list = new JsonArray();
        if (named) list.Add(PathParameter("name"));
        if (namespaced) list.Add(PathParameter("namespace"));
        list.Add(Query("pretty", "string"));
        return list;
    }

    private JsonObject PathParameter(string name) => v3
        ? new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true } }
        : new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["type"] = "string", ["uniqueItems"] = true };

    private JsonObject Query(string name, string type) => v3
        ? new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true } }
        : new JsonObject { ["name"] = name, ["in"] = "query", ["type"] = type, ["uniqueItems"] = true };
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.OpenApi;

/// <summary>
/// The OpenAPI schemas of a custom resource (builder.go of the apiextensions-apiserver): the version's
/// structural schema with apiVersion, kind and metadata added and its group-version-kind, named by the
/// reversed group ("com.example.stable.v1.CronTab"), and its list.
/// </summary>
public static class CustomResourceSchemas
{
    public static string DefinitionName(ResourceType type, string kind) =>
        $"{string.Join('.', type.Group.Split('.').Reverse())}.{type.Version}.{kind}";

    public static IEnumerable<(string Name, JsonObject Schema)> For(ResourceType type, string refPrefix)
    {
        var schema = type.Custom?.Schema?.DeepClone().AsObject() ?? new JsonObject { ["type"] = "object" };
        var properties = schema["properties"] as JsonObject ?? new JsonObject();
        schema["properties"] = properties;
        properties["apiVersion"] = new JsonObject
        {
            ["description"] = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
            ["type"] = "string",
        };
        properties["kind"] = new JsonObject
        {
            ["description"] = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
            ["type"] = "string",
        };
        properties["metadata"] = new JsonObject
        {
            ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = refPrefix + "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }),
            ["description"] = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        };
        schema["x-kubernetes-group-version-kind"] = Gvk(type, type.Kind);
        yield return (DefinitionName(type, type.Kind), schema);

        yield return (DefinitionName(type, type.ListKind), new JsonObject
        {
            ["description"] = $"{type.Kind}List is a list of {type.Kind}",
            ["required"] = new JsonArray("items"),
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["apiVersion"] = properties["apiVersion"]!.DeepClone(),
                ["items"] = new JsonObject
                {
                    ["description"] = $"List of {type.Plural}. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md",
                    ["type"] = "array",
                    ["items"] = new JsonObject { ["$ref"] = refPrefix + DefinitionName(type, type.Kind) },
                },
                ["kind"] = properties["kind"]!.DeepClone(),
                ["metadata"] = new JsonObject
                {
                    ["allOf"] = new JsonArray(new JsonObject { ["$ref"] = refPrefix + "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta" }),
                    ["description"] = "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
                },
            },
            ["x-kubernetes-group-version-kind"] = Gvk(type, type.ListKind),
        });
    }

    private static JsonArray Gvk(ResourceType type, string kind) =>
        new(new JsonObject { ["group"] = type.Group, ["kind"] = kind, ["version"] = type.Version });
}

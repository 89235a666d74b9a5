using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <summary>
/// Builds the OpenAPI schema definitions of every model reachable from the served kinds, in
/// Swagger 2.0 form with refs under <paramref name="refPrefix"/> ("#/definitions/" for v2,
/// "#/components/schemas/" for v3), with the extensions kubectl reads: group-version-kind,
/// patch strategy and merge key, list type and map keys. A described reference is
/// <c>{"$ref", "description"}</c> in v2 and <c>{"allOf": [{"$ref"}], "description"}</c> in v3, as
/// kube-apiserver publishes them.
/// </summary>
public sealed class DefinitionsBuilder(string refPrefix, bool wrapDescribedRefs)
{
    private readonly SortedDictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<(string Group, string Version, string Kind)>> _kinds = new();

    public static SortedDictionary<string, JsonObject> For(IEnumerable<ResourceType> types, string refPrefix, bool wrapDescribedRefs)
    {
        var builder = new DefinitionsBuilder(refPrefix, wrapDescribedRefs);
        foreach (var type in types.Where(t => t.ModelType is not null))
        {
            builder.AddKind(type.ModelType, type.Group, type.Version, type.Kind);
            if (type.ModelType.Assembly.GetType($"{type.ModelType.FullName}List") is { } list)
                builder.AddKind(list, type.Group, type.Version, type.ListKind);
        }
        // The scale subresource's kind, served by every resource that has one.
        builder.AddKind(typeof(V1Scale), "autoscaling", "v1", "Scale");
        foreach (var meta in new[] { typeof(V1Status), typeof(V1DeleteOptions), typeof(V1WatchEvent), typeof(V1Binding), typeof(V1Eviction) })
            builder.Reference(meta);
        builder.AddPrimitives();
        return builder._definitions;
    }

    private void AddKind(Type model, string group, string version, string kind)
    {
        if (!_kinds.TryGetValue(model, out var list)) _kinds[model] = list = [];
        list.Add((group, version, kind));
        _definitions.Remove(ModelTypes.DefinitionName(model));
        Reference(model);
    }

    /// <summary>A $ref to the model's definition, building the definition on first use.</summary>
    private JsonObject Reference(Type model)
    {
        var name = ModelTypes.DefinitionName(model);
        if (!_definitions.ContainsKey(name))
        {
            _definitions[name] = new JsonObject(); // placeholder against cycles (JSONSchemaProps-like recursion)
            _definitions[name] = Definition(model);
        }
        return new JsonObject { ["$ref"] = refPrefix + name };
    }

    private JsonObject Definition(Type model)
    {
        var definition = new JsonObject();
        if (XmlDocs.Type(model) is { } doc) definition["description"] = doc;
        var properties = new JsonObject();
        foreach (var field in ModelTypes.Fields(model).Values.OrderBy(f => f.JsonName, StringComparer.Ordinal))
        {
            var schema = model == typeof(k8s.Models.V1JSONSchemaProps) && AnyJson(field.Type) is { } any ? any : Schema(field.Type, field.JsonName);
            if (XmlDocs.Property(field.Property) is { } text)
            {
                if (wrapDescribedRefs && schema.ContainsKey("$ref")) schema = new JsonObject { ["allOf"] = new JsonArray(schema) };
                schema["description"] = text;
            }
            if (PatchStrategies.Lookup(model, field.JsonName) is { } strategy)
            {
                if (strategy.MergeKey is not null) schema["x-kubernetes-patch-merge-key"] = strategy.MergeKey;
                schema["x-kubernetes-patch-strategy"] = strategy.Strategy;
                if (strategy.MapKeys is { } keys)
                {
                    schema["x-kubernetes-list-map-keys"] = new JsonArray(keys.Select(k => (JsonNode)k).ToArray());
                    schema["x-kubernetes-list-type"] = "map";
                }
                else if (strategy.MergeKey is null && strategy.Merges)
                {
                    schema["x-kubernetes-list-type"] = "set";
                }
            }
            if (ListTypes.Explicit(model, field.JsonName) is { } listType)
            {
                schema["x-kubernetes-list-type"] = listType.Type;
                if (listType.MapKeys.Count > 0) schema["x-kubernetes-list-map-keys"] = new JsonArray(listType.MapKeys.Select(k => (JsonNode)k).ToArray());
                else schema.Remove("x-kubernetes-list-map-keys");
            }
            properties[field.JsonName] = schema;
        }
        definition["properties"] = properties;
        if (RequiredFields.Of(model) is { Count: > 0 } required)
            definition["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        definition["type"] = "object";
        if (_kinds.TryGetValue(model, out var kinds))
            definition["x-kubernetes-group-version-kind"] = new JsonArray(kinds.Select(k => (JsonNode)new JsonObject
            {
                ["group"] = k.Group,
                ["kind"] = k.Kind,
                ["version"] = k.Version,
            }).ToArray());
        return definition;
    }

    // JSONSchemaProps' free-form fields (default, enum, example, items, additionalProperties...) refer to
    // typeless definitions (JSON, JSONSchemaPropsOrBool...): any JSON value, not only an object.
    private JsonObject? AnyJson(Type type)
    {
        if (type == typeof(object)) return new JsonObject { ["$ref"] = refPrefix + ModelTypes.ApiExtensions + "JSON" };
        if (ModelTypes.ElementType(type) == typeof(object))
            return new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = refPrefix + ModelTypes.ApiExtensions + "JSON" } };
        if (ModelTypes.MapValueType(type) == typeof(object))
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["$ref"] = refPrefix + ModelTypes.ApiExtensions + "JSON" } };
        return null;
    }

    private JsonObject Schema(Type type, string fieldName)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return new JsonObject { ["type"] = "string" };
        if (underlying == typeof(bool)) return new JsonObject { ["type"] = "boolean" };
        if (underlying == typeof(int)) return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        if (underlying == typeof(long)) return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        if (underlying == typeof(double) || underlying == typeof(float) || underlying == typeof(decimal)) return new JsonObject { ["type"] = "number", ["format"] = "double" };
        if (underlying == typeof(byte[])) return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        if (underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset))
            return new JsonObject { ["$ref"] = refPrefix + "io.k8s.apimachinery.pkg.apis.meta.v1." + (ModelTypes.MicroTimeFields.Contains(fieldName) ? "MicroTime" : "Time") };
        if (underlying == typeof(ResourceQuantity)) return new JsonObject { ["$ref"] = refPrefix + ModelTypes.DefinitionName(typeof(ResourceQuantity)) };
        if (underlying == typeof(IntOrString)) return new JsonObject { ["$ref"] = refPrefix + ModelTypes.DefinitionName(typeof(IntOrString)) };
        if (ModelTypes.MapValueType(underlying) is { } value)
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = Schema(value, "") };
        if (ModelTypes.ElementType(underlying) is { } element)
            return new JsonObject { ["type"] = "array", ["items"] = Schema(element, "") };
        if (ModelTypes.IsModel(underlying)) return Reference(underlying);
        // object/JsonElement fields (raw extensions, fieldsV1): any JSON.
        return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    private void AddPrimitives()
    {
        _definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"] = new JsonObject
        {
            ["description"] = "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.",
            ["type"] = "string",
        };
        _definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = new JsonObject
        {
            ["description"] = "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
            ["format"] = "int-or-string",
            ["type"] = "string",
        };
        _definitions["io.k8s.apimachinery.pkg.apis.meta.v1.Time"] = new JsonObject
        {
            ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
            ["format"] = "date-time",
            ["type"] = "string",
        };
        _definitions["io.k8s.apimachinery.pkg.apis.meta.v1.Patch"] = new JsonObject
        {
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ["type"] = "object",
        };
        _definitions[ModelTypes.ApiExtensions + "JSON"] = new JsonObject
        {
            ["description"] = "JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.",
        };
        _definitions["io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime"] = new JsonObject
        {
            ["description"] = "MicroTime is version of Time with microsecond level precision.",
            ["format"] = "date-time",
            ["type"] = "string",
        };
    }
}

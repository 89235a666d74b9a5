using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Schema;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>How a node of an object merges and is owned (structured-merge-diff's schema atoms).</summary>
public enum SchemaKind
{
    /// <summary>A leaf: one owner, replaced as a whole.</summary>
    Scalar,
    /// <summary>A struct or list marked atomic (+structType=atomic, +listType=atomic, untagged lists): a leaf too.</summary>
    Atomic,
    /// <summary>Named fields, each owned on its own.</summary>
    Struct,
    /// <summary>A map whose entries are owned one by one (labels, annotations, resource lists).</summary>
    Map,
    /// <summary>+listType=map: items identified by their key fields.</summary>
    MapList,
    /// <summary>+listType=set: items identified by their value.</summary>
    SetList,
    /// <summary>Nothing known (custom fields preserved without schema): maps granular, lists atomic.</summary>
    Untyped,
}

/// <summary>
/// The shape of an object for field ownership: which nodes are structs, granular maps,
/// associative lists (and their keys), sets or atomic leaves. Built-in kinds read it from the
/// official KubernetesClient models plus the tags of <see cref="ListTypes"/> and <see cref="AtomicTags"/>; custom
/// resources from their structural schema (x-kubernetes-list-type, -list-map-keys, -map-type).
/// </summary>
public abstract class TypeSchema
{
    public abstract SchemaKind Kind { get; }

    /// <summary>The schema of a field (Struct) or of every entry (Map); Untyped when unknown.</summary>
    public virtual TypeSchema Field(string name) => Untyped;

    /// <summary>The schema of the items of a list.</summary>
    public virtual TypeSchema Element => Untyped;

    /// <summary>The key fields of a MapList.</summary>
    public virtual IReadOnlyList<string> Keys => [];

    /// <summary>
    /// Whether a struct's field is always there once the struct is (a Go struct value or a field
    /// without omitempty): its appearing or going is no change of its own.
    /// </summary>
    public virtual bool IsAlwaysSet(string field) => false;

    /// <summary>Whether an explicit null in a struct is no value at all (a Go struct decodes it as unset).</summary>
    public virtual bool DropsNulls => false;

    /// <summary><see cref="Keys"/> in ordinal order, the order of a path element's key object.</summary>
    public virtual IReadOnlyList<string> SortedKeys => [];

    public static readonly TypeSchema Scalar = new Leaf(SchemaKind.Scalar);
    public static readonly TypeSchema Atomic = new Leaf(SchemaKind.Atomic);
    public static readonly TypeSchema Untyped = new Deduced();

    private static readonly ConcurrentDictionary<Type, TypeSchema> Models = new();

    /// <summary>The schema objects of <paramref name="type"/> are owned by.</summary>
    public static TypeSchema Of(ResourceType type) =>
        type.Custom is { } custom ? CustomObject(custom.Schema) : ForModel(type.ModelType);

    public static TypeSchema ForModel(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) type = inner;
        if (type == typeof(object) || type == typeof(JsonNode) || type == typeof(JsonObject)) return Untyped;
        if (ModelTypes.MapValueType(type) is { } value) return new MapOf(ForModel(value));
        if (!ModelTypes.IsModel(type)) return type == typeof(string) || ModelTypes.ElementType(type) is null ? Scalar : Atomic;
        if (AtomicTags.IsAtomicStruct(type)) return Atomic;
        return Models.GetOrAdd(type, t => new ModelStruct(t));
    }

    private static TypeSchema ForModelField(Type parent, string name, Type fieldType)
    {
        if (ModelTypes.MapValueType(fieldType) is not null && AtomicTags.IsAtomicMap(parent, name)) return Atomic;
        if (fieldType == typeof(string) || fieldType == typeof(byte[]) || ModelTypes.ElementType(fieldType) is not { } element)
            return ForModel(fieldType);
        var listType = ListTypes.Of(parent, name);
        return listType.Type switch
        {
            "map" when listType.MapKeys.Count > 0 => new ListOf(SchemaKind.MapList, ForModel(element), listType.MapKeys),
            "set" => new ListOf(SchemaKind.SetList, ForModel(element), []),
            _ => Atomic,
        };
    }

    /// <summary>A custom object: apiVersion, kind and ObjectMeta as built-ins have them, the rest from the schema.</summary>
    public static TypeSchema CustomObject(JsonObject? schema) => new CustomRoot(schema);

    public static TypeSchema FromJsonSchema(JsonObject? schema)
    {
        if (schema is null) return Untyped;
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true) return Scalar;
        if (schema["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true) return new CustomRoot(schema);
        switch ((string?)schema["type"])
        {
            case "object":
                if ((string?)schema["x-kubernetes-map-type"] == "atomic") return Atomic;
                if (schema["properties"] is JsonObject) return new JsonStruct(schema);
                if (schema["additionalProperties"] is JsonObject additional) return new MapOf(FromJsonSchema(additional));
                return Untyped;
            case "array":
                var items = FromJsonSchema(schema["items"] as JsonObject);
                return (string?)schema["x-kubernetes-list-type"] switch
                {
                    "map" => new ListOf(SchemaKind.MapList, items,
                        (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => (string?)k).OfType<string>().ToArray() ?? []),
                    "set" => new ListOf(SchemaKind.SetList, items, []),
                    _ => Atomic,
                };
            case null when schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true:
                return Untyped;
            default:
                return Scalar;
        }
    }

    private sealed class Leaf(SchemaKind kind) : TypeSchema
    {
        public override SchemaKind Kind => kind;
    }

    private sealed class Deduced : TypeSchema
    {
        public override SchemaKind Kind => SchemaKind.Untyped;
    }

    private sealed class MapOf(TypeSchema value) : TypeSchema
    {
        public override SchemaKind Kind => SchemaKind.Map;
        public override TypeSchema Field(string name) => value;
    }

    private sealed class ListOf(SchemaKind kind, TypeSchema element, IReadOnlyList<string> keys) : TypeSchema
    {
        public override SchemaKind Kind => kind;
        public override TypeSchema Element => element;
        public override IReadOnlyList<string> Keys => keys;
        public override IReadOnlyList<string> SortedKeys { get; } = keys.Order(StringComparer.Ordinal).ToArray();
    }

    private sealed class ModelStruct(Type type) : TypeSchema
    {
        private readonly ConcurrentDictionary<string, TypeSchema> _fields = new(StringComparer.Ordinal);

        public override SchemaKind Kind => SchemaKind.Struct;

        public override bool IsAlwaysSet(string field) => ZeroValueFields.IsAlwaysSet(type, field);

        public override bool DropsNulls => true;

        // Looked up for every field of every write: a hit allocates nothing (GetOrAdd's lambda captures the type).
        public override TypeSchema Field(string name) => _fields.TryGetValue(name, out var known) ? known : _fields.GetOrAdd(name, n =>
            ModelTypes.Fields(type).TryGetValue(n, out var field) ? ForModelField(type, n, field.Type) : Untyped);
    }

    private sealed class JsonStruct(JsonObject schema) : TypeSchema
    {
        private readonly ConcurrentDictionary<string, TypeSchema> _fields = new(StringComparer.Ordinal);

        public override SchemaKind Kind => SchemaKind.Struct;

        public override TypeSchema Field(string name) => _fields.TryGetValue(name, out var known) ? known : _fields.GetOrAdd(name, n =>
            schema["properties"]?[n] is JsonObject property ? FromJsonSchema(property)
            : schema["additionalProperties"] is JsonObject additional ? FromJsonSchema(additional)
            : Untyped);
    }

    private sealed class CustomRoot(JsonObject? schema) : TypeSchema
    {
        private readonly TypeSchema _rest = schema is null ? Untyped : new JsonStruct(schema);

        public override SchemaKind Kind => SchemaKind.Struct;

        public override TypeSchema Field(string name) => name switch
        {
            "apiVersion" or "kind" => Scalar,
            "metadata" => ForModel(typeof(V1ObjectMeta)),
            _ => _rest.Field(name),
        };
    }
}

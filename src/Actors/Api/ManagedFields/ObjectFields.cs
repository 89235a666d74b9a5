using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>What changed between two versions of an object, as paths (typed.Comparison).</summary>
public sealed record Comparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    public FieldSet Changed => Added.Union(Modified);
}

/// <summary>
/// The walks structured-merge-diff makes over a typed value: the fields a value sets
/// (ToFieldSet), what differs between two values (Compare), an applied configuration merged
/// into the live object (Merge), and removal of owned items (RemoveItems).
/// </summary>
public static class ObjectFields
{
    // metadata.managedFields is nobody's field: the walks leave it out rather than copy objects without it.
    private static readonly string Metadata = FieldPath.Field("metadata");

    private static bool IsManagedFields(string path, string key) => key == "managedFields" && path == Metadata;

    /// <summary>Every leaf, list item and map entry the value sets; empty or null values count as set.</summary>
    public static FieldSet ToFieldSet(JsonNode? value, TypeSchema schema)
    {
        var set = new FieldSet();
        Collect(value, schema, "", set);
        return set;
    }

    private static void Collect(JsonNode? value, TypeSchema schema, string path, FieldSet set)
    {
        switch (Shape(schema, value))
        {
            case SchemaKind.Struct or SchemaKind.Map or SchemaKind.Untyped when value is JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    if (IsManagedFields(path, key)) continue;
                    var childPath = FieldPath.Child(path, FieldPath.Field(key));
                    Collect(child, schema.Field(key), childPath, set);
                    if (child is null or JsonObject { Count: 0 } || schema.Kind != SchemaKind.Struct) set.Insert(childPath);
                }
                break;
            case SchemaKind.MapList or SchemaKind.SetList when value is JsonArray list:
                foreach (var item in list)
                {
                    var itemPath = FieldPath.Child(path, ItemKey(item, schema));
                    if (schema.Kind == SchemaKind.MapList) Collect(item, schema.Element, itemPath, set);
                    set.Insert(itemPath);
                }
                break;
            default:
                if (path.Length > 0) set.Insert(path);
                break;
        }
    }

    public static Comparison Compare(JsonNode? lhs, JsonNode? rhs, TypeSchema schema)
    {
        var result = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        Compare(lhs, rhs, schema, new List<string>(16), result);
        return result;
    }

    // The path is a stack of elements joined only for what differs: every write of every object is
    // compared (managedFields), and most of its fields are the same on both sides.
    private static void Compare(JsonNode? lhs, JsonNode? rhs, TypeSchema schema, List<string> path, Comparison result)
    {
        if (lhs is null && rhs is null) return;
        var kind = Shape(schema, rhs ?? lhs);
        if (kind is SchemaKind.Struct or SchemaKind.Map or SchemaKind.Untyped && (lhs ?? rhs) is JsonObject && lhs is JsonObject or null && rhs is JsonObject or null)
        {
            var left = lhs as JsonObject;
            var right = rhs as JsonObject;
            var atMetadata = path.Count == 1 && path[0] == Metadata;
            foreach (var key in Keys(left, right))
            {
                if (atMetadata && key == "managedFields") continue;
                CompareKey(left, right, key, kind, schema, path, result);
            }
            return;
        }
        if (kind is SchemaKind.MapList or SchemaKind.SetList && lhs is JsonArray or null && rhs is JsonArray or null)
        {
            // An unchanged list (owner references, a pod's containers) has nothing to report: no item keys to build.
            if (lhs is not null && rhs is not null && JsonNode.DeepEquals(lhs, rhs)) return;
            var left = Index(lhs as JsonArray, schema);
            var right = Index(rhs as JsonArray, schema);
            foreach (var key in left.Keys.Concat(right.Keys.Where(k => !left.ContainsKey(k))))
            {
                var l = left.GetValueOrDefault(key);
                var r = right.GetValueOrDefault(key);
                path.Add(key);
                if (kind == SchemaKind.MapList) Compare(l, r, schema.Element, path, result);
                if (l is null) result.Added.Insert(Joined(path));
                else if (r is null) result.Removed.Insert(Joined(path));
                path.RemoveAt(path.Count - 1);
            }
            return;
        }
        if (lhs is null) result.Added.Insert(Joined(path));
        else if (rhs is null) result.Removed.Insert(Joined(path));
        else if (!JsonNode.DeepEquals(lhs, rhs)) result.Modified.Insert(Joined(path));
    }

    private static void CompareKey(JsonObject? left, JsonObject? right, string key, SchemaKind kind, TypeSchema schema, List<string> path, Comparison result)
    {
        var l = left?[key];
        var r = right?[key];
        // typed.Comparison compares Go objects: struct values, times and fields without
        // omitempty are there (empty or null) wherever their parent is, an explicit null
        // of any other field is not there at all.
        var always = kind == SchemaKind.Struct && schema.IsAlwaysSet(key);
        var lHas = left is not null && (always || (schema.DropsNulls ? l is not null : left.ContainsKey(key)));
        var rHas = right is not null && (always || (schema.DropsNulls ? r is not null : right.ContainsKey(key)));
        if (lHas && l is null && r is JsonObject) l = new JsonObject();
        if (rHas && r is null && l is JsonObject) r = new JsonObject();
        path.Add(FieldElement(key, kind == SchemaKind.Struct));
        Compare(l, r, schema.Field(key), path, result);
        // A node that appears or goes (null included) is itself a change (".": {} once it has children).
        if (lHas != rHas) (lHas ? result.Removed : result.Added).Insert(Joined(path));
        path.RemoveAt(path.Count - 1);
    }

    /// <summary>
    /// <see cref="Compare(JsonNode?, JsonNode?, TypeSchema)"/> of one top-level field, with the paths the whole
    /// comparison gives it: for a write that can change nothing else (a status write, whose strategy keeps the rest).
    /// </summary>
    public static Comparison CompareField(JsonObject lhs, JsonObject rhs, TypeSchema schema, string field)
    {
        var result = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        var kind = Shape(schema, rhs);
        if (kind is SchemaKind.Struct or SchemaKind.Map or SchemaKind.Untyped) CompareKey(lhs, rhs, field, kind, schema, new List<string>(16), result);
        else Compare(lhs, rhs, schema, new List<string>(16), result);
        return result;
    }

    private static string Joined(List<string> path) => path.Count == 1 ? path[0] : string.Join(FieldPath.Separator, path);

    // A struct's field names come from its schema, a bounded vocabulary: their elements are kept.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> StructFields = new(StringComparer.Ordinal);

    private static string FieldElement(string key, bool structField)
    {
        if (!structField) return FieldPath.Field(key);
        if (StructFields.TryGetValue(key, out var element)) return element;
        element = FieldPath.Field(key);
        if (StructFields.Count < 4096) StructFields.TryAdd(key, element);
        return element;
    }

    /// <summary>The applied configuration merged into the live object: maps and structs field by field, associative lists item by item, the rest replaced.</summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? config, TypeSchema schema)
    {
        if (config is null) return null;
        if (live is null) return config.DeepClone();
        switch (Shape(schema, config))
        {
            case SchemaKind.Struct or SchemaKind.Map or SchemaKind.Untyped when live is JsonObject l && config is JsonObject c:
                var merged = l.DeepClone().AsObject();
                foreach (var (key, value) in c)
                {
                    if (value is null) merged.Remove(key);
                    else merged[key] = Merge(l[key], value, schema.Field(key));
                }
                return merged;
            case SchemaKind.MapList or SchemaKind.SetList when live is JsonArray la && config is JsonArray ca:
                return MergeList(la, ca, schema);
            default:
                return config.DeepClone();
        }
    }

    // structured-merge-diff's order: shared items where the configuration puts them, the live
    // object's own items where they were, new items after the shared item they follow.
    private static JsonArray MergeList(JsonArray live, JsonArray config, TypeSchema schema)
    {
        var lhs = live.Select(i => (Key: ItemKey(i, schema), Item: i)).ToArray();
        var rhs = config.Select(i => (Key: ItemKey(i, schema), Item: i)).ToArray();
        var lhsByKey = lhs.GroupBy(i => i.Key).ToDictionary(g => g.Key, g => g.First().Item);
        var rhsKeys = rhs.Select(i => i.Key).ToHashSet();
        var shared = new Queue<string>(rhs.Select(i => i.Key).Where(lhsByKey.ContainsKey));
        var done = new HashSet<string>();
        var output = new JsonArray();
        var (li, ri) = (0, 0);
        while (li < lhs.Length || ri < rhs.Length)
        {
            if (li < lhs.Length && ri < rhs.Length && lhs[li].Key == rhs[ri].Key)
            {
                output.Add(MergeItem(lhs[li].Item, rhs[ri].Item, schema));
                Take(rhs[ri].Key);
                li++;
                ri++;
                continue;
            }
            if (li < lhs.Length && ri < rhs.Length && rhsKeys.Contains(lhs[li].Key) && shared.Count > 0 && shared.Peek() != lhs[li].Key)
            {
                li++;
                continue;
            }
            if (li < lhs.Length && !rhsKeys.Contains(lhs[li].Key))
            {
                output.Add(lhs[li].Item?.DeepClone());
                li++;
                continue;
            }
            if (li < lhs.Length && done.Contains(lhs[li].Key))
            {
                li++;
                continue;
            }
            if (ri < rhs.Length)
            {
                output.Add(MergeItem(lhsByKey.GetValueOrDefault(rhs[ri].Key), rhs[ri].Item, schema));
                Take(rhs[ri].Key);
                ri++;
                continue;
            }
            li++;
        }
        return output;

        void Take(string key)
        {
            done.Add(key);
            while (shared.Count > 0 && done.Contains(shared.Peek())) shared.Dequeue();
        }
    }

    private static JsonNode? MergeItem(JsonNode? live, JsonNode? config, TypeSchema listSchema) =>
        listSchema.Kind == SchemaKind.MapList ? Merge(live, config, listSchema.Element) : config?.DeepClone();

    /// <summary>Removes the node at <paramref name="path"/> (a field, an item), if it is there.</summary>
    public static void Remove(JsonNode root, string path, TypeSchema schema)
    {
        var elements = FieldPath.Elements(path).ToArray();
        JsonNode? node = root;
        for (var i = 0; i < elements.Length && node is not null; i++)
        {
            var last = i == elements.Length - 1;
            var element = elements[i];
            if (element.StartsWith("f:", StringComparison.Ordinal) && node is JsonObject obj)
            {
                var name = element[2..];
                if (last) obj.Remove(name);
                node = obj[name];
                schema = schema.Field(name);
                continue;
            }
            if (node is not JsonArray list) return;
            var index = element.StartsWith("i:", StringComparison.Ordinal)
                ? int.Parse(element[2..], System.Globalization.CultureInfo.InvariantCulture)
                : FindIndex(list, element, schema);
            if (index < 0 || index >= list.Count) return;
            if (last) list.RemoveAt(index);
            node = last ? null : list[index];
            schema = schema.Element;
        }
    }

    private static int FindIndex(JsonArray list, string element, TypeSchema schema)
    {
        for (var i = 0; i < list.Count; i++)
            if (ItemKey(list[i], schema) == element) return i;
        return -1;
    }

    /// <summary>The path element of a list item: its keys (map list) or its value (set).</summary>
    public static string ItemKey(JsonNode? item, TypeSchema listSchema)
    {
        if (listSchema.Kind != SchemaKind.MapList || item is not JsonObject obj) return FieldPath.Value(item);
        return FieldPath.Key(obj, listSchema.SortedKeys, DefaultKey);
    }

    // Keys with an OpenAPI default identify items that leave them out (a port's protocol is TCP).
    private static JsonNode? DefaultKey(string key) => key == "protocol" ? JsonValue.Create("TCP") : null;

    private static Dictionary<string, JsonNode?> Index(JsonArray? list, TypeSchema schema)
    {
        var index = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (list is null) return index;
        foreach (var item in list) index.TryAdd(ItemKey(item, schema), item);
        return index;
    }

    private static IEnumerable<string> Keys(JsonObject? left, JsonObject? right)
    {
        if (left is not null)
            foreach (var (key, _) in left) yield return key;
        if (right is not null)
            foreach (var (key, _) in right)
                if (left is null || !left.ContainsKey(key)) yield return key;
    }

    // Untyped nodes are read as what they hold: maps granular, lists atomic.
    private static SchemaKind Shape(TypeSchema schema, JsonNode? value) => schema.Kind switch
    {
        SchemaKind.Untyped => value is JsonObject ? SchemaKind.Untyped : SchemaKind.Atomic,
        var kind => kind,
    };
}

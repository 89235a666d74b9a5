using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>
/// A set of field paths (structured-merge-diff's fieldpath.Set): the fields one manager owns, or
/// the fields a change touched. Held flat, one string per member path; objects have tens to a few
/// hundred owned fields, so the tree operations fieldsV1 needs are cheap to derive when encoding.
/// </summary>
public sealed class FieldSet
{
    private readonly HashSet<string> _members;

    public FieldSet() => _members = new HashSet<string>(StringComparer.Ordinal);

    private FieldSet(IEnumerable<string> members) => _members = new HashSet<string>(members, StringComparer.Ordinal);

    public static FieldSet Of(params string[] paths) => new(paths);

    public IReadOnlyCollection<string> Members => _members;

    public bool IsEmpty => _members.Count == 0;

    public void Insert(string path) => _members.Add(path);

    public bool Has(string path) => _members.Contains(path);

    /// <summary>Whether the set owns <paramref name="path"/> or anything under it.</summary>
    public bool HasOrUnder(string path) => _members.Contains(path) || _members.Any(m => FieldPath.IsUnder(m, path));

    public FieldSet Union(FieldSet other) => new(_members.Concat(other._members));

    public FieldSet Difference(FieldSet other) => new(_members.Where(m => !other._members.Contains(m)));

    public FieldSet Intersection(FieldSet other) => new(_members.Where(other._members.Contains));

    /// <summary>The members that are neither <paramref name="prefixes"/> themselves nor under one of them (RecursiveDifference).</summary>
    public FieldSet WithoutTrees(IEnumerable<string> prefixes)
    {
        var cut = prefixes.ToArray();
        return new(_members.Where(m => !cut.Any(p => m == p || FieldPath.IsUnder(m, p))));
    }

    /// <summary>Only the members under <paramref name="prefix"/> (the status of a status write).</summary>
    public FieldSet OnlyUnder(string prefix) => new(_members.Where(m => FieldPath.IsUnder(m, prefix)));

    public bool SetEquals(FieldSet other) => _members.SetEquals(other._members);

    /// <summary>fieldsV1: a tree of element keys, <c>{}</c> for a member leaf, <c>".": {}</c> for a member with children.</summary>
    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var member in _members)
        {
            var node = root;
            foreach (var element in FieldPath.Elements(member))
                node = node.Children.TryGetValue(element, out var child) ? child : node.Children[element] = new Node();
            node.Member = true;
        }
        return root.ToJson();
    }

    public static FieldSet FromFieldsV1(JsonNode? fields)
    {
        var set = new FieldSet();
        if (fields is JsonObject obj) Read(obj, "", set);
        return set;
    }

    private static void Read(JsonObject node, string path, FieldSet set)
    {
        foreach (var (key, value) in node)
        {
            if (key == ".")
            {
                if (path.Length > 0) set.Insert(path);
                continue;
            }
            var child = FieldPath.Child(path, key);
            if (value is JsonObject { Count: > 0 } children) Read(children, child, set);
            else set.Insert(child);
        }
    }

    private sealed class Node
    {
        public readonly SortedDictionary<string, Node> Children = new(StringComparer.Ordinal);
        public bool Member;

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Member && Children.Count > 0) json["."] = new JsonObject();
            foreach (var (key, child) in Children) json[key] = child.ToJson();
            return json;
        }
    }
}

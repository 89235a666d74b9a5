using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>
/// A set of field paths (structured-merge-diff's fieldpath.Set): the fields one manager owns, or
/// the fields a change touched. Held flat, one string per member path; objects have tens to a few
/// hundred owned fields, so the tree operations fieldsV1 needs are cheap to derive when encoding.
/// </summary>
public sealed class FieldSet
{
    private HashSet<string>? _members;

    // fieldsV1 as the stored object holds it, read into members only when one is needed: a write
    // that touches none of an entry's top-level fields (a kubelet's status write against the
    // controller's entry for metadata and spec) passes the entry through as it was stored.
    private readonly JsonObject? _stored;

    public FieldSet() => _members = new HashSet<string>(StringComparer.Ordinal);

    private FieldSet(IEnumerable<string> members) => _members = new HashSet<string>(members, StringComparer.Ordinal);

    private FieldSet(JsonObject stored) => _stored = stored;

    public static FieldSet Of(params string[] paths) => new(paths);

    private HashSet<string> Set => _members ??= Read(_stored!);

    public IReadOnlyCollection<string> Members => Set;

    public bool IsEmpty => _members is null ? _stored!.All(p => p.Key == ".") : _members.Count == 0;

    public void Insert(string path) => Set.Add(path);

    public bool Has(string path) => Set.Contains(path);

    /// <summary>Whether the set owns <paramref name="path"/> or anything under it.</summary>
    public bool HasOrUnder(string path) => Set.Contains(path) || Set.Any(m => FieldPath.IsUnder(m, path));

    public FieldSet Union(FieldSet other) => new(Set.Concat(other.Set));

    public FieldSet Difference(FieldSet other) => Untouched(other) ? this : new(Set.Where(m => !other.Set.Contains(m)));

    public FieldSet Intersection(FieldSet other) => new(Set.Where(other.Set.Contains));

    /// <summary>The members that are neither <paramref name="prefixes"/> themselves nor under one of them (RecursiveDifference).</summary>
    public FieldSet WithoutTrees(IEnumerable<string> prefixes)
    {
        var cut = prefixes.ToArray();
        return new(Set.Where(m => !cut.Any(p => m == p || FieldPath.IsUnder(m, p))));
    }

    /// <summary>Only the members under <paramref name="prefix"/> (the status of a status write).</summary>
    public FieldSet OnlyUnder(string prefix) => new(Set.Where(m => FieldPath.IsUnder(m, prefix)));

    public bool SetEquals(FieldSet other) => Set.SetEquals(other.Set);

    /// <summary>Whether a stored set not read yet shares no top-level field with <paramref name="other"/> (then no member can be in both).</summary>
    private bool Untouched(FieldSet other)
    {
        if (_members is not null) return false;
        if (other._members is null) return !other._stored!.Any(p => p.Key != "." && _stored!.ContainsKey(p.Key));
        foreach (var member in other._members)
        {
            var cut = member.IndexOf(FieldPath.Separator);
            if (_stored!.ContainsKey(cut < 0 ? member : member[..cut])) return false;
        }
        return true;
    }

    /// <summary>fieldsV1: a tree of element keys, <c>{}</c> for a member leaf, <c>".": {}</c> for a member with children.</summary>
    public JsonObject ToFieldsV1()
    {
        if (_members is null) return (JsonObject)_stored!.DeepClone();
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

    public static FieldSet FromFieldsV1(JsonNode? fields) => fields is JsonObject obj ? new FieldSet(Read(obj)) : new FieldSet();

    /// <summary>
    /// fieldsV1 of an object as stored, which this encoder wrote: read when a member is first
    /// needed, encoded again as it was while none is (a client's fieldsV1 is read at once, so that
    /// what is stored is always in this encoder's form).
    /// </summary>
    public static FieldSet FromStoredFieldsV1(JsonNode? fields) => fields is JsonObject obj ? new FieldSet(obj) : new FieldSet();

    private static HashSet<string> Read(JsonObject fields)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        Read(fields, "", set);
        return set;
    }

    private static void Read(JsonObject node, string path, HashSet<string> set)
    {
        foreach (var (key, value) in node)
        {
            if (key == ".")
            {
                if (path.Length > 0) set.Add(path);
                continue;
            }
            var child = FieldPath.Child(path, key);
            if (value is JsonObject { Count: > 0 } children) Read(children, child, set);
            else set.Add(child);
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

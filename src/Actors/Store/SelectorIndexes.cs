using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// Secondary indexes of one resource's objects, as the watch cache's indexers: for each
/// selectable field and each label key, value → keys ("ns/name") of the objects that have it,
/// in key order, so a list that pins one value reads those objects instead of all of them.
/// metadata.name is not indexed: it is already the key within a namespace, and a posting per
/// object would double the index for nothing.
/// </summary>
public sealed class SelectorIndexes
{
    private static readonly SortedSet<string> None = new(StringComparer.Ordinal);

    private readonly Dictionary<string, Postings> _fields;
    private readonly Dictionary<string, Postings> _labels = new(StringComparer.Ordinal);

    /// <param name="fields">The fields every object of the resource carries in <see cref="StoredObject.Fields"/>.</param>
    public SelectorIndexes(IEnumerable<string> fields) =>
        _fields = fields.Where(f => f != "metadata.name").Distinct()
            .ToDictionary(f => f, _ => new Postings(), StringComparer.Ordinal);

    public void Add(string key, StoredObject o)
    {
        foreach (var (field, postings) in _fields) postings.Add(o.Fields.GetValueOrDefault(field, ""), key);
        foreach (var (label, value) in o.Labels) LabelPostings(label).Add(value, key);
    }

    public void Remove(string key, StoredObject o)
    {
        foreach (var (field, postings) in _fields) postings.Remove(o.Fields.GetValueOrDefault(field, ""), key);
        foreach (var (label, value) in o.Labels) RemoveLabel(label, value, key);
    }

    /// <summary>Moves the key only where a value changed: most updates (status, data) change none.</summary>
    public void Replace(string key, StoredObject old, StoredObject now)
    {
        foreach (var (field, postings) in _fields)
        {
            var before = old.Fields.GetValueOrDefault(field, "");
            var after = now.Fields.GetValueOrDefault(field, "");
            if (before == after) continue;
            postings.Remove(before, key);
            postings.Add(after, key);
        }
        foreach (var (label, value) in old.Labels)
            if (!now.Labels.TryGetValue(label, out var kept) || kept != value) RemoveLabel(label, value, key);
        foreach (var (label, value) in now.Labels)
            if (!old.Labels.TryGetValue(label, out var had) || had != value) LabelPostings(label).Add(value, key);
    }

    /// <summary>
    /// The keys of the most selective index the selectors pin a value of (every match is among
    /// them), or null when they pin none that is indexed. Read only: the set is the index itself.
    /// </summary>
    public SortedSet<string>? Candidates(LabelSelector labels, FieldSelector fields)
    {
        SortedSet<string>? best = null;
        foreach (var (field, value) in fields.EqualityRequirements)
            if (_fields.TryGetValue(field, out var postings)) Keep(postings.Of(value));
        foreach (var (label, value) in labels.EqualityRequirements)
            // An unknown label key is an empty index: nothing has that label.
            Keep(_labels.TryGetValue(label, out var postings) ? postings.Of(value) : None);
        return best;

        void Keep(SortedSet<string> keys)
        {
            if (best is null || keys.Count < best.Count) best = keys;
        }
    }

    private Postings LabelPostings(string label)
    {
        if (!_labels.TryGetValue(label, out var postings)) _labels[label] = postings = new Postings();
        return postings;
    }

    private void RemoveLabel(string label, string value, string key)
    {
        if (!_labels.TryGetValue(label, out var postings)) return;
        postings.Remove(value, key);
        if (postings.IsEmpty) _labels.Remove(label);
    }

    /// <summary>One index: value → keys of the objects with that value.</summary>
    private sealed class Postings
    {
        private readonly Dictionary<string, SortedSet<string>> _byValue = new(StringComparer.Ordinal);

        public bool IsEmpty => _byValue.Count == 0;

        public SortedSet<string> Of(string value) => _byValue.GetValueOrDefault(value) ?? None;

        public void Add(string value, string key)
        {
            if (!_byValue.TryGetValue(value, out var keys)) _byValue[value] = keys = new SortedSet<string>(StringComparer.Ordinal);
            keys.Add(key);
        }

        public void Remove(string value, string key)
        {
            if (!_byValue.TryGetValue(value, out var keys)) return;
            keys.Remove(key);
            if (keys.Count == 0) _byValue.Remove(value);
        }
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>An applied configuration some other manager's fields stand against (409 unless forced).</summary>
public sealed record FieldConflict(ManagerId Manager, string Path);

/// <summary>The result of an apply: the object to store (its managedFields set), or the conflicts.</summary>
public sealed record ApplyResult(JsonObject? Object, IReadOnlyList<FieldConflict> Conflicts);

/// <summary>
/// kube-apiserver's field manager (k8s.io/apimachinery/pkg/util/managedfields): records in
/// <c>metadata.managedFields</c> which manager set which field, on every write (Update entries),
/// and carries out server-side apply (Apply entries): merge, prune of what the applier stopped
/// applying, conflicts with other owners, and kubectl's client-side-apply upgrade.
/// </summary>
public static class FieldManager
{
    public const string BeforeFirstApply = "before-first-apply";
    public const string AncientChanges = "ancient-changes";
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";
    /// <summary>More Update entries than this are folded, oldest first, into "ancient-changes" (DefaultMaxUpdateManagers).</summary>
    public const int MaxUpdateManagers = 10;

    private static readonly string Metadata = FieldPath.Field("metadata");
    private static readonly string Status = FieldPath.Field("status");

    // stripMetaManager: fields every object has that nobody owns.
    private static readonly FieldSet Stripped = FieldSet.Of(
        [FieldPath.Field("apiVersion"), FieldPath.Field("kind"), Metadata,
         .. new[] { "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion" }
             .Select(f => FieldPath.Child(Metadata, FieldPath.Field(f)))]);

    /// <summary>
    /// Records a write by <paramref name="manager"/> (create when <paramref name="live"/> is null):
    /// the fields it changed become its own and leave their other owners. Sets the managedFields
    /// of <paramref name="next"/>: the ones the request carried if any (a client may rewrite them),
    /// else the live object's.
    /// </summary>
    public static void Update(ResourceType type, JsonObject? live, JsonObject next, string manager, string? subresource, DateTimeOffset now)
    {
        var requested = KubeObject.Metadata(next)["managedFields"];
        Dictionary<ManagerId, ManagedEntry>? managed;
        if (!string.IsNullOrEmpty(subresource)) managed = Decode(live);
        else if (IsReset(requested)) managed = [];
        else
        {
            managed = ManagedFieldsEntries.Decode(requested);
            if (managed is null || managed.Count == 0) managed = Decode(live);
        }
        managed ??= [];
        KubeObject.Metadata(next).Remove("managedFields");
        // skipNonAppliedManager: objects without managed fields (never had any, or reset) stay so until applied to.
        if (managed.Count == 0 && live is not null) return;

        var schema = TypeSchema.Of(type);
        // A create compares with the kind's empty object, as the apiserver compares with a new Go value.
        // A status write keeps only what changed under .status (IgnoreSet): the rest is not compared.
        var comparison = Ignore(type, subresource, subresource == "status"
            ? ObjectFields.CompareField(live ?? new JsonObject(), next, schema, "status")
            : ObjectFields.Compare(live ?? new JsonObject(), next, schema));
        var changed = comparison.Changed;
        foreach (var (id, entry) in managed.ToArray())
            managed[id] = entry with { Fields = entry.Fields.Difference(changed).Difference(comparison.Removed) };
        var mine = changed.Difference(Stripped);
        if (!mine.IsEmpty)
        {
            var id = ManagerId.ForUpdate(manager, type.ApiVersion, subresource);
            var previous = managed.GetValueOrDefault(id)?.Fields ?? new FieldSet();
            managed[id] = new ManagedEntry(id, type.ApiVersion, now, mine.Union(previous));
        }
        ManagedFieldsEntries.Set(next, Cap(managed.Values.Where(e => !e.Fields.IsEmpty).ToList()));
    }

    /// <summary>
    /// Server-side apply of <paramref name="config"/> by <paramref name="manager"/> to the live
    /// object (null: it does not exist yet). The result is the object to validate and store.
    /// </summary>
    public static ApplyResult Apply(ResourceType type, JsonObject? live, JsonObject config, string manager, bool force, string? subresource, DateTimeOffset now)
    {
        var result = ApplyOnce(type, live, config, manager, force, subresource, now);
        if (result.Conflicts.Count == 0 || force || manager != "kubectl" || live is null) return result;
        // lastAppliedManager: kubectl's first server-side apply over its own client-side applies
        // takes the fields the last-applied annotation says it set, as long as they still hold.
        var allowed = FieldsFromLastApplied(type, live);
        return result.Conflicts.All(c => allowed.Has(c.Path))
            ? ApplyOnce(type, live, config, manager, force: true, subresource, now)
            : result with { Conflicts = result.Conflicts.Where(c => !allowed.Has(c.Path)).ToArray() };
    }

    private static ApplyResult ApplyOnce(ResourceType type, JsonObject? live, JsonObject config, string manager, bool force, string? subresource, DateTimeOffset now)
    {
        var schema = TypeSchema.Of(type);
        var liveObject = live ?? new JsonObject();
        var managed = Decode(live) ?? [];
        // skipNonAppliedManager: what an object that never had managed fields holds belongs to "before-first-apply".
        if (managed.Count == 0 && live is not null)
        {
            var existing = Ignore(type, subresource, ObjectFields.Compare(new JsonObject(), liveObject, schema)).Changed.Difference(Stripped);
            var id = ManagerId.ForUpdate(BeforeFirstApply, type.ApiVersion, null);
            if (!existing.IsEmpty) managed[id] = new ManagedEntry(id, type.ApiVersion, now, existing);
        }

        var applier = ManagerId.ForApply(manager, subresource);
        var lastSet = managed.GetValueOrDefault(applier)?.Fields;
        // Owned while merging, stripped when recorded (stripMetaManager wraps the merge): the name and
        // type the configuration must carry keep metadata from being pruned.
        var appliedWithMeta = IgnoreSet(type, subresource, ObjectFields.ToFieldSet(config, schema));
        var applied = appliedWithMeta.Difference(Stripped);
        managed[applier] = new ManagedEntry(applier, type.ApiVersion, managed.GetValueOrDefault(applier)?.Time, applied);

        var merged = (JsonObject)ObjectFields.Merge(liveObject, config, schema)!;
        if (lastSet is not null)
            Prune(merged, lastSet, managed.Values.Where(e => e.Id != applier).Select(e => e.Fields).Append(appliedWithMeta), schema);

        var comparison = Ignore(type, subresource, ObjectFields.Compare(liveObject, merged, schema));
        var changed = comparison.Changed;
        var conflicts = managed.Values.Where(e => e.Id != applier)
            .SelectMany(e => e.Fields.Intersection(changed).Members.Select(p => new FieldConflict(e.Id, p)))
            .OrderBy(c => c.Manager.Printed, StringComparer.Ordinal).ThenBy(c => FieldPath.Render(c.Path), StringComparer.Ordinal)
            .ToArray();
        if (conflicts.Length > 0 && !force) return new ApplyResult(null, conflicts);
        foreach (var (id, entry) in managed.ToArray())
            if (id != applier) managed[id] = entry with { Fields = entry.Fields.Difference(changed).Difference(comparison.Removed) };

        // managedFieldsUpdater: the applier's time moves only when the apply changed the object.
        if (!comparison.IsSame || live is null) managed[applier] = managed[applier] with { Time = now };
        if (manager == "kubectl" && LastApplied(merged) is { Length: > 0 }) SetLastApplied(merged, config);
        ManagedFieldsEntries.Set(merged, managed.Values.Where(e => !e.Fields.IsEmpty));
        return new ApplyResult(merged, []);
    }

    // Updater.prune: what the applier applied last time and no longer applies goes, unless
    // another manager (or this apply) owns it or something under it.
    private static void Prune(JsonObject merged, FieldSet lastSet, IEnumerable<FieldSet> owners, TypeSchema schema)
    {
        var owned = owners.ToArray();
        var candidates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in lastSet.Members)
        {
            // EnsureNamedFieldsAreMembers: a struct field left empty by the prune goes as well.
            var path = "";
            foreach (var element in FieldPath.Elements(member))
            {
                path = FieldPath.Child(path, element);
                candidates.Add(path);
            }
        }
        foreach (var path in candidates.OrderBy(p => p.Length))
        {
            if (path == Metadata || Stripped.Has(path)) continue;
            if (owned.Any(o => o.HasOrUnder(path))) continue;
            if (candidates.Any(c => FieldPath.IsUnder(path, c) && !owned.Any(o => o.HasOrUnder(c)))) continue;
            ObjectFields.Remove(merged, path, schema);
        }
    }

    private static FieldSet FieldsFromLastApplied(ResourceType type, JsonObject live)
    {
        if (LastApplied(live) is not { Length: > 0 } text) return new FieldSet();
        JsonObject? lastApplied;
        try
        {
            lastApplied = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return new FieldSet();
        }
        if (lastApplied is null || KubeObject.ApiVersion(lastApplied) != type.ApiVersion) return new FieldSet();
        var schema = TypeSchema.Of(type);
        var comparison = ObjectFields.Compare(lastApplied, live, schema);
        return ObjectFields.ToFieldSet(lastApplied, schema)
            .Difference(comparison.Modified).Difference(comparison.Added).Difference(comparison.Removed);
    }

    private static string? LastApplied(JsonObject obj) => KubeObject.String(KubeObject.At(obj, "metadata.annotations"), LastAppliedAnnotation);

    // lastAppliedUpdater: kubectl's server-side apply keeps the client-side annotation in step.
    private static void SetLastApplied(JsonObject merged, JsonObject config)
    {
        var copy = config.DeepClone().AsObject();
        if (KubeObject.At(copy, "metadata.annotations") is JsonObject annotations)
        {
            annotations.Remove(LastAppliedAnnotation);
            if (annotations.Count == 0) KubeObject.Metadata(copy).Remove("annotations");
        }
        KubeObject.EnsureObject(KubeObject.Metadata(merged), "annotations")[LastAppliedAnnotation] =
            System.Text.Encoding.UTF8.GetString(KubeObject.ToBytes(copy));
    }

    // capManagersManager: the oldest Update entries beyond ten fold into one per version.
    private static List<ManagedEntry> Cap(List<ManagedEntry> entries)
    {
        var updates = entries.Where(e => e.Id.Operation == ManagerId.Update).OrderBy(e => e.Time?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(e => e.Id.Manager, StringComparer.Ordinal).ToList();
        var excess = updates.Count - MaxUpdateManagers;
        if (excess <= 0) return entries;
        foreach (var entry in updates.Take(excess + 1))
        {
            if (excess <= 0) break;
            var bucketId = ManagerId.ForUpdate(AncientChanges, entry.ApiVersion, null);
            var bucket = entries.FirstOrDefault(e => e.Id == bucketId);
            if (bucket == entry) continue;
            entries.Remove(entry);
            if (bucket is null) entries.Add(entry with { Id = bucketId });
            else
            {
                entries.Remove(bucket);
                entries.Add(bucket with { Fields = bucket.Fields.Union(entry.Fields), Time = entry.Time });
                excess--;
            }
        }
        return entries;
    }

    // The reset fields of the strategies: a main-resource write cannot change a status that has its
    // own subresource, and a status write changes nothing but the status.
    private static Comparison Ignore(ResourceType type, string? subresource, Comparison c) =>
        new(IgnoreSet(type, subresource, c.Added), IgnoreSet(type, subresource, c.Modified), IgnoreSet(type, subresource, c.Removed));

    private static FieldSet IgnoreSet(ResourceType type, string? subresource, FieldSet set) => subresource switch
    {
        "status" => set.OnlyUnder(Status).Union(set.Has(Status) ? FieldSet.Of(Status) : new FieldSet()),
        null or "" when type.Subresources.Contains("status") => set.WithoutTrees([Status]),
        _ => set,
    };

    private static Dictionary<ManagerId, ManagedEntry>? Decode(JsonObject? obj) =>
        obj is null ? [] : ManagedFieldsEntries.Decode(KubeObject.At(obj, "metadata.managedFields"), stored: true);

    private static bool IsReset(JsonNode? requested) =>
        requested is JsonArray { Count: 0 } || requested is JsonArray { Count: 1 } one && one[0] is JsonObject { Count: 0 };
}

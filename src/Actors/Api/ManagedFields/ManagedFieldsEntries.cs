using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>
/// Who a set of fields belongs to. An Update entry is one per manager, version and subresource;
/// an Apply entry one per manager and subresource, whatever version it applied
/// (BuildManagerIdentifier).
/// </summary>
public sealed record ManagerId(string Manager, string Operation, string? ApiVersion, string? Subresource)
{
    public const string Apply = "Apply";
    public const string Update = "Update";

    public static ManagerId ForApply(string manager, string? subresource) => new(manager, Apply, null, NullIfEmpty(subresource));

    public static ManagerId ForUpdate(string manager, string apiVersion, string? subresource) => new(manager, Update, apiVersion, NullIfEmpty(subresource));

    /// <summary>As conflicts name it: <c>"kubectl-client-side-apply" using apps/v1</c>, <c>"m" with subresource "status"</c>.</summary>
    public string Printed
    {
        get
        {
            var text = $"\"{Manager}\"";
            if (Subresource is not null) text += $" with subresource \"{Subresource}\"";
            return Operation == Update ? $"{text} using {ApiVersion}" : text;
        }
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

/// <summary>One entry of <c>metadata.managedFields</c>: its owner, the version it wrote in, when, and what.</summary>
public sealed record ManagedEntry(ManagerId Id, string ApiVersion, DateTimeOffset? Time, FieldSet Fields);

/// <summary>Reads and writes <c>metadata.managedFields</c> (DecodeManagedFields / EncodeObjectManagedFields).</summary>
public static class ManagedFieldsEntries
{
    /// <summary>The entries, or null when the list cannot be read (an entry not of type FieldsV1, a missing manager...).</summary>
    /// <param name="stored">The list of a stored object (written by <see cref="Encode"/>): each entry's fields are read only when needed.</param>
    public static Dictionary<ManagerId, ManagedEntry>? Decode(JsonNode? managedFields, bool stored = false)
    {
        var entries = new Dictionary<ManagerId, ManagedEntry>();
        if (managedFields is null) return entries;
        if (managedFields is not JsonArray list) return null;
        foreach (var item in list)
        {
            if (item is not JsonObject e) return null;
            var operation = KubeObject.String(e, "operation");
            if (operation is not (ManagerId.Apply or ManagerId.Update) || KubeObject.String(e, "fieldsType") is not ("FieldsV1" or null))
                return null;
            var manager = KubeObject.String(e, "manager") ?? "";
            var apiVersion = KubeObject.String(e, "apiVersion") ?? "";
            var subresource = KubeObject.String(e, "subresource");
            var id = operation == ManagerId.Apply ? ManagerId.ForApply(manager, subresource) : ManagerId.ForUpdate(manager, apiVersion, subresource);
            if (entries.ContainsKey(id)) return null;
            entries[id] = new ManagedEntry(id, apiVersion, KubeObject.ParseTimestamp(KubeObject.String(e, "time")),
                stored ? FieldSet.FromStoredFieldsV1(e["fieldsV1"]) : FieldSet.FromFieldsV1(e["fieldsV1"]));
        }
        return entries;
    }

    /// <summary>
    /// The entries in the apiserver's order: Apply before Update, then by time, manager, version
    /// and subresource (sortEncodedManagedFields); null when there are none.
    /// </summary>
    public static JsonArray? Encode(IEnumerable<ManagedEntry> entries)
    {
        var sorted = entries.Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Id.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time?.ToUnixTimeSeconds() ?? 0)
            .ThenBy(e => e.Id.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Id.Subresource ?? "", StringComparer.Ordinal)
            .ToArray();
        if (sorted.Length == 0) return null;
        return new JsonArray(sorted.Select(e =>
        {
            var json = new JsonObject
            {
                ["manager"] = e.Id.Manager,
                ["operation"] = e.Id.Operation,
                ["apiVersion"] = e.ApiVersion,
            };
            if (e.Time is { } t) json["time"] = KubeObject.Timestamp(t);
            json["fieldsType"] = "FieldsV1";
            json["fieldsV1"] = e.Fields.ToFieldsV1();
            if (e.Id.Subresource is { } sub) json["subresource"] = sub;
            return (JsonNode?)json;
        }).ToArray());
    }

    /// <summary>Writes the entries into the object's metadata (removing the field when there are none).</summary>
    public static void Set(JsonObject obj, IEnumerable<ManagedEntry> entries)
    {
        var meta = KubeObject.Metadata(obj);
        if (Encode(entries) is { } encoded) meta["managedFields"] = encoded;
        else meta.Remove("managedFields");
    }
}

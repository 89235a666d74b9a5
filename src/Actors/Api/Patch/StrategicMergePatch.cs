using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Api.Schema;

namespace Akka.KubeEmu.Actors.Api.Patch;

/// <summary>
/// Kubernetes' strategic merge patch (application/strategic-merge-patch+json, what kubectl apply
/// and kubectl patch send): maps merge; null deletes; lists whose field is tagged
/// patchStrategy=merge merge element by patchMergeKey (or as a set, for primitives); other
/// lists are replaced. Directives: $patch (replace/delete/merge), $retainKeys,
/// $setElementOrder/&lt;field&gt;, $deleteFromPrimitiveList/&lt;field&gt;. The strategy of each field
/// comes from <see cref="PatchStrategies"/>, following the KubernetesClient model types down
/// the tree; unknown fields merge like a JSON merge patch.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchDirective = "$patch";
    private const string RetainKeys = "$retainKeys";
    private const string SetElementOrder = "$setElementOrder/";
    private const string DeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(JsonObject original, JsonObject patch, Type? model) =>
        MergeMap(original.DeepClone().AsObject(), patch, model) ?? new JsonObject();

    private static JsonObject? MergeMap(JsonObject original, JsonObject patch, Type? model)
    {
        switch (KubeObject.String(patch, PatchDirective))
        {
            case "replace": return Strip(patch);
            case "delete": return null;
        }
        foreach (var (key, value) in patch)
        {
            if (key is PatchDirective or RetainKeys || key.StartsWith(SetElementOrder, StringComparison.Ordinal)) continue;
            if (key.StartsWith(DeleteFromPrimitiveList, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrimitiveList.Length..];
                if (original[field] is JsonArray list && value is JsonArray remove)
                    foreach (var item in list.Where(i => remove.Any(r => JsonNode.DeepEquals(i, r))).ToArray()) list.Remove(item);
                continue;
            }
            if (value is null)
            {
                original.Remove(key);
                continue;
            }
            var (fieldModel, strategy) = Field(model, key);
            original[key] = value switch
            {
                JsonObject map => MergeMap(original[key] as JsonObject ?? new JsonObject(), map, fieldModel),
                JsonArray list when strategy is { Merges: true } => MergeList(original[key] as JsonArray, list, strategy.MergeKey, fieldModel),
                JsonArray list => Strip(list),
                _ => value.DeepClone(),
            };
            if (original[key] is null && value is JsonObject) original.Remove(key);
        }
        foreach (var (key, order) in patch.Where(p => p.Key.StartsWith(SetElementOrder, StringComparison.Ordinal)))
        {
            var field = key[SetElementOrder.Length..];
            if (original[field] is JsonArray list && order is JsonArray wanted)
                original[field] = Reorder(list, wanted, Field(model, field).Strategy?.MergeKey);
        }
        if (patch[RetainKeys] is JsonArray retain)
        {
            var keep = retain.Select(k => KubeObject.ScalarText(k)).ToHashSet();
            foreach (var key in original.Select(p => p.Key).Where(k => !keep.Contains(k)).ToArray()) original.Remove(key);
        }
        return original;
    }

    private static JsonArray MergeList(JsonArray? original, JsonArray patch, string? mergeKey, Type? elementModel)
    {
        if (patch.OfType<JsonObject>().Any(p => KubeObject.String(p, PatchDirective) == "replace" && (mergeKey is null || p[mergeKey] is null)))
            return new JsonArray(patch.Where(p => !(p is JsonObject o && KubeObject.String(o, PatchDirective) == "replace" && (mergeKey is null || o[mergeKey] is null)))
                .Select(p => p is JsonObject o ? Strip(o) : p?.DeepClone()).ToArray());

        var result = original?.DeepClone().AsArray() ?? new JsonArray();
        foreach (var item in patch)
        {
            if (mergeKey is null || item is not JsonObject patchItem)
            {
                // A set of primitives: union, keeping the original order.
                if (!result.Any(r => JsonNode.DeepEquals(r, item))) result.Add(item?.DeepClone());
                continue;
            }
            var key = patchItem[mergeKey];
            if (key is null)
                throw new PatchFailure(422, $"map: {GoMap(patchItem)} does not contain declared merge key: {mergeKey}");
            var existing = result.OfType<JsonObject>().FirstOrDefault(r => JsonNode.DeepEquals(r[mergeKey], key));
            if (KubeObject.String(patchItem, PatchDirective) == "delete")
            {
                if (existing is not null) result.Remove(existing);
                continue;
            }
            if (existing is null) result.Add(MergeMap(new JsonObject(), patchItem, elementModel));
            else result[result.IndexOf(existing)] = MergeMap(existing.DeepClone().AsObject(), patchItem, elementModel);
        }
        return result;
    }

    /// <summary>
    /// $setElementOrder: the listed elements in the listed order; elements only the server has
    /// stay next to the listed element they followed.
    /// </summary>
    private static JsonArray Reorder(JsonArray list, JsonArray wanted, string? mergeKey)
    {
        JsonNode? KeyOf(JsonNode? n) => mergeKey is not null && n is JsonObject o ? o[mergeKey] : n;
        var order = wanted.Select((w, i) => (Key: KeyOf(w), Index: i)).ToList();
        double Position(JsonNode? n) => order.FirstOrDefault(o => JsonNode.DeepEquals(o.Key, KeyOf(n))) is { Key: not null } hit ? hit.Index : -1;
        var positioned = new List<(JsonNode? Node, double Rank, int Original)>();
        var previous = -0.5;
        for (var i = 0; i < list.Count; i++)
        {
            var rank = Position(list[i]);
            if (rank < 0) rank = previous + 0.001;
            else previous = rank;
            positioned.Add((list[i], rank, i));
        }
        return new JsonArray(positioned.OrderBy(p => p.Rank).ThenBy(p => p.Original).Select(p => p.Node?.DeepClone()).ToArray());
    }

    private static (Type? Model, PatchStrategy? Strategy) Field(Type? model, string key)
    {
        if (model is null || !ModelTypes.Fields(model).TryGetValue(key, out var field)) return (null, null);
        var type = Nullable.GetUnderlyingType(field.Type) ?? field.Type;
        var inner = ModelTypes.MapValueType(type) ?? ModelTypes.ElementType(type) ?? type;
        return (ModelTypes.IsModel(inner) ? inner : null, PatchStrategies.Lookup(model, key));
    }

    /// <summary>A copy without patch directives (what a new or replaced value stores).</summary>
    private static JsonObject Strip(JsonObject o)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in o)
            if (!key.StartsWith('$')) copy[key] = value switch
            {
                JsonObject child => Strip(child),
                JsonArray list => Strip(list),
                _ => value?.DeepClone(),
            };
        return copy;
    }

    private static JsonArray Strip(JsonArray list) =>
        new(list.Select(i => i is JsonObject o ? Strip(o) : i is JsonArray a ? Strip(a) : i?.DeepClone()).ToArray());

    private static string GoMap(JsonObject o) =>
        "map[" + string.Join(" ", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{KubeObject.ScalarText(p.Value) ?? p.Value?.ToJsonString()}")) + "]";
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Controllers.TaintEviction;

/// <summary>
/// When a pod must leave a node with NoExecute taints (pkg/controller/tainteviction): at once
/// if some taint is not tolerated, after the shortest tolerationSeconds counted from the
/// taint's timeAdded if all are tolerated for a while, never if all are tolerated forever.
/// </summary>
public static class EvictionPlan
{
    /// <returns>null: no eviction; otherwise the moment to evict.</returns>
    public static DateTimeOffset? EvictAt(JsonObject pod, IReadOnlyList<JsonObject> noExecuteTaints, DateTimeOffset now)
    {
        if (noExecuteTaints.Count == 0) return null;
        var tolerations = (KubeObject.At(pod, "spec.tolerations") as JsonArray)?.OfType<JsonObject>().ToArray() ?? [];
        DateTimeOffset? earliest = null;
        foreach (var taint in noExecuteTaints)
        {
            var matching = tolerations.Where(t => Tolerates(t, taint)).ToArray();
            if (matching.Length == 0) return now;
            var seconds = matching.Select(t => KubeObject.Long(t["tolerationSeconds"])).ToArray();
            if (seconds.Any(s => s is null)) continue; // tolerated forever by at least one toleration
            var added = KubeObject.ParseTimestamp(KubeObject.String(taint, "timeAdded")) ?? now;
            var at = added.AddSeconds(Math.Max(0, seconds.Min()!.Value));
            if (earliest is null || at < earliest) earliest = at;
        }
        return earliest;
    }

    public static IReadOnlyList<JsonObject> NoExecuteTaints(JsonObject node) =>
        (KubeObject.At(node, "spec.taints") as JsonArray)?.OfType<JsonObject>()
        .Where(t => KubeObject.String(t, "effect") == "NoExecute").ToArray() ?? [];

    private static bool Tolerates(JsonObject toleration, JsonObject taint)
    {
        var effect = KubeObject.String(toleration, "effect");
        if (!string.IsNullOrEmpty(effect) && effect != "NoExecute") return false;
        var key = KubeObject.String(toleration, "key");
        if (!string.IsNullOrEmpty(key) && key != KubeObject.String(taint, "key")) return false;
        return KubeObject.String(toleration, "operator") switch
        {
            "Exists" => true,
            null or "" or "Equal" => (KubeObject.String(toleration, "value") ?? "") == (KubeObject.String(taint, "value") ?? ""),
            _ => false,
        };
    }
}

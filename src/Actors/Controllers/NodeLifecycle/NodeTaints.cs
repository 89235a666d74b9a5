using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

/// <summary>
/// The taints the node lifecycle controller keeps in line with the Ready condition
/// (TaintNodesByCondition for NoSchedule, taint-based eviction for NoExecute).
/// </summary>
public static class NodeTaints
{
    public const string Unreachable = "node.kubernetes.io/unreachable";
    public const string NotReady = "node.kubernetes.io/not-ready";

    /// <summary>TaintNodesByCondition's taint for spec.unschedulable (what `kubectl cordon` sets).</summary>
    public const string Unschedulable = "node.kubernetes.io/unschedulable";

    /// <summary>The taints for this Ready status, plus the unschedulable one while the node is cordoned.</summary>
    public static IReadOnlyList<(string Key, string Effect)> Wanted(string? readyStatus, bool unschedulable) =>
        unschedulable ? [.. Wanted(readyStatus), (Unschedulable, "NoSchedule")] : Wanted(readyStatus);

    /// <summary>The not-ready/unreachable taints the node should carry for this Ready status.</summary>
    public static IReadOnlyList<(string Key, string Effect)> Wanted(string? readyStatus) => readyStatus switch
    {
        "True" => [],
        "False" => [(NotReady, "NoSchedule"), (NotReady, "NoExecute")],
        _ => [(Unreachable, "NoSchedule"), (Unreachable, "NoExecute")],
    };

    /// <summary>Whether the node's not-ready/unreachable/unschedulable taints are exactly <paramref name="wanted"/> (what <see cref="Reconcile"/> would leave alone).</summary>
    public static bool Carries(V1Node node, IReadOnlyList<(string Key, string Effect)> wanted)
    {
        var existing = (node.Spec?.Taints ?? [])
            .Where(t => t.Key is NotReady or Unreachable or Unschedulable)
            .Select(t => (t.Key, t.Effect ?? ""))
            .ToHashSet();
        return existing.SetEquals(wanted);
    }

    /// <summary>Brings the node's not-ready/unreachable taints to <paramref name="wanted"/>; returns whether spec changed.</summary>
    public static bool Reconcile(JsonObject node, IReadOnlyList<(string Key, string Effect)> wanted, DateTimeOffset now)
    {
        var spec = KubeObject.EnsureObject(node, "spec");
        var taints = spec["taints"] as JsonArray ?? new JsonArray();
        var existing = taints.OfType<JsonObject>()
            .Where(t => KubeObject.String(t, "key") is NotReady or Unreachable or Unschedulable)
            .Select(t => (KubeObject.String(t, "key")!, KubeObject.String(t, "effect") ?? ""))
            .ToHashSet();
        if (existing.SetEquals(wanted)) return false;

        var kept = taints.OfType<JsonObject>()
            .Where(t => KubeObject.String(t, "key") is not (NotReady or Unreachable or Unschedulable) || wanted.Contains((KubeObject.String(t, "key")!, KubeObject.String(t, "effect") ?? "")))
            .Select(t => (JsonNode)t.DeepClone()).ToList();
        foreach (var (key, effect) in wanted.Where(w => !existing.Contains(w)))
        {
            var taint = new JsonObject { ["key"] = key, ["effect"] = effect };
            if (effect == "NoExecute") taint["timeAdded"] = KubeObject.Timestamp(now);
            kept.Add(taint);
        }
        if (kept.Count == 0) spec.Remove("taints");
        else spec["taints"] = new JsonArray(kept.ToArray());
        return true;
    }
}

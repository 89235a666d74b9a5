using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// DefaultPreemption's PostFilter: when no node fits, find a node where removing pods of lower
/// priority lets the pod fit, as kube-scheduler's preemption Evaluator does:
/// <list type="bullet">
/// <item>only a pod whose preemptionPolicy is not Never, and not while a lower-priority pod on its
/// nominated node is still terminating;</item>
/// <item>only nodes whose rejection was not UnschedulableAndUnresolvable ("Preemption is not helpful");</item>
/// <item>per node (a dry run on a copy): remove every lower-priority pod, check the filters, then
/// give back the most important pods first while the pod still fits: the rest are the victims;</item>
/// <item>among candidate nodes (at most max(100, 10 % of the nodes) tried), the one whose most
/// important victim has the lowest priority, then the lowest sum of priorities, then the fewest
/// victims, then whose highest-priority victims started last.</item>
/// </list>
/// PodDisruptionBudgets are not weighed (the cluster has none to weigh yet).
/// </summary>
public sealed class DefaultPreemption
{
    public string Name => "DefaultPreemption";

    public sealed record Result(NodeInfo? Node, IReadOnlyList<PodInfo> Victims, string Message)
    {
        public bool Found => Node is not null;
    }

    /// <param name="filter">Runs the filter plugins for the pod on a node (the dry-run copy).</param>
    public Result Preempt(PodInfo pod, IReadOnlyDictionary<string, FilterStatus> diagnosis, Snapshot snapshot, Func<PodInfo, NodeInfo, FilterStatus> filter)
    {
        if (!pod.PreemptsOthers) return NotFound(DefaultPreemptionReasons.NotEligibleNever);
        if (pod.Pod.Status?.NominatedNodeName is { Length: > 0 } nominated && snapshot.Get(nominated) is { } nominatedNode
            && diagnosis.GetValueOrDefault(nominated)?.Code != Code.UnschedulableAndUnresolvable
            && nominatedNode.Pods.Any(p => p.Pod.Metadata.DeletionTimestamp is not null && p.Priority < pod.Priority))
            return NotFound(DefaultPreemptionReasons.NotEligibleTerminating);

        var statuses = new Dictionary<string, FilterStatus>(StringComparer.Ordinal);
        var candidates = new List<(NodeInfo Node, List<PodInfo> Victims)>();
        var wanted = Math.Max(100, snapshot.Count / 10);
        var all = snapshot.Nodes;
        var offset = all.Count == 0 ? 0 : Random.Shared.Next(all.Count);
        for (var i = 0; i < all.Count; i++)
        {
            var node = all[(offset + i) % all.Count];
            if (candidates.Count >= wanted) break;
            if (diagnosis.GetValueOrDefault(node.Name) is { Code: Code.UnschedulableAndUnresolvable })
            {
                statuses[node.Name] = FilterStatus.Unresolvable(DefaultPreemptionReasons.NotHelpful);
                continue;
            }
            var (victims, status) = SelectVictimsOnNode(pod, node, filter);
            if (status.IsSuccess) candidates.Add((node, victims));
            else statuses[node.Name] = status;
        }

        if (candidates.Count == 0)
            return NotFound(new FitError(snapshot.Count, statuses).Message);
        var best = PickOneNodeForPreemption(candidates);
        return new Result(best.Node, best.Victims, "");

        static Result NotFound(string message) => new(null, [], "preemption: " + message);
    }

    /// <summary>SelectVictimsOnNode: all lower-priority pods out, then the most important back while the pod still fits.</summary>
    public static (List<PodInfo> Victims, FilterStatus Status) SelectVictimsOnNode(PodInfo pod, NodeInfo node, Func<PodInfo, NodeInfo, FilterStatus> filter)
    {
        var potential = node.Pods.Where(p => p.Priority < pod.Priority).ToList();
        if (potential.Count == 0) return ([], FilterStatus.Unresolvable(DefaultPreemptionReasons.NoVictims));
        var copy = node.Clone();
        foreach (var p in potential) copy.RemovePod(p.Key);
        var status = filter(pod, copy);
        if (!status.IsSuccess) return ([], status);

        var victims = new List<PodInfo>();
        foreach (var p in potential.OrderBy(p => p, MoreImportantFirst))
        {
            copy.AddPod(p);
            if (filter(pod, copy).IsSuccess) continue; // reprieved
            copy.RemovePod(p.Key);
            victims.Add(p);
        }
        return victims.Count == 0
            ? ([], FilterStatus.Unresolvable($"expected at least one victim pod on node \"{node.Name}\""))
            : (victims, FilterStatus.Success);
    }

    /// <summary>MoreImportantPod: higher priority first, then the one that started earlier.</summary>
    public static readonly Comparer<PodInfo> MoreImportantFirst = Comparer<PodInfo>.Create((a, b) =>
        a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : a.StartTime.CompareTo(b.StartTime));

    /// <summary>pickOneNodeForPreemption's criteria, in order, after the (absent) PDB violations.</summary>
    public static (NodeInfo Node, List<PodInfo> Victims) PickOneNodeForPreemption(List<(NodeInfo Node, List<PodInfo> Victims)> candidates)
    {
        IEnumerable<(NodeInfo Node, List<PodInfo> Victims)> remaining = candidates;
        remaining = Lowest(remaining, c => c.Victims.Max(v => (long)v.Priority));
        remaining = Lowest(remaining, c => c.Victims.Sum(v => (long)v.Priority + int.MaxValue + 1L)); // shifted so negative priorities count
        remaining = Lowest(remaining, c => c.Victims.Count);
        // The latest start time among each node's highest-priority victims: disturb the youngest work.
        remaining = Lowest(remaining, c => -EarliestStartOfHighest(c.Victims).Ticks);
        return remaining.First();
    }

    private static DateTime EarliestStartOfHighest(List<PodInfo> victims)
    {
        var highest = victims.Max(v => v.Priority);
        return victims.Where(v => v.Priority == highest).Min(v => v.StartTime);
    }

    private static IEnumerable<T> Lowest<T>(IEnumerable<T> items, Func<T, long> key)
    {
        var list = items.ToList();
        var min = list.Min(key);
        return list.Where(i => key(i) == min).ToList();
    }
}

using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// Why no node fits, worded as kube-scheduler's FitError: every reason counted over nodes,
/// "count reason" entries sorted as strings, joined with ", ", ended with "."; then the
/// preemption part that DefaultPreemption's PostFilter adds.
/// </summary>
public sealed class FitError(int numAllNodes, IReadOnlyDictionary<string, FilterStatus> diagnosis)
{
    /// <summary>
    /// A PreFilter rejection: its reasons are the message, and every node counts as rejected by it
    /// (the framework gives them all its status), so preemption is not helpful anywhere.
    /// </summary>
    public static string PreFilterMessage(int numAllNodes, FilterStatus status)
    {
        if (numAllNodes == 0) return NoNodesAvailable;
        var preemption = status.Code == Code.UnschedulableAndUnresolvable
            ? "Preemption is not helpful for scheduling."
            : "No preemption victims found for incoming pod.";
        return $"0/{numAllNodes} nodes are available: {string.Join(", ", status.Reasons)}. preemption: 0/{numAllNodes} nodes are available: {numAllNodes} {preemption}";
    }

    public const string NoNodesAvailable = "no nodes available to schedule pods";

    public string Message
    {
        get
        {
            if (numAllNodes == 0) return NoNodesAvailable;
            var message = $"0/{numAllNodes} nodes are available: {Histogram(diagnosis.Values.SelectMany(s => s.Reasons))}.";
            var preemption = diagnosis.Values.Select(s => s.Code == Code.UnschedulableAndUnresolvable
                ? "Preemption is not helpful for scheduling."
                : "No preemption victims found for incoming pod.");
            return $"{message} preemption: 0/{numAllNodes} nodes are available: {Histogram(preemption)}";
        }
    }

    private static string Histogram(IEnumerable<string> reasons) =>
        string.Join(", ", reasons.GroupBy(r => r).Select(g => $"{g.Count()} {g.Key}").OrderBy(s => s, StringComparer.Ordinal));
}

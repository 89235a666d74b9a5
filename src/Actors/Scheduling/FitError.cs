using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// Why no node fits, worded as kube-scheduler's FitError: every reason counted over nodes,
/// "count reason" entries sorted as strings, joined with ", ", ended with "."; then the
/// preemption part that DefaultPreemption's PostFilter adds.
/// </summary>
public sealed class FitError(int numAllNodes, IReadOnlyDictionary<string, FilterStatus> diagnosis)
{
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

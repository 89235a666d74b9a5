using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// Why no node fits, worded as kube-scheduler's FitError: every reason counted over nodes,
/// "count reason" entries sorted as strings, joined with ", ", ended with "."; then what the
/// PostFilter (DefaultPreemption) had to say, e.g. "preemption: 0/3 nodes are available: 3 No
/// preemption victims found for incoming pod.", which is itself a FitError over its own statuses.
/// </summary>
public sealed class FitError(int numAllNodes, IReadOnlyDictionary<string, FilterStatus> diagnosis, string? postFilterMessage = null)
{
    public const string NoNodesAvailable = "no nodes available to schedule pods";

    /// <summary>
    /// A PreFilter rejection: its reasons are the message, and every node counts as rejected by it
    /// (the framework gives them all its status), so preemption is not helpful anywhere.
    /// </summary>
    public static string PreFilterMessage(int numAllNodes, FilterStatus status)
    {
        if (numAllNodes == 0) return NoNodesAvailable;
        var preemption = status.Code == Code.UnschedulableAndUnresolvable
            ? DefaultPreemptionReasons.NotHelpful
            : DefaultPreemptionReasons.NoVictims;
        return $"0/{numAllNodes} nodes are available: {string.Join(", ", status.Reasons)}. preemption: 0/{numAllNodes} nodes are available: {numAllNodes} {preemption}.";
    }

    public string Message
    {
        get
        {
            if (numAllNodes == 0) return NoNodesAvailable;
            var message = $"0/{numAllNodes} nodes are available: {Histogram(diagnosis.Values.SelectMany(s => s.Reasons))}.";
            return postFilterMessage is { Length: > 0 } post ? $"{message} {post}" : message;
        }
    }

    private static string Histogram(IEnumerable<string> reasons) =>
        string.Join(", ", reasons.GroupBy(r => r).Select(g => $"{g.Count()} {g.Key}").OrderBy(s => s, StringComparer.Ordinal));
}

/// <summary>The statuses DefaultPreemption gives the nodes where it found nothing to do.</summary>
public static class DefaultPreemptionReasons
{
    public const string NotHelpful = "Preemption is not helpful for scheduling";
    public const string NoVictims = "No preemption victims found for incoming pod";
    public const string NotEligibleNever = "not eligible due to preemptionPolicy=Never.";
    public const string NotEligibleTerminating = "not eligible due to a terminating pod on the nominated node.";
}

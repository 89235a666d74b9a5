namespace Akka.KubeEmu.Actors.Scheduling.Framework;

/// <summary>Cluster events that can make a rejected pod schedulable (framework.ClusterEvent).</summary>
[Flags]
public enum ClusterEvent
{
    None = 0,
    NodeAdd = 1,
    NodeUpdate = 2,
    /// <summary>An assigned pod deleted, or finished so that it frees its node's resources.</summary>
    PodDelete = 4,
    /// <summary>An assigned pod's labels changed (what affinity and spreading look at).</summary>
    PodUpdate = 8,
    StorageClassAdd = 16,
    /// <summary>A pod assigned to a node (what pod affinity may wait for).</summary>
    PodAdd = 32,
}

public interface IPlugin
{
    string Name { get; }

    /// <summary>The events after which a pod this plugin rejected is worth retrying (EventsToRegister with its QueueingHints).</summary>
    ClusterEvent RequeueOn { get; }
}

/// <summary>Filter extension point: can this pod run on this node?</summary>
public interface IFilterPlugin : IPlugin
{
    FilterStatus Filter(PodInfo pod, NodeInfo node);
}

/// <summary>
/// A plugin whose filter or score needs the state of the whole cluster for this pod (PreFilter /
/// PreScore with CycleState): computed once per scheduling attempt before any node is looked at.
/// The scheduler handles one pod at a time, so the state lives in the plugin until the next attempt.
/// </summary>
public interface ICyclePlugin : IPlugin
{
    /// <returns>A rejection of every node at once, or Success.</returns>
    FilterStatus BeginCycle(PodInfo pod, Snapshot snapshot);
}

/// <summary>Score extension point: how good is this node, 0..100 (framework.MaxNodeScore) after normalising.</summary>
public interface IScorePlugin : IPlugin
{
    int Weight { get; }

    /// <summary>PreScore: state for scoring the feasible nodes, computed once per attempt.</summary>
    void PreScore(PodInfo pod, IReadOnlyList<NodeInfo> feasible, Snapshot snapshot)
    {
    }

    long Score(PodInfo pod, NodeInfo node);

    /// <summary>NormalizeScore over the feasible nodes' raw scores, in place; most plugins need none.</summary>
    void Normalize(PodInfo pod, long[] scores)
    {
    }
}

/// <summary>helper.DefaultNormalizeScore: scale to 0..100 by the highest score, reversed when fewer is better.</summary>
public static class ScoreNormalizer
{
    public const long MaxNodeScore = 100;

    public static void Default(long[] scores, bool reverse)
    {
        var max = scores.Length == 0 ? 0 : scores.Max();
        for (var i = 0; i < scores.Length; i++)
        {
            if (max == 0)
            {
                scores[i] = reverse ? MaxNodeScore : 0;
                continue;
            }
            var s = MaxNodeScore * scores[i] / max;
            scores[i] = reverse ? MaxNodeScore - s : s;
        }
    }
}

namespace Akka.KubeEmu.Actors.Scheduling.Framework;

/// <summary>Cluster events that can make a rejected pod schedulable (framework.ClusterEvent).</summary>
[Flags]
public enum ClusterEvent
{
    None = 0,
    NodeAdd = 1,
    NodeUpdate = 2,
    PodDelete = 4,
    PodUpdate = 8,
    StorageClassAdd = 16,
}

public interface IPlugin
{
    string Name { get; }

    /// <summary>The events after which a pod this plugin rejected is worth retrying (EventsToRegister).</summary>
    ClusterEvent RequeueOn { get; }
}

/// <summary>Filter extension point: can this pod run on this node?</summary>
public interface IFilterPlugin : IPlugin
{
    FilterStatus Filter(PodInfo pod, NodeInfo node);
}

/// <summary>Score extension point: how good is this node, 0..100 (framework.MaxNodeScore).</summary>
public interface IScorePlugin : IPlugin
{
    int Weight { get; }

    long Score(PodInfo pod, NodeInfo node);
}

using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>What the steps and the sampler share: the victim of the last fault, the fault under way, the objects applied.</summary>
public sealed class ExperimentState(TimeProvider time)
{
    private readonly DateTimeOffset _start = time.GetUtcNow();
    private readonly Dictionary<ObjectRef, string> _applied = [];
    private readonly Lock _lock = new();

    public TimeSpan Elapsed => time.GetUtcNow() - _start;

    public ProcessRecord? Victim { get; set; }

    public IReadOnlyList<string> VictimNodes { get; set; } = [];

    /// <summary>The last fault until the wait step after it holds.</summary>
    public FaultMeasurement? OpenFault { get; set; }

    public IReadOnlyList<(ObjectRef Object, string Uid)> Applied()
    {
        lock (_lock) return _applied.Select(p => (p.Key, p.Value)).ToList();
    }

    public void Remember(ObjectRef obj, string uid)
    {
        lock (_lock) _applied[obj] = uid;
    }

    public void Forget(ObjectRef obj)
    {
        lock (_lock) _applied.Remove(obj);
    }
}

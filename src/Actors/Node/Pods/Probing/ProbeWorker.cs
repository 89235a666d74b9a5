namespace Akka.KubeEmu.Actors.Node.Pods;

public enum ProbeType { Startup, Liveness, Readiness }

/// <summary>
/// The prober's worker for one probe of one container instance (pkg/kubelet/prober/worker.go):
/// it ticks every periodSeconds from the container's start, the first tick at or after
/// initialDelaySeconds, and turns consecutive results into a decision at the thresholds.
/// </summary>
public sealed class ProbeWorker(ProbeType type, ProbeModel spec, DateTimeOffset containerStart)
{
    public ProbeType Type { get; } = type;

    public ProbeModel Spec { get; } = spec;

    /// <summary>The next tick; null once the worker has nothing more to do (startup succeeded, on hold after a kill).</summary>
    public DateTimeOffset? NextAt { get; set; } = containerStart + FirstTick(spec);

    /// <summary>The decided result: true success, false failure, null not decided yet.</summary>
    public bool? Result { get; private set; }

    public int Successes { get; private set; }

    public int Failures { get; private set; }

    /// <summary>Records one check; true when the decided result changed.</summary>
    public bool Record(bool success)
    {
        var before = Result;
        if (success)
        {
            Failures = 0;
            // Liveness and startup probes must use successThreshold 1 (validation); taken as written otherwise.
            if (++Successes >= Spec.SuccessThreshold) Result = true;
        }
        else
        {
            Successes = 0;
            if (++Failures >= Spec.FailureThreshold) Result = false;
        }
        return Result != before;
    }

    private static TimeSpan FirstTick(ProbeModel spec)
    {
        var period = Math.Max(1, spec.PeriodSeconds);
        var ticks = (spec.InitialDelaySeconds + period - 1) / period;
        return TimeSpan.FromSeconds(ticks * period);
    }
}

/// <summary>The probe workers of one container instance (none without probes).</summary>
public sealed class ProbeSet
{
    private List<ProbeWorker>? _workers;

    public IReadOnlyList<ProbeWorker> Workers => (IReadOnlyList<ProbeWorker>?)_workers ?? [];

    public void Add(ProbeWorker worker) => (_workers ??= []).Add(worker);

    public void Clear() => _workers = null;

    public ProbeWorker? Find(ProbeType type) => _workers?.Find(w => w.Type == type);

    public DateTimeOffset? NextDue
    {
        get
        {
            DateTimeOffset? min = null;
            if (_workers is null) return null;
            foreach (var w in _workers)
                if (w.NextAt is { } t && (min is null || t < min)) min = t;
            return min;
        }
    }

    /// <summary>After a kill the workers wait for the next instance of the container.</summary>
    public void Hold()
    {
        if (_workers is null) return;
        foreach (var w in _workers) w.NextAt = null;
    }
}

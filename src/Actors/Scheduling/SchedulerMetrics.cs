namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// kube-scheduler's scheduler_schedule_attempts_total by result: "scheduled" (bound),
/// "unschedulable" (no node fits), "error" (the binding failed). Thread-safe.
/// </summary>
public sealed class SchedulerMetrics
{
    private long _scheduled, _unschedulable, _error;

    public long Scheduled => Interlocked.Read(ref _scheduled);

    public long Unschedulable => Interlocked.Read(ref _unschedulable);

    public long Error => Interlocked.Read(ref _error);

    public long Attempts => Scheduled + Unschedulable + Error;

    internal void OnScheduled() => Interlocked.Increment(ref _scheduled);

    internal void OnUnschedulable() => Interlocked.Increment(ref _unschedulable);

    internal void OnError() => Interlocked.Increment(ref _error);
}

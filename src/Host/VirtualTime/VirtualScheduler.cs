using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Akka.KubeEmu.Host.VirtualTime;

/// <summary>
/// The Akka scheduler of the virtual-time cluster (<c>akka.scheduler.implementation</c>): time
/// moves only when <see cref="Advance"/> is called. Akka's own TestScheduler does the same but
/// loses work scheduled from another thread while it advances (an item added to a due instant's
/// queue after that queue was run and before it was dropped; read in its source, not caught in the
/// act here), and runs everything due with its clock already at the end of the advance. Here one
/// lock guards the queue; due work runs
/// in due-time order with the clock set to its due time, and work that comes due within the same
/// advance (scheduled by a callback, or by an actor meanwhile) runs in it too.
/// </summary>
public sealed class VirtualScheduler : IScheduler, IAdvancedScheduler
{
    private static readonly System.Diagnostics.Stopwatch Started = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private readonly PriorityQueue<Work, (long Due, long Order)> _queue = new();
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    private long _order;

    /// <summary>The signature Akka instantiates a configured scheduler with; neither is used.</summary>
    public VirtualScheduler(Config schedulerConfig, ILoggingAdapter log)
    {
    }

    public DateTimeOffset Now
    {
        get
        {
            lock (_lock) return _now;
        }
    }

    // Real, as TestScheduler's: monotonic clocks time real work (asks, dispatchers), not the cluster's timers.
    public TimeSpan MonotonicClock => Started.Elapsed;

    public TimeSpan HighResMonotonicClock => Started.Elapsed;

    public IAdvancedScheduler Advanced => this;

    /// <summary>Moves the clock by <paramref name="by"/>, running what comes due on the way (on the calling thread).</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_lock) target = _now + by;
        while (true)
        {
            Work work;
            lock (_lock)
            {
                if (!_queue.TryPeek(out work!, out var key) || key.Due > target.UtcTicks)
                {
                    _now = target;
                    return;
                }
                _queue.Dequeue();
                if (key.Due > _now.UtcTicks) _now = new DateTimeOffset(key.Due, TimeSpan.Zero);
            }
            if (work.Cancelable?.IsCancellationRequested == true) continue;
            work.Run();
            if (work.Interval is { } interval && work.Cancelable?.IsCancellationRequested != true) Schedule(interval, work);
        }
    }

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender) =>
        Schedule(delay, new Work(() => receiver.Tell(message, sender), null, null));

    public void ScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(delay, new Work(() => receiver.Tell(message, sender), null, cancelable));

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender) =>
        Schedule(initialDelay, new Work(() => receiver.Tell(message, sender), Positive(interval), null));

    public void ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Schedule(initialDelay, new Work(() => receiver.Tell(message, sender), Positive(interval), cancelable));

    public void ScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) => Schedule(delay, new Work(action, null, cancelable));

    public void ScheduleOnce(TimeSpan delay, Action action) => Schedule(delay, new Work(action, null, null));

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Schedule(initialDelay, new Work(action, Positive(interval), cancelable));

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action) =>
        Schedule(initialDelay, new Work(action, Positive(interval), null));

    public void ScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) => Schedule(delay, new Work(action.Run, null, cancelable));

    public void ScheduleOnce(TimeSpan delay, IRunnable action) => Schedule(delay, new Work(action.Run, null, null));

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Schedule(initialDelay, new Work(action.Run, Positive(interval), cancelable));

    public void ScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action) =>
        Schedule(initialDelay, new Work(action.Run, Positive(interval), null));

    private void Schedule(TimeSpan delay, Work work)
    {
        lock (_lock)
        {
            var due = (_now + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero)).UtcTicks;
            _queue.Enqueue(work, (due, _order++));
        }
    }

    // A repeated timer with no interval would come due again within the same advance forever.
    private static TimeSpan Positive(TimeSpan interval) => interval > TimeSpan.Zero ? interval : TimeSpan.FromTicks(1);

    private sealed record Work(Action Run, TimeSpan? Interval, ICancelable? Cancelable);
}

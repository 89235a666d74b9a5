using System.Collections.Concurrent;

namespace Akka.KubeEmu.Actors.Client;

/// <summary>
/// The deadlines of every pending store request of one timeout, kept by one timer. Akka's
/// <c>Ask</c> with a timeout arms a .NET timer per request (<c>CancelAfter</c>), and thousands of
/// requests a second (kubelet status writes, bindings) then contend for the timer queues' locks:
/// a profile of a node process during a scale-up spent a tenth of its samples there. Requests of
/// one timeout expire in the order they were sent, so a queue swept a few times a second cancels
/// them in order, a little late (by <see cref="Resolution"/> at most).
/// </summary>
public sealed class AskDeadlines
{
    private static readonly ConcurrentDictionary<TimeSpan, AskDeadlines> ByTimeout = new();
    private readonly ConcurrentQueue<(long Due, CancellationTokenSource Request)> _pending = new();
    private readonly TimeProvider _time;
    private readonly long _timeoutTicks;
    private readonly ITimer _sweep;

    public AskDeadlines(TimeSpan timeout, TimeProvider time)
    {
        _time = time;
        _timeoutTicks = (long)(timeout.TotalSeconds * time.TimestampFrequency);
        Resolution = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 20, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond / 10));
        _sweep = time.CreateTimer(_ => Sweep(), null, Resolution, Resolution);
    }

    /// <summary>How late a deadline may be noticed.</summary>
    public TimeSpan Resolution { get; }

    public int Pending => _pending.Count;

    /// <summary>The process-wide deadlines of <paramref name="timeout"/> (one timer however many clients use it).</summary>
    public static AskDeadlines For(TimeSpan timeout) => ByTimeout.GetOrAdd(timeout, t => new AskDeadlines(t, TimeProvider.System));

    /// <summary>A token cancelled once the timeout has passed from now.</summary>
    public CancellationToken Start()
    {
        var request = new CancellationTokenSource();
        _pending.Enqueue((_time.GetTimestamp() + _timeoutTicks, request));
        return request.Token;
    }

    /// <summary>Cancels every request whose deadline has passed (a request answered meanwhile ignores it).</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        while (_pending.TryPeek(out var head) && head.Due <= now)
        {
            if (!_pending.TryDequeue(out var due)) break;
            due.Request.Cancel();
            due.Request.Dispose();
        }
    }
}

using System.Collections.Concurrent;

namespace Akka.KubeEmu.Actors.Client;

/// <summary>
/// The deadlines of every pending store request of one timeout, kept by one timer. Akka's
/// <c>Ask</c> with a timeout arms a .NET timer per request (<c>CancelAfter</c>), and thousands of
/// requests a second (kubelet status writes, bindings) then contend for the timer queues' locks:
/// a profile of a node process during a scale-up spent a tenth of its samples there. Here the
/// requests started within one <see cref="Resolution"/> share one cancellation, cancelled by a
/// sweep once the timeout has passed for the last of them: a request waits at least the timeout
/// and at most two resolutions more, and nothing is allocated per request.
/// </summary>
public sealed class AskDeadlines
{
    private static readonly ConcurrentDictionary<TimeSpan, AskDeadlines> ByTimeout = new();
    private readonly ConcurrentQueue<Bucket> _pending = new();
    private readonly Lock _opening = new();
    private readonly TimeProvider _time;
    private readonly long _timeoutTicks;
    private readonly long _resolutionTicks;
    private readonly ITimer _sweep;
    private volatile Bucket? _open;

    public AskDeadlines(TimeSpan timeout, TimeProvider time)
    {
        _time = time;
        _timeoutTicks = (long)(timeout.TotalSeconds * time.TimestampFrequency);
        Resolution = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 20, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerSecond / 10));
        _resolutionTicks = (long)(Resolution.TotalSeconds * time.TimestampFrequency);
        _sweep = time.CreateTimer(_ => Sweep(), null, Resolution, Resolution);
    }

    /// <summary>How much later than its timeout a request may be cancelled, per step (two at most).</summary>
    public TimeSpan Resolution { get; }

    /// <summary>Deadlines not swept yet (groups of requests, not requests).</summary>
    public int Pending => _pending.Count;

    /// <summary>The process-wide deadlines of <paramref name="timeout"/> (one timer however many clients use it).</summary>
    public static AskDeadlines For(TimeSpan timeout) => ByTimeout.GetOrAdd(timeout, t => new AskDeadlines(t, TimeProvider.System));

    /// <summary>A token cancelled once at least the timeout has passed from now.</summary>
    public CancellationToken Start()
    {
        var now = _time.GetTimestamp();
        if (_open is { } open && now < open.OpenUntil) return open.Token;
        lock (_opening)
        {
            if (_open is { } again && now < again.OpenUntil) return again.Token;
            var bucket = new Bucket(now + _resolutionTicks, now + _resolutionTicks + _timeoutTicks);
            _pending.Enqueue(bucket);
            _open = bucket;
            return bucket.Token;
        }
    }

    /// <summary>Cancels the requests whose deadline has passed (a request answered meanwhile ignores it).</summary>
    public void Sweep()
    {
        var now = _time.GetTimestamp();
        while (_pending.TryPeek(out var head) && head.Due <= now)
        {
            if (!_pending.TryDequeue(out var due)) break;
            due.Cancel();
        }
    }

    private sealed class Bucket(long openUntil, long due)
    {
        private readonly CancellationTokenSource _requests = new();

        public long OpenUntil { get; } = openUntil;

        public long Due { get; } = due;

        public CancellationToken Token => _requests.Token;

        public void Cancel()
        {
            _requests.Cancel();
            _requests.Dispose();
        }
    }
}

using System.Diagnostics;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote;

namespace Akka.KubeEmu.Cluster.FailureDetection;

/// <summary>
/// Akka's phi accrual failure detector (akka.cluster.failure-detector.implementation-class), made
/// aware of pauses of the process it runs in. A process that was frozen (SIGSTOP, a debugger) or
/// starved of CPU for longer than the acceptable heartbeat pause finds, on waking, that no member
/// has answered for that long and would mark every one of them unreachable: the gossip spreads its
/// view and the control plane turns healthy nodes Unknown for the second it takes to hear from them
/// again. Here, a detector not consulted for longer than that pause was paused with its process, so
/// it starts its history over from a heartbeat taken at the wake-up: the monitored member has the
/// acceptable pause, as at start, to be heard from before it is suspected; a member that really
/// died meanwhile is found that much later.
/// <para>
/// It also takes the word of the downing actor that the member's process is gone (its port refuses
/// connections, <see cref="MarkGone"/>): Akka removes a downed member only once it is unreachable,
/// and the singletons it ran move only then; waiting for the missed heartbeats would add 2-3 s to
/// every control-plane failover. Any heartbeat from the member takes the word back.
/// </para>
/// </summary>
public sealed class PauseAwareFailureDetector : FailureDetector
{
    private readonly Func<FailureDetector> _newDetector;
    private readonly Func<long> _clockMs;
    private readonly long _pauseMs;
    private readonly ILoggingAdapter? _log;
    private readonly Lock _lock = new();
    private FailureDetector _detector;
    private long? _lastConsultedMs;
    private long _goneUntilMs = long.MinValue;

    /// <summary>How long a <see cref="MarkGone"/> holds, at most: the member is removed well before.</summary>
    public static readonly TimeSpan GoneFor = TimeSpan.FromSeconds(30);

    /// <summary>The constructor Akka's FailureDetectorLoader calls, with the failure-detector section.</summary>
    public PauseAwareFailureDetector(Config config, EventStream eventStream)
        : this(() => new PhiAccrualFailureDetector(config, eventStream), MonotonicMs,
            config.GetTimeSpan("acceptable-heartbeat-pause", TimeSpan.FromSeconds(3)),
            Logging.GetLogger(eventStream, nameof(PauseAwareFailureDetector)))
    {
    }

    public PauseAwareFailureDetector(Func<FailureDetector> newDetector, Func<long> clockMs, TimeSpan acceptablePause, ILoggingAdapter? log = null)
    {
        _newDetector = newDetector;
        _clockMs = clockMs;
        _pauseMs = (long)acceptablePause.TotalMilliseconds;
        _log = log;
        _detector = newDetector();
    }

    public override bool IsAvailable
    {
        get
        {
            var detector = Current();
            return Interlocked.Read(ref _goneUntilMs) <= _clockMs() && detector.IsAvailable;
        }
    }

    public override bool IsMonitoring => Current().IsMonitoring;

    public override void HeartBeat()
    {
        Interlocked.Exchange(ref _goneUntilMs, long.MinValue);
        Current().HeartBeat();
    }

    /// <summary>The monitored member's process is known to be gone: unavailable from now on (for <see cref="GoneFor"/> at most).</summary>
    public void MarkGone() => Interlocked.Exchange(ref _goneUntilMs, _clockMs() + (long)GoneFor.TotalMilliseconds);

    /// <summary>
    /// Marks <paramref name="address"/> gone in the cluster's failure detector, when this process
    /// monitors it. Akka's registry hands out a member's detector only internally; without it
    /// (another Akka version) nothing is marked and the heartbeats decide, as before.
    /// </summary>
    public static bool MarkGone(IFailureDetectorRegistry<Akka.Actor.Address> registry, Akka.Actor.Address address)
    {
        if (registry is not DefaultFailureDetectorRegistry<Akka.Actor.Address> known || !known.IsMonitoring(address)) return false;
        if (GetFailureDetector?.Invoke(known, [address]) is not PauseAwareFailureDetector detector) return false;
        detector.MarkGone();
        return true;
    }

    private static readonly System.Reflection.MethodInfo? GetFailureDetector = typeof(DefaultFailureDetectorRegistry<Akka.Actor.Address>)
        .GetMethod("GetFailureDetector", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic);

    private FailureDetector Current()
    {
        lock (_lock)
        {
            var now = _clockMs();
            if (_lastConsultedMs is { } last && now - last > _pauseMs && _detector.IsMonitoring)
            {
                _log?.Warning("This process did not look at a member's heartbeats for {0} ms (frozen or starved of CPU); " +
                              "the member gets {1} ms from now to be heard from before it is suspected.", now - last, _pauseMs);
                _detector = _newDetector();
                _detector.HeartBeat();
            }
            _lastConsultedMs = now;
            return _detector;
        }
    }

    private static long MonotonicMs() => Stopwatch.GetTimestamp() * 1000 / Stopwatch.Frequency;
}

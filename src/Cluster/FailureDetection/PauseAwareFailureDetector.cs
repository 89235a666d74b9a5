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

    public override bool IsAvailable => Current().IsAvailable;

    public override bool IsMonitoring => Current().IsMonitoring;

    public override void HeartBeat() => Current().HeartBeat();

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

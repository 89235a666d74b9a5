using Akka.Actor;
using Akka.Pattern;

namespace Akka.KubeEmu.Actors.Singletons;

/// <summary>
/// The back-off supervisor each control-plane singleton runs under: a singleton that throws is
/// started again after 200 ms, doubling up to 10 s (with jitter) while it keeps failing, as the
/// kubelet backs off a crash-looping container, instead of at once or never.
/// <para>
/// It forwards every other message to the singleton with the original sender, so replies (and
/// WatchAccepted, whose sender reflectors death-watch) come from the singleton itself. When the
/// singleton stops on its termination message, the supervisor stops too (Backoff.OnFailure only
/// restarts after failures), which is what completes the singleton manager's hand-over; a
/// termination message that arrives during a back-off stops the supervisor at once.
/// </para>
/// </summary>
public static class SingletonSupervision
{
    public static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private const double RandomFactor = 0.2;

    public static Props Props(Props singleton, string name, object terminationMessage, TimeSpan? minBackoff = null, TimeSpan? maxBackoff = null)
    {
        var min = minBackoff ?? MinBackoff;
        var max = maxBackoff ?? MaxBackoff;
        return BackoffSupervisor.Props(Backoff.OnFailure(singleton, name, min, max, RandomFactor, maxNrOfRetries: -1)
            // Every failure restarts, also ones Akka's default decider stops on (a failed
            // constructor, Kill): a stopped child would end the singleton until the member leaves.
            .WithSupervisorStrategy(new OneForOneStrategy(-1, -1, _ => Directive.Restart))
            // The back-off only falls back to the minimum after the singleton ran for the maximum
            // (the default, the minimum, would reset it between most crashes of a crash loop).
            .WithAutoReset(max)
            .WithFinalStopMessage(m => Equals(m, terminationMessage)));
    }
}

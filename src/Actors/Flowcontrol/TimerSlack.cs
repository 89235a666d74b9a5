namespace Akka.KubeEmu.Actors.Flowcontrol;

/// <summary>
/// Timer slack, as Linux applies it to sleeping tasks: a periodic tick due at some instant fires at
/// the next multiple of the slack instead, so the ticks of a thousand hollow kubelets in one process
/// come due together a few times per period rather than each at its own millisecond. The Store and
/// the control plane then wake once per group instead of once per node (at rest, waking up was most
/// of what a renewal cost). The ticks stay spread over the period by their jitter: with a 10 s
/// period and a 1 s slack, a tenth of the nodes renew in each group.
/// </summary>
public static class TimerSlack
{
    /// <returns>The delay until the first multiple of <paramref name="slack"/> (since the epoch) at or after <paramref name="now"/> + <paramref name="delay"/>.</returns>
    public static TimeSpan Apply(DateTimeOffset now, TimeSpan delay, TimeSpan slack)
    {
        if (slack <= TimeSpan.Zero) return delay;
        var due = now.UtcTicks + Math.Max(0, delay.Ticks);
        var aligned = (due + slack.Ticks - 1) / slack.Ticks * slack.Ticks;
        return TimeSpan.FromTicks(aligned - now.UtcTicks);
    }
}

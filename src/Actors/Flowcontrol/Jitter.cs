namespace Akka.KubeEmu.Actors.Flowcontrol;

/// <summary>
/// apimachinery's <c>wait.Jitter</c>: a period lengthened by a random fraction of itself, so that
/// thousands of emulated kubelets started together do not renew leases and post statuses in lockstep.
/// </summary>
public static class Jitter
{
    /// <summary>The kubelet's factor for node status and lease renewals (JitterUntil(..., 0.04, ...)).</summary>
    public const double Kubelet = 0.04;

    /// <returns><paramref name="period"/> + up to <paramref name="maxFactor"/> × <paramref name="period"/>.</returns>
    public static TimeSpan Apply(TimeSpan period, double maxFactor, Random? random = null)
    {
        if (maxFactor <= 0) return period;
        return period + TimeSpan.FromTicks((long)(period.Ticks * maxFactor * (random ?? Random.Shared).NextDouble()));
    }

    /// <summary>A random point within the first period, for the first tick of a periodic loop.</summary>
    public static TimeSpan Offset(TimeSpan period, Random? random = null) =>
        TimeSpan.FromTicks((long)(period.Ticks * (random ?? Random.Shared).NextDouble()));
}

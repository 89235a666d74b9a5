namespace Akka.KubeEmu.Host.VirtualTime;

/// <summary>How the virtual-time cluster moves its clocks (the test kit's EmulatedClusterOptions.VirtualTiming, `kubeemu bench failover --virtual-time`).</summary>
public sealed record VirtualTimeOptions
{
    /// <summary>
    /// The largest single move of the clocks: timers due within one step fire together at its end,
    /// so a step bounds how late (in virtual time) anything happens. One second keeps Kubernetes'
    /// grace periods (tens of seconds) within a few percent.
    /// </summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after a step the cluster gets, at most, to settle (real time).</summary>
    public TimeSpan MaxSettle { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How far apart (real time) the looks that decide the cluster settled are.</summary>
    public TimeSpan SettleInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// A WaitFor… whose condition does not hold when its virtual deadline has passed keeps looking
    /// this long (real time, the clocks still) before it gives up.
    /// </summary>
    public TimeSpan RealTimeGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A WaitFor… gives up after this much real time, whatever its virtual deadline.</summary>
    public TimeSpan RealTimeLimit { get; init; } = TimeSpan.FromMinutes(2);
}

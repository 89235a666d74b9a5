using System.Diagnostics;

namespace Akka.KubeEmu.Tests.Support;

/// <summary>
/// Polls a probe while virtual time advances step by step up to a virtual deadline; the actors
/// get real time to react between steps.
/// </summary>
/// <remarks>
/// Once the virtual deadline has passed, the probe still gets <see cref="RealTimeGrace"/> of real
/// time without time moving on: what the last steps fired may still sit in the actors' mailboxes on
/// a loaded machine (a few hundred steps take only a few real seconds). <see cref="RealTimeLimit"/>
/// stops a wait whose steps are too small for its virtual budget.
/// </remarks>
public static class VirtualTimeWait
{
    public static readonly TimeSpan RealTimeGrace = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan RealTimeLimit = TimeSpan.FromSeconds(120);

    public static T Until<T>(Func<T?> probe, Action<TimeSpan> advance, TimeSpan within, TimeSpan step, string what) where T : class
    {
        var advanced = TimeSpan.Zero;
        var real = Stopwatch.StartNew();
        Stopwatch? grace = null;
        while (true)
        {
            if (probe() is { } found) return found;
            if (advanced >= within)
            {
                grace ??= Stopwatch.StartNew();
                if (grace.Elapsed > RealTimeGrace)
                    throw new Xunit.Sdk.XunitException($"timed out after {advanced} of virtual time (and {RealTimeGrace.TotalSeconds:0} s of real time after it) waiting for {what}");
                Task.Delay(20).Wait();
                continue;
            }
            if (real.Elapsed > RealTimeLimit)
                throw new Xunit.Sdk.XunitException($"timed out after {real.Elapsed.TotalSeconds:0} s of real time ({advanced} of virtual time) waiting for {what}");
            // The polling interval: the actors react in real time to what the last step fired.
            Task.Delay(2).Wait();
            advance(step);
            advanced += step;
        }
    }
}

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// The benchmark's load generator shares the machine with the store it measures (2 cores on CI).
/// An idle .NET thread-pool worker spins (sched_yield) before it sleeps, which suits a server
/// but not a client that mostly waits for answers: measured with 64 clients, the generator took
/// 0.6 of the 2 cores, and creates/s went from 7,800 to 12,000 once it stopped spinning. etcd is
/// measured with the same generator, so both stores gain alike. The processes under test (the
/// control plane, started as children) keep the default.
/// </summary>
public static class LoadGeneratorThreadPool
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>Must run before the thread pool starts its first worker, i.e. first thing in Main.</summary>
    public static void DoNotSpin() => AppContext.SetData(SpinLimit, 0);
}

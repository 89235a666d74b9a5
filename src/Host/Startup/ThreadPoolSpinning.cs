namespace Akka.KubeEmu.Host.Startup;

/// <summary>
/// An idle .NET thread-pool worker spins (sched_yield) before it sleeps. That suits a server under
/// steady load, not a process that mostly waits, on 2 cores shared with everything else:
/// <list type="bullet">
/// <item>the benchmarks' load generator: measured with 64 clients, it took 0.6 of the 2 cores, and
/// creates/s went from 7,800 to 12,000 once it stopped spinning (etcd is driven by the same
/// generator, so both stores gain alike);</item>
/// <item>node processes: at rest a thousand hollow nodes wake the pool a few hundred times a second
/// (timers, lease renewals, Akka.Remote) for a few microseconds each, and half of the process's CPU
/// was spent spinning after that work (perf: 53 % of its samples under sched_yield).</item>
/// <item>the control plane: at rest (1,000 nodes, 10,000 pods) 9.7 % of a core with spinning, 6.1 %
/// without; `bench store` the same either way (1 client 1,038 and 1,027 creates/s, 64 clients 5,387
/// and 5,908), measured back to back on a quiet machine on 2 Dec 2026.</item>
/// </list>
/// A DOTNET_ThreadPool_UnfairSemaphoreSpinLimit set by the user wins.
/// </summary>
public static class ThreadPoolSpinning
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>Must run before the thread pool starts its first worker, i.e. first thing in Main.</summary>
    public static void Disable()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is null) AppContext.SetData(SpinLimit, 0);
    }
}

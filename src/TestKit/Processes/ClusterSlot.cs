using System.Diagnostics;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>
/// A machine-wide permit to run one multi-process cluster. `dotnet test` on a solution runs its
/// test assemblies in parallel, and xunit collections only order tests within one assembly; on a
/// 2-core machine two clusters at once starve each other's failure detectors and the scenarios
/// measure the contention instead of the emulator. A permit is an exclusive lock (flock) on one of
/// $KUBEEMU_TESTKIT_MAX_CLUSTERS files (default 1) in the temp directory; the kernel drops it when
/// its holder exits, however it exits, so a crashed test run never blocks the next one.
/// </summary>
public sealed class ClusterSlot : IDisposable
{
    public const string MaxClustersVariable = "KUBEEMU_TESTKIT_MAX_CLUSTERS";

    private readonly FileStream _lock;

    private ClusterSlot(FileStream held) => _lock = held;

    public static async Task<ClusterSlot> AcquireAsync(TimeSpan timeout, Action<string>? log = null, CancellationToken ct = default)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kubeemu-testkit");
        Directory.CreateDirectory(directory);
        var slots = int.TryParse(Environment.GetEnvironmentVariable(MaxClustersVariable), out var n) && n > 0 ? n : 1;
        var watch = Stopwatch.StartNew();
        var reported = false;
        while (true)
        {
            for (var i = 0; i < slots; i++)
            {
                try
                {
                    return new ClusterSlot(new FileStream(Path.Combine(directory, $"cluster-{i}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException)
                {
                    // held by another cluster, in this process or another
                }
            }
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"No cluster slot within {timeout.TotalMinutes:0.#} min: {slots} cluster(s) kept running elsewhere on this machine " +
                    $"(locks in {directory}). A test that needs {slots + 1} clusters at once must set {MaxClustersVariable}.");
            if (!reported)
            {
                log?.Invoke($"waiting for a cluster slot: {slots} other cluster(s) are running on this machine");
                reported = true;
            }
            // Polling: flock has no awaitable form, and a slot is held for tens of seconds at a time.
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    public void Dispose() => _lock.Dispose();
}

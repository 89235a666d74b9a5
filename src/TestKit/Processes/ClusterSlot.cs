using System.Diagnostics;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>
/// A machine-wide permit to run multi-process clusters. `dotnet test` on a solution runs its
/// test assemblies in parallel, and xunit collections only order tests within one assembly; on a
/// 2-core machine two clusters at once starve each other's failure detectors and the scenarios
/// measure the contention instead of the emulator. A permit is an exclusive lock (flock) on one of
/// $KUBEEMU_TESTKIT_MAX_CLUSTERS files (default 1) in the temp directory; the kernel drops it when
/// its holder exits, however it exits, so a crashed test run never blocks the next one.
/// <para>
/// The permit belongs to the process: a test that runs two clusters side by side (two clusters
/// that must not cross) shares the one its process holds instead of waiting for itself; its own
/// xunit collection already keeps its other tests apart.
/// </para>
/// </summary>
public sealed class ClusterSlot : IDisposable
{
    public const string MaxClustersVariable = "KUBEEMU_TESTKIT_MAX_CLUSTERS";

    private static readonly Lock Gate = new();
    private static FileStream? _held;
    private static int _holders;

    private bool _disposed;

    private ClusterSlot()
    {
    }

    public static async Task<ClusterSlot> AcquireAsync(TimeSpan timeout, Action<string>? log = null, CancellationToken ct = default)
    {
        if (TryShare()) return new ClusterSlot();
        var directory = Path.Combine(Path.GetTempPath(), "kubeemu-testkit");
        Directory.CreateDirectory(directory);
        var slots = int.TryParse(Environment.GetEnvironmentVariable(MaxClustersVariable), out var n) && n > 0 ? n : 1;
        var watch = Stopwatch.StartNew();
        var reported = false;
        while (true)
        {
            if (TryShare()) return new ClusterSlot();
            for (var i = 0; i < slots; i++)
            {
                FileStream file;
                try
                {
                    file = new FileStream(Path.Combine(directory, $"cluster-{i}.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException)
                {
                    continue; // held by another process's clusters
                }
                lock (Gate)
                {
                    if (_held is null) _held = file;
                    else file.Dispose(); // another test of this process got one meanwhile: share it
                    _holders++;
                }
                return new ClusterSlot();
            }
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"No cluster slot within {timeout.TotalMinutes:0.#} min: {slots} other process(es) kept clusters running on this machine " +
                    $"(locks in {directory}); {MaxClustersVariable} raises the limit.");
            if (!reported)
            {
                log?.Invoke($"waiting for a cluster slot: {slots} other process(es) run clusters on this machine");
                reported = true;
            }
            // Polling: flock has no awaitable form, and a slot is held for tens of seconds at a time.
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private static bool TryShare()
    {
        lock (Gate)
        {
            if (_held is null) return false;
            _holders++;
            return true;
        }
    }

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            if (--_holders > 0) return;
            _held?.Dispose();
            _held = null;
        }
    }
}

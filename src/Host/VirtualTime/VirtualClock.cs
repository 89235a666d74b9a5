using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Akka.KubeEmu.Host.VirtualTime;

/// <summary>
/// The virtual-time cluster's two clocks, moved together: the Akka scheduler (<see cref="VirtualScheduler"/>: the node agents'
/// and kubelets' timers, the membership's downing) and a FakeTimeProvider (timestamps, the
/// controllers' timers). Time moves in steps; after each, the clock waits (in real time) until the
/// cluster has settled, that is until the Store's resourceVersion has stopped moving and the
/// thread pool is idle, so that what a step set off is written at the virtual instant it belongs to
/// rather than steps later on a busy machine.
/// </summary>
public sealed class VirtualClock(FakeTimeProvider time, VirtualScheduler scheduler, Func<Task<string?>> storeVersion, VirtualTimeOptions options)
{
    private readonly SemaphoreSlim _moving = new(1, 1);

    public TimeProvider Time => time;

    public DateTimeOffset Now => time.GetUtcNow();

    public TimeSpan Step => options.Step;

    /// <summary>Moves both clocks by <paramref name="by"/>, step by step, letting the cluster settle after each.</summary>
    public async Task Advance(TimeSpan by, CancellationToken ct)
    {
        await _moving.WaitAsync(ct);
        try
        {
            for (var moved = TimeSpan.Zero; moved < by;)
            {
                ct.ThrowIfCancellationRequested();
                var step = by - moved < options.Step ? by - moved : options.Step;
                // The clock first, so that timers firing see their due time.
                time.Advance(step);
                scheduler.Advance(step);
                moved += step;
                await Settle(ct);
            }
        }
        finally
        {
            _moving.Release();
        }
    }

    /// <summary>
    /// Waits until two consecutive looks a moment apart find nothing queued on the thread pool and
    /// the same Store resourceVersion, or <see cref="VirtualTimeOptions.MaxSettle"/> passed.
    /// </summary>
    public async Task Settle(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var version = await storeVersion();
        var quiet = 0;
        while (watch.Elapsed < options.MaxSettle)
        {
            await Task.Delay(options.SettleInterval, ct);
            var now = await storeVersion();
            quiet = now == version && ThreadPool.PendingWorkItemCount == 0 ? quiet + 1 : 0;
            if (quiet >= 2) return;
            version = now;
        }
    }
}

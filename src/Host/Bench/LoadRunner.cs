using System.Collections.Concurrent;
using System.Diagnostics;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>Closed-loop (N clients, each waiting for its answer) and open-loop (fixed rate) load.</summary>
public static class LoadRunner
{
    public static async Task<LatencyStats> ClosedLoop(string name, int clients, TimeSpan duration, Func<int, long, CancellationToken, Task<bool>> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var stopwatch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(duration);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            long i = 0;
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await operation(client, i++, CancellationToken.None); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { ok = false; }
                if (ok) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                else Interlocked.Increment(ref errors);
            }
        }));
        return LatencyStats.From(name, latencies, stopwatch.Elapsed, errors);
    }

    /// <summary>Requests started at a fixed rate whatever the answers take (latency under a given load).</summary>
    public static async Task<LatencyStats> OpenLoop(string name, int perSecond, TimeSpan duration, Func<long, Task<bool>> operation)
    {
        var latencies = new ConcurrentBag<double>();
        var errors = 0;
        var total = (long)(perSecond * duration.TotalSeconds);
        var interval = TimeSpan.FromSeconds(1.0 / perSecond);
        var stopwatch = Stopwatch.StartNew();
        var inflight = new List<Task>();
        for (long i = 0; i < total; i++)
        {
            var due = interval * i;
            var wait = due - stopwatch.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var n = i;
            inflight.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await operation(n); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { ok = false; }
                if (ok) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                else Interlocked.Increment(ref errors);
            }));
        }
        await Task.WhenAll(inflight);
        return LatencyStats.From(name, latencies, stopwatch.Elapsed, errors);
    }
}

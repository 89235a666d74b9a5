using System.Diagnostics;

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>Waiting for a condition with a deadline, never a bare sleep.</summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    public static Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what) =>
        Until(probe, done, timeout, what, DefaultInterval, CancellationToken.None);

    /// <summary>
    /// With its own polling <paramref name="interval"/> (a scenario running beside other tests
    /// polls less often: each probe is a kubectl process start) and a token that ends the wait.
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan interval, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        T last = default!;
        Exception? lastError = null;
        while (watch.Elapsed < timeout)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                last = await probe();
                if (done(last)) return last;
                lastError = null;
            }
            catch (Exception e)
            {
                lastError = e;
            }
            await Task.Delay(interval, ct);
        }
        throw new TimeoutException($"{what} did not happen within {timeout}; last seen: {last}{(lastError is null ? "" : $"; last error: {lastError.Message}")}");
    }
}

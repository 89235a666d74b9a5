using System.Diagnostics;

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>Waiting for a condition with a deadline, never a bare sleep.</summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var watch = Stopwatch.StartNew();
        T last = default!;
        Exception? lastError = null;
        while (watch.Elapsed < timeout)
        {
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
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
        throw new TimeoutException($"{what} did not happen within {timeout}; last seen: {last}{(lastError is null ? "" : $"; last error: {lastError.Message}")}");
    }
}

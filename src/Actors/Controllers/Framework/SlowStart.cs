namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>
/// pkg/controller's <c>slowStartBatch</c>: calls <paramref name="action"/> <paramref name="count"/>
/// times in batches of 1, 2, 4, ... running each batch concurrently, and stops after the first
/// batch with a failure, so that a controller whose creates all fail (quota, bad template)
/// sends one doomed request, not hundreds.
/// </summary>
public static class SlowStart
{
    /// <returns>How many calls succeeded, and the first error met (null if none).</returns>
    public static async Task<(int Successes, Exception? Error)> Batch(int count, int initialBatchSize, Func<Task> action)
    {
        var remaining = count;
        var successes = 0;
        for (var batch = Math.Min(remaining, initialBatchSize); batch > 0; batch = Math.Min(2 * batch, remaining))
        {
            var tasks = Enumerable.Range(0, batch).Select(_ => Run(action)).ToArray();
            var errors = await Task.WhenAll(tasks);
            var failed = errors.FirstOrDefault(e => e is not null);
            successes += errors.Count(e => e is null);
            if (failed is not null) return (successes, failed);
            remaining -= batch;
        }
        return (successes, null);
    }

    private static async Task<Exception?> Run(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}

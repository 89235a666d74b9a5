using Akka.KubeEmu.Actors.Flowcontrol;

namespace Akka.KubeEmu.Actors.Workqueue;

/// <summary>client-go's <c>workqueue.TypedRateLimiter</c>: how long an item waits before it is retried.</summary>
public interface IRateLimiter
{
    /// <summary>The delay for the next retry of <paramref name="item"/>; records the attempt.</summary>
    TimeSpan When(string item);

    /// <summary>The item succeeded: its failures are forgotten.</summary>
    void Forget(string item);

    /// <summary>How many times the item has been retried since it was last forgotten.</summary>
    int NumRequeues(string item);
}

/// <summary>
/// <c>ItemExponentialFailureRateLimiter</c>: base × 2^failures per item, capped (5 ms to 1000 s in
/// controllers), one <see cref="Backoff"/> per failing item.
/// </summary>
public sealed class ItemExponentialFailureRateLimiter(TimeSpan baseDelay, TimeSpan maxDelay, TimeProvider time) : IRateLimiter
{
    private readonly Dictionary<string, (Backoff Backoff, int Failures)> _items = new(StringComparer.Ordinal);

    public TimeSpan When(string item)
    {
        if (!_items.TryGetValue(item, out var entry)) entry = (new Backoff(baseDelay, maxDelay), 0);
        var delay = entry.Backoff.NextDelay(time.GetUtcNow());
        _items[item] = (entry.Backoff, entry.Failures + 1);
        return delay;
    }

    public void Forget(string item) => _items.Remove(item);

    public int NumRequeues(string item) => _items.TryGetValue(item, out var e) ? e.Failures : 0;
}

/// <summary>
/// <c>BucketRateLimiter</c>: a token bucket over all items (10 per second, burst 100 in controllers),
/// so that a storm of failures cannot hammer the API however many keys fail at once.
/// </summary>
public sealed class BucketRateLimiter : IRateLimiter
{
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private DateTimeOffset _last;

    public BucketRateLimiter(double perSecond, int burst, TimeProvider time)
    {
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetUtcNow();
    }

    /// <summary>Reserves a token; the delay is how long until the reservation is covered (rate.Limiter.Reserve().Delay()).</summary>
    public TimeSpan When(string item)
    {
        var now = _time.GetUtcNow();
        _tokens = Math.Min(_burst, _tokens + (now - _last).TotalSeconds * _perSecond);
        _last = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
    }

    public void Forget(string item) { }

    public int NumRequeues(string item) => 0;
}

/// <summary><c>MaxOfRateLimiter</c>: the longest delay any of its limiters asks for.</summary>
public sealed class MaxOfRateLimiter(params IRateLimiter[] limiters) : IRateLimiter
{
    public TimeSpan When(string item)
    {
        var max = TimeSpan.Zero;
        foreach (var l in limiters)
        {
            var d = l.When(item);
            if (d > max) max = d;
        }
        return max;
    }

    public void Forget(string item)
    {
        foreach (var l in limiters) l.Forget(item);
    }

    public int NumRequeues(string item) => limiters.Max(l => l.NumRequeues(item));
}

public static class RateLimiters
{
    /// <summary>
    /// <c>DefaultControllerRateLimiter</c>: per item 5 ms doubling to 1000 s, and overall 10 retries
    /// per second with bursts of 100.
    /// </summary>
    public static IRateLimiter DefaultController(TimeProvider time) => new MaxOfRateLimiter(
        new ItemExponentialFailureRateLimiter(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), time),
        new BucketRateLimiter(10, 100, time));
}

namespace Akka.KubeEmu.Actors.Flowcontrol;

/// <summary>
/// The one back-off of the emulator: client-go's <c>flowcontrol.Backoff</c> for one key. A period
/// starts at <c>initial</c> and doubles on every <see cref="Next"/> up to <c>max</c>; an entry not
/// touched for twice <c>max</c> is forgotten, so the next failure starts short again. The kubelet
/// uses it for CrashLoopBackOff and ImagePullBackOff (10 s to 5 min), retry loops against the API
/// through <see cref="NextDelay"/> (reflector relists, lease renewals), and the work queue's
/// per-item rate limiter keeps one per key. Not thread-safe: owned by one actor or guarded by its caller.
/// </summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private DateTimeOffset _lastUpdate;

    public static Backoff Container() => new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    public TimeSpan Initial => initial;

    public TimeSpan Max => max;

    /// <summary>The current period; zero before the first <see cref="Next"/> or after <see cref="Reset"/>.</summary>
    public TimeSpan Current { get; private set; }

    private bool HasEntry => Current > TimeSpan.Zero;

    private bool Expired(DateTimeOffset at) => at - _lastUpdate > 2 * max;

    /// <summary>flowcontrol's IsInBackOffSince: still within the period counted from <paramref name="eventTime"/>.</summary>
    public bool InBackOffSince(DateTimeOffset eventTime, DateTimeOffset now) =>
        HasEntry && !Expired(now) && now - eventTime < Current;

    /// <summary>flowcontrol's Next: records an attempt at <paramref name="at"/> and lengthens the period.</summary>
    public void Next(DateTimeOffset at)
    {
        Current = !HasEntry || Expired(at) ? initial : TimeSpan.FromTicks(Math.Min(max.Ticks, Current.Ticks * 2));
        _lastUpdate = at;
    }

    /// <summary>For retry loops: records a failure at <paramref name="now"/> and returns how long to wait (initial, 2×, 4×, ... max).</summary>
    public TimeSpan NextDelay(DateTimeOffset now)
    {
        Next(now);
        return Current;
    }

    /// <summary>Success: the next failure waits <c>initial</c> again.</summary>
    public void Reset() => Current = TimeSpan.Zero;
}

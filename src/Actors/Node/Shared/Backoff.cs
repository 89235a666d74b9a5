namespace Akka.KubeEmu.Actors.Node.Shared;

/// <summary>
/// Exponential backoff for retries against the Store: starts at <c>initial</c>, doubles up to
/// <c>max</c>, resets on success. (The lease controller's 200 ms..7 s, the informers' relist.)
/// </summary>
public sealed class RetryBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public RetryBackoff(TimeSpan initial, TimeSpan max)
    {
        _initial = initial;
        _max = max;
        _next = initial;
    }

    /// <summary>The delay before the next attempt; each call doubles the following one.</summary>
    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return current;
    }

    public void Reset() => _next = _initial;
}

/// <summary>
/// client-go's flowcontrol.Backoff for one key, as the kubelet uses it for CrashLoopBackOff and
/// ImagePullBackOff: <see cref="Next"/> starts at the initial period and doubles up to the max;
/// an entry not touched for twice the max is forgotten (so a container that ran 10 minutes
/// restarts at once again).
/// </summary>
public sealed class KeyedBackoff(TimeSpan initial, TimeSpan max)
{
    public static KeyedBackoff Container() => new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    public TimeSpan Current { get; private set; }

    private DateTimeOffset _lastUpdate;

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
}

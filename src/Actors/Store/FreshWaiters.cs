using Akka.Actor;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// Lists that asked for a resourceVersion the store has not reached yet, held as kube-apiserver's
/// watch cache holds them (waitUntilFreshAndBlock): answered by the write that reaches it, or
/// after <see cref="Wait"/> with 504 "Too large resource version".
/// </summary>
public sealed class FreshWaiters
{
    /// <summary>The watch cache's blockTimeout.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(3);

    private readonly Dictionary<long, Waiter> _waiting = [];
    private long _nextId;

    public sealed record Waiter(ListObjects List, IActorRef Sender, long ResourceVersion, ICancelable Timeout);

    /// <summary>The message that ends a wait.</summary>
    public sealed record Expired(long Id);

    public void Add(ListObjects list, IActorRef sender, long resourceVersion, IScheduler scheduler, IActorRef self)
    {
        var id = ++_nextId;
        var timeout = scheduler.ScheduleTellOnceCancelable(Wait, self, new Expired(id), self);
        _waiting[id] = new Waiter(list, sender, resourceVersion, timeout);
    }

    public Waiter? Remove(long id) => _waiting.Remove(id, out var w) ? w : null;

    /// <summary>Takes out the lists the store's resourceVersion now satisfies.</summary>
    public IEnumerable<(ListObjects List, IActorRef Sender)> ReachedBy(long resourceVersion)
    {
        if (_waiting.Count == 0) return [];
        var reached = _waiting.Where(e => e.Value.ResourceVersion <= resourceVersion).ToArray();
        foreach (var (id, w) in reached)
        {
            _waiting.Remove(id);
            w.Timeout.Cancel();
        }
        return reached.Select(e => (e.Value.List, e.Value.Sender));
    }

    public IEnumerable<Waiter> Drain()
    {
        var all = _waiting.Values.ToArray();
        _waiting.Clear();
        foreach (var w in all) w.Timeout.Cancel();
        return all;
    }
}

using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Singletons;

/// <summary>
/// The API server's way to the Store singleton while it fails over. ClusterSingletonProxy keeps
/// forwarding to the singleton of a control plane that was killed until that member is removed,
/// and what it forwards meanwhile is lost: a `kubectl get` sent then waited for the API server's
/// whole Store timeout (30 s) although the Store ran again elsewhere within seconds. Here, requests
/// are held while the Store's member is unreachable and sent once it is reachable again or the
/// singleton has moved; of those already sent to a member that became unreachable and then moved
/// away, reads are asked again of the new Store, and writes are answered at once with a 504 that
/// says they may still have been applied (kube-apiserver's answer when etcd fails mid-write):
/// asking again could apply a create twice.
/// </summary>
public sealed class StoreFailoverGate : ReceiveActor, IWithTimers
{
    private readonly IActorRef _store;
    private readonly TimeSpan _settle;
    private readonly TimeSpan _askTimeout;
    private readonly TimeProvider _time;
    private readonly Dictionary<long, Pending> _inFlight = [];
    private readonly Queue<Pending> _held = new();
    private StoreHost _host = new(null, false);
    private bool _settling;
    private long _nextId;

    /// <param name="store">The Store singleton's proxy.</param>
    /// <param name="settle">
    /// How long after the singleton moved requests wait before going to the proxy: it learns of the
    /// move from the same membership event, and must have let go of the old singleton first.
    /// </param>
    /// <param name="askTimeout">How long an answer is waited for (the callers' own timeout).</param>
    /// <param name="time">The clock held requests expire by: one whose caller has given up is never sent.</param>
    /// <param name="hosts">What tells this gate where the Store runs: a <see cref="StoreHostTracker"/> unless a test gives its own.</param>
    public StoreFailoverGate(IActorRef store, TimeSpan settle, TimeSpan askTimeout, TimeProvider time, Props? hosts = null)
    {
        _store = store;
        _settle = settle;
        _askTimeout = askTimeout;
        _time = time;
        Context.ActorOf(hosts ?? StoreHostTracker.Props(), "store-host");
        Receive<StoreHost>(HostChanged);
        Receive<Answered>(a =>
        {
            if (_inFlight.Remove(a.Id, out var p)) p.ReplyTo.Tell(a.Reply);
        });
        Receive<Abandoned>(a => _inFlight.Remove(a.Id));
        Receive<Settled>(_ => Settle());
        Receive<IStoreCommand>(c => c is GetObject or ListObjects or CreateObject or UpdateObject or DeleteObject,
            c => Submit(new Pending(c, Sender, _time.GetUtcNow() + _askTimeout, null)));
        ReceiveAny(m => _store.Forward(m));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store, TimeSpan askTimeout, TimeProvider time, Props? hosts = null, TimeSpan? settle = null) =>
        Akka.Actor.Props.Create(() => new StoreFailoverGate(store, settle ?? TimeSpan.FromMilliseconds(250), askTimeout, time, hosts));

    private bool Open => _host is { Member: not null, Reachable: true } && !_settling;

    private static bool IsRead(IStoreCommand c) => c is GetObject or ListObjects;

    private void HostChanged(StoreHost host)
    {
        var previous = _host;
        _host = host;
        if (previous is { Member: { } old, Reachable: false } && host.Member != old)
        {
            // The singleton left a member that stopped answering: what that one was sent is lost or in doubt.
            foreach (var (id, p) in _inFlight.Where(e => e.Value.SentTo == old && !IsRead(e.Value.Command)).ToList())
            {
                _inFlight.Remove(id);
                p.ReplyTo.Tell(new StoreFailure(ApiStatus.Timeout(
                    "the store failed over to another control plane before answering; the request may still be applied")));
            }
            _settling = true;
            Timers.StartSingleTimer("settle", Settled.Instance, _settle);
            return;
        }
        Flush();
    }

    private void Settle()
    {
        _settling = false;
        foreach (var (id, p) in _inFlight.Where(e => e.Value.SentTo != _host.Member && IsRead(e.Value.Command)).ToList())
        {
            _inFlight.Remove(id);
            _held.Enqueue(p);
        }
        Flush();
    }

    private void Submit(Pending p)
    {
        if (Open) Send(p);
        else _held.Enqueue(p);
    }

    private void Flush()
    {
        while (Open && _held.TryDequeue(out var p))
            if (p.Deadline > _time.GetUtcNow()) Send(p);
    }

    private void Send(Pending p)
    {
        var id = ++_nextId;
        _inFlight[id] = p with { SentTo = _host.Member };
        var left = p.Deadline - _time.GetUtcNow();
        _store.Ask<object>(p.Command, left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1))
            .PipeTo(Self, success: r => new Answered(id, r), failure: _ => new Abandoned(id));
    }

    private sealed record Pending(IStoreCommand Command, IActorRef ReplyTo, DateTimeOffset Deadline, UniqueAddress? SentTo);

    private sealed record Answered(long Id, object Reply);

    private sealed record Abandoned(long Id);

    private sealed class Settled
    {
        public static readonly Settled Instance = new();
    }
}

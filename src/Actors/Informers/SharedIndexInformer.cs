using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Flowcontrol;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>What controllers hold of a shared informer whatever its object type.</summary>
public interface ISharedInformer
{
    /// <summary>Names the informer in <see cref="InformerEvents"/> and <see cref="InformerSynced"/>.</summary>
    string Name { get; }

    ResourceType Type { get; }

    IActorRef Actor { get; }

    bool HasSynced { get; }

    /// <summary>See <see cref="AddEventHandler"/>.</summary>
    void AddEventHandler(IActorRef handler, TimeSpan resyncPeriod = default);
}

/// <summary>
/// client-go's SharedIndexInformer: one list+watch of a resource (a <see cref="Reflector"/>), a
/// cache with indexers everyone in the process reads (<see cref="Indexer"/>), and event handlers
/// (actors) that are told of every change after the cache holds it. Created by
/// <see cref="SharedInformerFactory"/>.
/// </summary>
public sealed class SharedIndexInformer<T> : ISharedInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    internal SharedIndexInformer(string name, ResourceType type, Indexer<T> indexer, IActorRef actor)
    {
        Name = name;
        Type = type;
        Indexer = indexer;
        Actor = actor;
    }

    public string Name { get; }

    public ResourceType Type { get; }

    /// <summary>The cache (client-go's Lister and Indexer in one).</summary>
    public Indexer<T> Indexer { get; }

    public IActorRef Actor { get; }

    public bool HasSynced => Indexer.HasSynced;

    public void AddEventHandler(IActorRef handler, TimeSpan resyncPeriod = default) =>
        Actor.Tell(new AddEventHandler(handler, resyncPeriod));
}

/// <summary>
/// The actor behind a <see cref="SharedIndexInformer{T}"/>: decodes each object once into the typed
/// model, updates the cache, then tells every handler. A relist after a lost watch is diffed against
/// the cache, so handlers see only what really changed (deletions included).
/// </summary>
internal sealed class InformerActor<T> : ReceiveActor, IWithTimers where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _name;
    private readonly Indexer<T> _indexer;
    private readonly List<Handler> _handlers = [];

    public InformerActor(string name, IActorRef store, ReflectorSpec spec, Indexer<T> indexer, TimeProvider time)
    {
        _name = name;
        _indexer = indexer;
        Context.ActorOf(Reflector.Props(store, spec, time), "reflector");

        Receive<ReflectorReplace>(r =>
        {
            var first = !_indexer.HasSynced;
            var changes = _indexer.Replace(Decode(r.Items.Select(i => i.Utf8)));
            Notify(changes.Select(c => new ObjectChange(c.Old, c.New)).ToArray());
            if (first) foreach (var h in _handlers) h.Ref.Tell(new InformerSynced(_name));
        });
        Receive<ReflectorEvents>(e =>
        {
            var changes = new List<ObjectChange>(e.Events.Count);
            foreach (var ev in e.Events)
            {
                if (TryDecode(ev.Object.Utf8) is not { } obj) continue;
                if (ev.Type == "DELETED")
                {
                    var old = _indexer.Remove(KubeModels.Key(obj));
                    changes.Add(new ObjectChange(old ?? obj, null));
                }
                else changes.Add(new ObjectChange(_indexer.Upsert(obj), obj));
            }
            Notify(changes);
        });
        Receive<AddEventHandler>(a =>
        {
            // A handler that registers again (a restarted actor keeps its ref) gets a fresh replay.
            _handlers.RemoveAll(h => h.Ref.Equals(a.Handler));
            var handler = new Handler(a.Handler, a.ResyncPeriod);
            _handlers.Add(handler);
            Context.Watch(a.Handler);
            if (_indexer.HasSynced)
            {
                a.Handler.Tell(new InformerEvents(_name, _indexer.List().Select(o => new ObjectChange(null, o)).ToArray()));
                a.Handler.Tell(new InformerSynced(_name));
            }
            if (a.ResyncPeriod > TimeSpan.Zero) ScheduleResync(handler);
        });
        Receive<Resync>(r =>
        {
            var handler = _handlers.FirstOrDefault(h => h.Id == r.HandlerId);
            if (handler is null) return;
            if (_indexer.HasSynced) handler.Ref.Tell(new InformerEvents(_name, _indexer.List().Select(o => new ObjectChange(o, o)).ToArray()));
            ScheduleResync(handler);
        });
        Receive<Terminated>(t => _handlers.RemoveAll(h => h.Ref.Equals(t.ActorRef)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private void Notify(IReadOnlyList<ObjectChange> changes)
    {
        if (changes.Count == 0) return;
        var message = new InformerEvents(_name, changes);
        foreach (var h in _handlers) h.Ref.Tell(message);
    }

    // Resyncs are spread (client-go's ResyncPeriod adds up to 100 % jitter in the controller manager).
    private void ScheduleResync(Handler h) =>
        Timers.StartSingleTimer("resync-" + h.Id, new Resync(h.Id), Jitter.Apply(h.Period, 0.1));

    private List<T> Decode(IEnumerable<byte[]> items)
    {
        var list = new List<T>();
        foreach (var utf8 in items)
            if (TryDecode(utf8) is { } o) list.Add(o);
        return list;
    }

    private T? TryDecode(byte[] utf8)
    {
        if (DecodedObjects.TryGet<T>(utf8, out var known)) return known;
        try
        {
            var decoded = KubeModels.Decode<T>(utf8);
            DecodedObjects.Remember(utf8, decoded);
            return decoded;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException)
        {
            _log.Warning("informer {0}: an object does not decode as {1} ({2}); left out of the cache", _name, typeof(T).Name, e.Message);
            return null;
        }
    }

    private sealed class Handler(IActorRef handler, TimeSpan period)
    {
        private static long _ids;

        public long Id { get; } = Interlocked.Increment(ref _ids);
        public IActorRef Ref { get; } = handler;
        public TimeSpan Period { get; } = period;
    }

    private sealed record Resync(long HandlerId);
}

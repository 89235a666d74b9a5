using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Informers;

namespace Akka.KubeEmu.Actors.Node.ConfigObjects;

/// <summary>
/// The kubelet's watch-based ConfigMap and Secret managers (pkg/kubelet/util/manager,
/// watch_based_manager.go) for a whole node process: one list+watch per object that some pod of
/// the process reads (field selector metadata.name, which the Store answers by lookup and
/// dispatches by index), counted by the pods that reference it and stopped when the last one
/// goes. Pods sharing a ConfigMap share its watch, so the cost is the number of distinct objects
/// the process's pods read, never the number of objects in the cluster: a process hosting
/// 5,000 hollow nodes does not hold every ConfigMap of the cluster as an informer would. As in
/// the kubelet, an object seen immutable is not watched any more (it cannot change).
/// The objects are published in a <see cref="ConfigObjectCache"/> that pod workers read directly.
/// </summary>
public sealed class WatchBasedManager : UntypedActor
{
    private readonly IActorRef _store;
    private readonly TimeProvider _time;
    private readonly ConfigObjectCache _cache;
    private readonly Dictionary<string, Item> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byReflector = new(StringComparer.Ordinal);
    private long _reflectors;

    public WatchBasedManager(IActorRef store, TimeProvider time, ConfigObjectCache cache)
    {
        _store = store;
        _time = time;
        _cache = cache;
    }

    public static Props Props(IActorRef store, TimeProvider time, ConfigObjectCache cache) =>
        Akka.Actor.Props.Create(() => new WatchBasedManager(store, time, cache));

    /// <summary>A reflector that fails is replaced (it lists again); a failing one must not stop the others.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Restart);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RegisterPod r: Register(r); break;
            case UnregisterPod u: Unregister(u.PodUid); break;
            case ReflectorReplace r when _byReflector.TryGetValue(r.Name, out var key):
                Store(key, r.Items.Count > 0 ? KubeObject.Parse(r.Items[0].Utf8) : null);
                break;
            case ReflectorEvents e when _byReflector.TryGetValue(e.Name, out var key):
                foreach (var change in e.Events) Store(key, change.Type == "DELETED" ? null : KubeObject.Parse(change.Object.Utf8));
                break;
            case ReflectorReplace or ReflectorEvents: break; // from a reflector stopped meanwhile
            default: Unhandled(message); break;
        }
    }

    private void Register(RegisterPod r)
    {
        var keys = r.Objects.Select(o => ConfigObjectCache.Key(o.Kind, r.Namespace, o.Name)).Distinct().ToArray();
        // Add the new references before dropping the old ones, so an object both use keeps its watch.
        foreach (var (kind, name) in r.Objects)
        {
            var key = ConfigObjectCache.Key(kind, r.Namespace, name);
            if (!_items.TryGetValue(key, out var item)) _items[key] = item = Start(key, kind, r.Namespace, name);
            item.Pods.Add(r.PodUid);
        }
        if (_pods.TryGetValue(r.PodUid, out var before))
            foreach (var key in before.Except(keys)) Release(key, r.PodUid);
        if (keys.Length == 0) _pods.Remove(r.PodUid);
        else _pods[r.PodUid] = keys;
    }

    private void Unregister(string podUid)
    {
        if (!_pods.Remove(podUid, out var keys)) return;
        foreach (var key in keys) Release(key, podUid);
    }

    private void Release(string key, string podUid)
    {
        if (!_items.TryGetValue(key, out var item)) return;
        item.Pods.Remove(podUid);
        if (item.Pods.Count > 0) return;
        StopWatch(item);
        _items.Remove(key);
        _cache.Forget(key);
    }

    private Item Start(string key, ConfigKind kind, string ns, string name)
    {
        var reflectorName = $"{key}#{++_reflectors}";
        var spec = new ReflectorSpec(reflectorName, ConfigObject.Resource(kind), ns, FieldSelector: "metadata.name=" + name);
        var reflector = Context.ActorOf(Reflector.Props(_store, spec, _time), "reflector-" + _reflectors);
        _byReflector[reflectorName] = key;
        return new Item(kind, reflectorName) { Reflector = reflector };
    }

    private void Store(string key, System.Text.Json.Nodes.JsonObject? obj)
    {
        if (!_items.TryGetValue(key, out var item)) return;
        var parsed = obj is null ? null : ConfigObject.From(item.Kind, obj);
        _cache.Set(key, parsed);
        // An immutable object never changes again: its watch is not needed any more (the kubelet stops its reflector too).
        if (parsed is { Immutable: true }) StopWatch(item);
    }

    private void StopWatch(Item item)
    {
        _byReflector.Remove(item.ReflectorName);
        if (item.Reflector is null) return;
        Context.Stop(item.Reflector);
        item.Reflector = null;
    }

    private sealed class Item(ConfigKind kind, string reflectorName)
    {
        public ConfigKind Kind { get; } = kind;
        public string ReflectorName { get; } = reflectorName;
        public IActorRef? Reflector { get; set; }
        public HashSet<string> Pods { get; } = new(StringComparer.Ordinal);
    }
}

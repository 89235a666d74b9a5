using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Controllers.Namespace;

/// <summary>
/// The namespace controller: a namespace being deleted has its content deleted (pods
/// gracefully, through their kubelets), and once nothing is left its "kubernetes" finalizer
/// is removed through the finalize subresource, which lets the store drop it.
/// </summary>
public sealed class NamespaceController : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    private readonly StoreClient _store;
    private readonly ObjectCache _namespaces = new();
    private readonly HashSet<string> _working = new(StringComparer.Ordinal);

    public NamespaceController(IActorRef store)
    {
        _store = new StoreClient(store, TimeSpan.FromSeconds(10));
        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("namespaces", "namespaces")), "namespaces-reflector");
        Receive<ReflectorReplace>(r =>
        {
            _namespaces.Replace(r);
            SyncAll();
        });
        Receive<ReflectorEvents>(e =>
        {
            _namespaces.Apply(e);
            SyncAll();
        });
        Receive<Tick>(_ => SyncAll());
        Receive<Synced>(s => _working.Remove(s.Namespace));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new NamespaceController(store));

    protected override void PreStart() => Timers.StartPeriodicTimer("resync", Tick.Instance, Retry);

    private void SyncAll()
    {
        foreach (var ns in _namespaces.Values)
        {
            var name = KubeObject.Name(ns);
            if (KubeObject.At(ns, "metadata.deletionTimestamp") is null || !_working.Add(name)) continue;
            Sync(name).PipeTo(Self, success: () => new Synced(name), failure: _ => new Synced(name));
        }
    }

    /// <summary>deleteAllContent, then finalize when it is all gone.</summary>
    private async Task Sync(string ns)
    {
        var remaining = 0;
        foreach (var type in ResourceCatalog.All.Where(t => t.Namespaced && t != ResourceCatalog.EventsV1))
        {
            var (list, _) = await _store.List(new ListObjects(type.GroupResource, ns));
            if (list is null)
            {
                remaining++;
                continue;
            }
            foreach (var raw in list.Items)
            {
                var obj = KubeObject.Parse(raw.Utf8);
                remaining++;
                if (KubeObject.At(obj, "metadata.deletionTimestamp") is null)
                    // As the namespace deleter: Background, so no Job waits for the orphan finalizer.
                    await _store.Delete(new DeleteObject(type.GroupResource, ns, KubeObject.Name(obj), PropagationPolicy: GarbageCollectionPolicy.Background));
            }
        }
        if (remaining > 0) return;

        var current = await _store.Get("namespaces", "", ns);
        if (!current.Ok) return;
        var finalized = current.Object;
        KubeObject.EnsureObject(finalized, "spec")["finalizers"] = new JsonArray();
        await _store.Update("namespaces", finalized, "finalize");
    }

    private sealed record Synced(string Namespace);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}

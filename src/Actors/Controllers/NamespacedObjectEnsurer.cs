using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Informers;

namespace Akka.KubeEmu.Actors.Controllers;

/// <summary>
/// The shape shared by controllers that keep one object in every active namespace (the
/// ServiceAccount controller's "default", the root CA publisher's "kube-root-ca.crt"):
/// watch namespaces, create the object where it is missing, retry on the next resync.
/// </summary>
public abstract class NamespacedObjectEnsurer : ReceiveActor, IWithTimers
{
    private readonly StoreClient _store;
    private readonly ObjectCache _namespaces = new();
    private readonly HashSet<string> _done = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inFlight = new(StringComparer.Ordinal);

    protected NamespacedObjectEnsurer(IActorRef store)
    {
        _store = new StoreClient(store, TimeSpan.FromSeconds(10));
        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("namespaces", "namespaces")), "namespaces-reflector");
        Receive<ReflectorReplace>(r =>
        {
            _namespaces.Replace(r);
            _done.Clear();
            EnsureAll();
        });
        Receive<ReflectorEvents>(e =>
        {
            foreach (var (old, now) in _namespaces.Apply(e))
                if (now is null) _done.Remove(KubeObject.Name(old!));
            EnsureAll();
        });
        Receive<Ensured>(e =>
        {
            _inFlight.Remove(e.Namespace);
            if (e.Ok) _done.Add(e.Namespace);
        });
        Receive<Resync>(_ => EnsureAll());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>GroupResource of the object, e.g. "serviceaccounts".</summary>
    protected abstract string Resource { get; }

    /// <summary>The object this namespace should hold.</summary>
    protected abstract JsonObject Desired(string ns);

    protected override void PreStart() => Timers.StartPeriodicTimer("resync", Resync.Instance, TimeSpan.FromSeconds(10));

    private void EnsureAll()
    {
        foreach (var ns in _namespaces.Values)
        {
            var name = KubeObject.Name(ns);
            if (KubeObject.At(ns, "metadata.deletionTimestamp") is not null || _done.Contains(name) || !_inFlight.Add(name)) continue;
            _store.Create(Resource, Desired(name))
                .PipeTo(Self, success: r => new Ensured(name, r.Ok || r.Error!.Code == 409), failure: _ => new Ensured(name, false));
        }
    }

    private sealed record Ensured(string Namespace, bool Ok);

    private sealed class Resync
    {
        public static readonly Resync Instance = new();
    }
}

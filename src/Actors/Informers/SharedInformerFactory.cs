using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Resources;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>
/// client-go's SharedInformerFactory: at most one informer (one list+watch, one cache) per
/// resource and selection for all the controllers that share the factory. Thread-safe, so that
/// controllers ask for their informers in their own constructors: the informers are top-level
/// actors named after the factory, and its owner (the ControllerManager, the Scheduler) stops
/// them with <see cref="Shutdown"/> when it stops. Every informer indexes by namespace and owner;
/// pods also by node.
/// </summary>
public sealed class SharedInformerFactory(IActorRefFactory actors, string name, IActorRef store, TimeProvider time)
{
    private readonly Dictionary<string, ISharedInformer> _informers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public IReadOnlyCollection<ISharedInformer> Started
    {
        get
        {
            lock (_lock) return _informers.Values.ToArray();
        }
    }

    /// <summary>Stops every informer of this factory (their watches end with them).</summary>
    public void Shutdown()
    {
        lock (_lock)
        {
            foreach (var i in _informers.Values) i.Actor.Tell(PoisonPill.Instance);
            _informers.Clear();
        }
    }

    /// <summary>The informer of every <typeparamref name="T"/> (V1Pod: all pods of all namespaces).</summary>
    public SharedIndexInformer<T> For<T>() where T : class, IKubernetesObject<V1ObjectMeta> =>
        For<T>(null, null, null);

    /// <summary>An informer of a selection (client-go's WithNamespace / WithTweakListOptions).</summary>
    public SharedIndexInformer<T> For<T>(string? ns, string? fieldSelector, string? labelSelector)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var type = ResourceCatalog.ForModel(typeof(T));
        var informerName = NameOf(type, ns, fieldSelector, labelSelector);
        lock (_lock)
        {
            if (_informers.TryGetValue(informerName, out var existing)) return (SharedIndexInformer<T>)existing;
            var informer = Start<T>(type, informerName, ns, fieldSelector, labelSelector);
            _informers[informerName] = informer;
            return informer;
        }
    }

    private SharedIndexInformer<T> Start<T>(ResourceType type, string informerName, string? ns, string? fieldSelector, string? labelSelector)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var indexer = new Indexer<T>();
        indexer.AddIndexer(Indexers.Namespace, Indexers.ByNamespace);
        indexer.AddIndexer(Indexers.ControllerUid, Indexers.ByControllerUid);
        indexer.AddIndexer(Indexers.OwnerUid, Indexers.ByOwnerUid);
        if (indexer is Indexer<V1Pod> pods) pods.AddIndexer(Indexers.NodeName, Indexers.ByNodeName);

        var spec = new ReflectorSpec(informerName, type.GroupResource, ns, labelSelector, fieldSelector);
        var actor = actors.ActorOf(Props.Create(() => new InformerActor<T>(informerName, store, spec, indexer, time)),
            ActorName(name + "-" + informerName));
        return new SharedIndexInformer<T>(informerName, type, indexer, actor);
    }

    /// <summary>The informer of <paramref name="type"/> when the model type is only known at run time (the garbage collector's view of every resource).</summary>
    public ISharedInformer For(ResourceType type)
    {
        var method = typeof(SharedInformerFactory).GetMethod(nameof(For), [])!.MakeGenericMethod(type.ModelType);
        return (ISharedInformer)method.Invoke(this, [])!;
    }

    private static string NameOf(ResourceType type, string? ns, string? fieldSelector, string? labelSelector)
    {
        var name = type.GroupResource;
        if (!string.IsNullOrEmpty(ns)) name += "@" + ns;
        if (!string.IsNullOrEmpty(fieldSelector)) name += "?fields=" + fieldSelector;
        if (!string.IsNullOrEmpty(labelSelector)) name += "?labels=" + labelSelector;
        return name;
    }

    private static string ActorName(string name) =>
        "informer-" + Uri.EscapeDataString(name).Replace("%", "~") + "-" + Guid.NewGuid().ToString("N")[..8];
}

using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers;

/// <summary>
/// The shape shared by controllers that keep one object in every active namespace (the
/// ServiceAccounts controller's "default", the root CA publisher's "kube-root-ca.crt"): a queue of
/// namespace names, fed by namespace additions and updates and by the object's own changes and
/// deletion; a sync reads the caches and creates (or repairs) the object through the API. A failed
/// write is retried with the queue's back-off, never by rescanning every namespace.
/// </summary>
public abstract class NamespacedObjectEnsurer<T> : Controller where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Indexer<V1Namespace> _namespaces;
    private readonly Indexer<T> _objects;

    protected NamespacedObjectEnsurer(ControllerContext context, string name, string objectName, int workers) : base(context, name, workers)
    {
        ObjectName = objectName;
        var namespaces = Informers.For<V1Namespace>();
        var objects = Informers.For<T>();
        _namespaces = namespaces.Indexer;
        _objects = objects.Indexer;
        Handle(namespaces, added: Enqueue, updated: (_, ns) => Enqueue(ns));
        Handle(objects, updated: (_, o) => ObjectChanged(o), deleted: ObjectChanged);
    }

    /// <summary>The object's name in every namespace.</summary>
    protected string ObjectName { get; }

    /// <summary>The object this namespace should hold.</summary>
    protected abstract T Desired(string ns);

    /// <summary>The repaired copy of an existing object, or null when it is as it should be (the default: any content will do).</summary>
    protected virtual T? Repaired(T existing) => null;

    private void ObjectChanged(T obj)
    {
        if (obj.Metadata?.Name == ObjectName) Enqueue(obj.Metadata.NamespaceProperty ?? "");
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var ns = _namespaces.Get(key);
        if (ns is null || ns.Metadata.DeletionTimestamp is not null || ns.Status?.Phase is { } phase && phase != "Active")
            return SyncResult.Done;
        var existing = _objects.Get(key, ObjectName);
        if (existing is null)
        {
            var created = await Api.Create(Desired(key));
            // AlreadyExists: the cache is behind; NotFound or Forbidden: the namespace went or is terminating.
            if (created.Ok || created.IsAlreadyExists || created.Error?.Code is 404 or 403) return SyncResult.Done;
            _ = created.Object;
            return SyncResult.Done;
        }
        if (Repaired(existing) is not { } repaired) return SyncResult.Done;
        var updated = await Api.Update(repaired);
        if (updated.IsConflict) return SyncResult.Retry;
        if (updated.IsNotFound) return SyncResult.Done; // deleted meanwhile: its deletion enqueues the namespace again
        _ = updated.Object;
        return SyncResult.Done;
    }
}

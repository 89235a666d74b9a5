using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Workqueue;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Namespace;

/// <summary>
/// The namespace controller (pkg/controller/namespace, --concurrent-namespace-syncs=10): a
/// namespace being deleted has its content deleted through the API (pods gracefully, through their
/// kubelets; in the background, so that no owner waits for its dependents), and once nothing is
/// left its "kubernetes" finalizer is removed through the finalize subresource, which lets the
/// Store drop it. Each sync lists the resources of its one namespace; while content remains, or a
/// call failed, the namespace is synced again after the queue's back-off (at most a minute).
/// </summary>
public sealed class NamespaceController : Controller
{
    public const string Finalizer = "kubernetes";

    private readonly Indexer<V1Namespace> _namespaces;

    public NamespaceController(ControllerContext context, int workers = 10)
        : base(context, "namespace-controller", workers, rateLimiter: RateLimiter(context.Time))
    {
        var namespaces = Informers.For<V1Namespace>();
        _namespaces = namespaces.Indexer;
        Handle(namespaces, added: EnqueueDeleting, updated: (_, ns) => EnqueueDeleting(ns));
    }

    /// <summary>
    /// nsControllerRateLimiter: the default controller back-off (5 ms doubling, 10/s overall) but never
    /// more than a minute, so that a namespace whose content is slow to go is looked at again at least
    /// every minute.
    /// </summary>
    public static IRateLimiter RateLimiter(TimeProvider time) => new MaxOfRateLimiter(
        new ItemExponentialFailureRateLimiter(TimeSpan.FromMilliseconds(5), TimeSpan.FromMinutes(1), time),
        new BucketRateLimiter(10, 100, time));

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new NamespaceController(context, 10));

    private void EnqueueDeleting(V1Namespace ns)
    {
        if (ns.Metadata?.DeletionTimestamp is not null) Enqueue(ns);
    }

    /// <summary>namespacedResourcesDeleter.Delete: deleteAllContent, then finalize when it is all gone.</summary>
    protected override async Task<SyncResult> Sync(string key)
    {
        var ns = _namespaces.Get(key);
        if (ns?.Metadata.DeletionTimestamp is null) return SyncResult.Done;
        if (ns.Spec?.Finalizers?.Contains(Finalizer) != true) return SyncResult.Done;

        var remaining = 0;
        var errors = new List<ApiStatus>();
        // Custom resources too: the namespace's objects of every served definition go with it.
        foreach (var type in ResourceCatalog.Served().Where(t => t.Namespaced && ResourceCatalog.StorageOf(t) == t && !ResourceCatalog.IsReview(t)))
        {
            var (items, _, listError) = await Api.List(type, key);
            if (items is null)
            {
                errors.Add(listError!);
                continue;
            }
            foreach (var raw in items)
            {
                remaining++;
                var obj = KubeObject.Parse(raw.Utf8);
                if (KubeObject.At(obj, "metadata.deletionTimestamp") is not null) continue; // on its way out
                var deleted = await Api.Delete(type, key, KubeObject.Name(obj),
                    new DeleteRequest(PropagationPolicy: Store.GarbageCollectionPolicy.Background, PreconditionUid: KubeObject.Uid(obj)));
                if (!deleted.Ok && deleted.Error!.Code is not (404 or 409)) errors.Add(deleted.Error);
            }
        }
        if (errors.Count > 0) throw new ApiException(errors[0] with { Message = string.Join("; ", errors.Select(e => e.Message).Distinct()) });
        if (remaining > 0) return SyncResult.Retry; // the content is going: look again after the back-off

        // finalizeNamespace, on a fresh read: the cache may not have the latest finalizers.
        var current = await Api.Get(ResourceCatalog.Namespaces, "", key);
        if (current.IsNotFound) return SyncResult.Done;
        var finalized = current.Object;
        var finalizers = KubeObject.At(finalized, "spec.finalizers") as JsonArray;
        if (finalizers?.Any(f => KubeObject.ScalarText(f) == Finalizer) != true) return SyncResult.Done;
        KubeObject.EnsureObject(finalized, "spec")["finalizers"] =
            new JsonArray(finalizers.Where(f => KubeObject.ScalarText(f) != Finalizer).Select(f => f?.DeepClone()).ToArray());
        var written = await Api.Update(ResourceCatalog.Namespaces, finalized, "finalize");
        if (written.IsConflict) return SyncResult.Retry;
        if (written.IsNotFound) return SyncResult.Done;
        _ = written.Object;
        return SyncResult.Done;
    }
}

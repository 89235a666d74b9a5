using Akka.Actor;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.CustomResourceCleanup;

/// <summary>
/// The apiextensions-apiserver's finalizer controller (crd_finalizer.go): a definition being deleted
/// keeps its <c>customresourcecleanup.apiextensions.k8s.io</c> finalizer until every object of its
/// resource is deleted; then Terminating turns False (InstanceDeletionCompleted) and the finalizer goes,
/// which lets the Store delete the definition.
/// </summary>
public sealed class CustomResourceCleanupController : Controller
{
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(1);

    private readonly Indexer<V1CustomResourceDefinition> _definitions;

    public CustomResourceCleanupController(ControllerContext context) : base(context, "crd-finalizer", 1, "kube-apiserver")
    {
        var definitions = Informers.For<V1CustomResourceDefinition>();
        _definitions = definitions.Indexer;
        Handle(definitions, added: EnqueueIfNeeded, updated: (_, cur) => EnqueueIfNeeded(cur));
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new CustomResourceCleanupController(context));

    private void EnqueueIfNeeded(V1CustomResourceDefinition crd)
    {
        if (NeedsCleanup(crd)) Enqueue(crd);
    }

    private static bool NeedsCleanup(V1CustomResourceDefinition crd) =>
        KubeModels.IsDeleting(crd) && crd.Metadata.Finalizers?.Contains(CustomResourceDefinitionStatus.CleanupFinalizer) == true;

    protected override async Task<SyncResult> Sync(string key)
    {
        var cached = _definitions.Get(key);
        if (cached is null || !NeedsCleanup(cached)) return SyncResult.Done;

        // The resource as the definition describes it, whether or not this process serves it yet.
        if (CustomResourceTypes.Storage(KubeModels.ToJsonObject(cached)) is { } type)
        {
            var (list, error) = await Api.Rest.List(type, null, null, null, 0, null);
            if (list is null) throw new InvalidOperationException(error!.Message);
            foreach (var item in list.Items)
            {
                var obj = KubeObject.Parse(item.Utf8);
                if (KubeObject.At(obj, "metadata.deletionTimestamp") is not null) continue;
                var deleted = await Api.Rest.Delete(type, KubeObject.Namespace(obj), KubeObject.Name(obj), new DeleteRequest());
                if (deleted.Error is { Code: not 404 } failed) throw new InvalidOperationException(failed.Message);
            }
            // Objects held by finalizers of their own: wait for them, as the controller requeues.
            var (left, _) = await Api.Rest.List(type, null, null, null, 1, null);
            if (left is null || left.Items.Count > 0) return SyncResult.After(Recheck);
        }

        var fresh = await Api.Rest.Get(ResourceCatalog.CustomResourceDefinitions, "", key);
        if (fresh.Error is { Code: 404 }) return SyncResult.Done;
        if (fresh.Error is { } readError) throw new InvalidOperationException(readError.Message);
        var crd = KubeObject.Parse(fresh.Body!.Utf8);
        var finalizers = KubeObject.At(crd, "metadata.finalizers") as System.Text.Json.Nodes.JsonArray;
        var own = finalizers?.FirstOrDefault(f => KubeObject.ScalarText(f) == CustomResourceDefinitionStatus.CleanupFinalizer);
        if (own is null) return SyncResult.Done;
        finalizers!.Remove(own);
        var result = await Api.Rest.Update(ResourceCatalog.CustomResourceDefinitions, "", key, null, crd, new WriteOptions(FieldManager: "kube-apiserver"));
        return result.Error switch
        {
            null or { Code: 404 } => SyncResult.Done,
            { Code: 409 } => SyncResult.Retry,
            { } e => throw new InvalidOperationException(e.Message),
        };
    }
}

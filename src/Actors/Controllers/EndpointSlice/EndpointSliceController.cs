using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Endpoint;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.EndpointSlice;

/// <summary>
/// pkg/controller/endpointslice (--concurrent-service-endpoint-syncs=5): the discovery.k8s.io/v1
/// EndpointSlices of every Service with a selector, owned by the Service (the garbage collector
/// deletes them with it), labelled kubernetes.io/service-name and
/// endpointslice.kubernetes.io/managed-by, at most <see cref="MaxEndpointsPerSlice"/> endpoints each,
/// one group of slices per set of resolved ports. Endpoints keep their slice while they last (few
/// writes as pods come and go); an empty Service keeps one placeholder slice, as Kubernetes does.
/// </summary>
public sealed class EndpointSliceController : ServicePodsController
{
    public const string ControllerName = "endpointslice-controller.k8s.io";
    public const string ServiceNameLabel = "kubernetes.io/service-name";
    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";
    public const int MaxEndpointsPerSlice = 100;

    private readonly Indexer<V1EndpointSlice> _slices;
    private readonly Indexer<V1Node> _nodes;
    private readonly EndpointSliceTracker _tracker = new();

    public EndpointSliceController(ControllerContext context, int workers = 5) : base(context, "endpointslice-controller", workers)
    {
        var slices = Informers.For<V1EndpointSlice>();
        _slices = slices.Indexer;
        _nodes = Informers.For<V1Node>().Indexer;
        Handle(slices, added: SliceChanged, updated: (_, s) => SliceChanged(s), deleted: SliceChanged);
    }

    public static Props Props(ControllerContext context, int workers = 5) =>
        Akka.Actor.Props.Create(() => new EndpointSliceController(context, workers));

    protected override void ServiceGone(V1Service service) => _tracker.Forget(service.Metadata.Uid);

    // A managed slice someone else changed or deleted is put right by its Service's next sync.
    private void SliceChanged(V1EndpointSlice slice)
    {
        if (slice.Metadata?.Labels?.TryGetValue(ManagedByLabel, out var manager) == true && manager == ControllerName
            && slice.Metadata.Labels.TryGetValue(ServiceNameLabel, out var service))
            Enqueue(KubeModels.Key(slice.Metadata.NamespaceProperty, service));
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var service = Services.Get(key);
        // A deleted Service's slices go with it: they are its dependents.
        if (service is null) return SyncResult.Done;
        var owned = _slices.ByIndex(Indexers.OwnerUid, service.Metadata.Uid);
        // Our last writes are not in the cache yet: acting now would create what exists already.
        if (_tracker.Stale(service.Metadata.Uid, owned)) return SyncResult.Retry;
        var existing = owned
            .Where(s => s.Metadata?.Labels?.TryGetValue(ManagedByLabel, out var m) == true && m == ControllerName && s.AddressType == "IPv4")
            .OrderBy(s => s.Metadata.Name, StringComparer.Ordinal).ToList();
        if (service.Spec?.Selector is not { Count: > 0 } || service.Spec.Type == "ExternalName")
        {
            foreach (var slice in existing) await Delete(slice);
            return SyncResult.Done;
        }

        var pods = PodsOf(key);
        var desired = SliceEndpoints.Build(service, pods, node => _nodes.Get(node)?.Metadata?.Labels);
        var plan = SlicePlanner.Plan(existing.Select(s => new SlicePlanner.Existing(s.Metadata.Name, Json(s))).ToList(), desired, MaxEndpointsPerSlice);

        var labels = Labels(service);
        var trigger = EndpointPods.TriggerTime(service, pods);
        try
        {
            foreach (var name in plan.Delete) await Delete(existing.First(s => s.Metadata.Name == name));
            foreach (var (name, ports, endpoints) in plan.Write)
            {
                var current = name is null ? null : existing.First(s => s.Metadata.Name == name);
                if (current is not null && Same(current, ports, endpoints, labels)) continue;
                var slice = current is null ? NewSlice(service) : KubeModels.ToJsonObject(current);
                var meta = KubeObject.Metadata(slice);
                meta["labels"] = labels.DeepClone();
                var annotations = KubeObject.EnsureObject(meta, "annotations");
                if (trigger is { } t) annotations[EndpointsController.TriggerTimeAnnotation] = EndpointPods.Rfc3339Nano(t);
                if (annotations.Count == 0) meta.Remove("annotations");
                slice["addressType"] = "IPv4";
                slice["endpoints"] = endpoints.DeepClone();
                if (ports is null) slice.Remove("ports");
                else slice["ports"] = ports.DeepClone();
                var result = current is null ? await Api.Create(ResourceCatalog.EndpointSlices, slice) : await Api.Update(ResourceCatalog.EndpointSlices, slice);
                if (!result.Ok) throw new ApiException(result.Error!);
                var written = result.Object;
                _tracker.Wrote(service.Metadata.Uid, KubeObject.Name(written), KubeObject.ResourceVersion(written));
            }
        }
        catch (ApiException e) when (e.Status.Code == 409)
        {
            return SyncResult.Retry;
        }
        catch (ApiException e) when (e.Status.Code == 403 && e.Status.Message.Contains("being terminated"))
        {
            return SyncResult.Done;
        }
        catch (ApiException e)
        {
            await Recorder.Event(service, EventRecorder.Warning, "FailedToUpdateEndpointSlices",
                $"Error updating Endpoint Slices for Service {key}: {e.Status.Message}");
            throw;
        }
        return SyncResult.Done;
    }

    private async Task Delete(V1EndpointSlice slice)
    {
        var result = await Api.Delete(ResourceCatalog.EndpointSlices, slice.Metadata.NamespaceProperty, slice.Metadata.Name);
        if (!result.Ok && result.Error!.Code != 404) throw new ApiException(result.Error);
        if (slice.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)?.Uid is { } owner) _tracker.Removed(owner, slice.Metadata.Name);
    }

    private static JsonObject Json(V1EndpointSlice slice) => KubeModels.ToJsonObject(slice);

    private static bool Same(V1EndpointSlice current, JsonArray? ports, JsonArray endpoints, JsonObject labels)
    {
        var json = Json(current);
        return JsonNode.DeepEquals(json["endpoints"] ?? new JsonArray(), endpoints)
               && JsonNode.DeepEquals(json["ports"] is JsonArray { Count: > 0 } p ? p : null, ports is { Count: > 0 } ? ports : null)
               && JsonNode.DeepEquals(KubeObject.At(json, "metadata.labels") ?? new JsonObject(), labels);
    }

    private static JsonObject NewSlice(V1Service service) => new()
    {
        ["apiVersion"] = "discovery.k8s.io/v1",
        ["kind"] = "EndpointSlice",
        ["metadata"] = new JsonObject
        {
            ["generateName"] = service.Metadata.Name + "-",
            ["namespace"] = service.Metadata.NamespaceProperty,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["name"] = service.Metadata.Name,
                ["uid"] = service.Metadata.Uid,
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        },
    };

    /// <summary>The Service's labels with the slice's own: its Service, its manager, headless.</summary>
    private static JsonObject Labels(V1Service service)
    {
        var labels = new JsonObject();
        foreach (var (k, v) in service.Metadata?.Labels ?? new Dictionary<string, string>())
            if (k is not (ServiceNameLabel or ManagedByLabel)) labels[k] = v;
        if (service.Spec?.ClusterIP == "None") labels[EndpointsController.HeadlessLabel] = "";
        labels[ManagedByLabel] = ControllerName;
        labels[ServiceNameLabel] = service.Metadata!.Name;
        return labels;
    }
}

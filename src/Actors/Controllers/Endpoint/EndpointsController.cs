using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Endpoint;

/// <summary>
/// pkg/controller/endpoint (--concurrent-endpoint-syncs=5): the Endpoints object of every Service with
/// a selector, from the pods it selects: ready pods as addresses, the others as notReadyAddresses
/// (all as addresses with publishNotReadyAddresses), named target ports resolved per pod, grouped in
/// subsets of pods with the same ports. Services without a selector keep the Endpoints their owner
/// writes; a deleted Service's Endpoints go with it.
/// </summary>
public sealed class EndpointsController : ServicePodsController
{
    public const string TriggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time";
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    private readonly Indexer<V1Endpoints> _endpoints;

    public EndpointsController(ControllerContext context, int workers = 5) : base(context, "endpoint-controller", workers)
    {
        var endpoints = Informers.For<V1Endpoints>();
        _endpoints = endpoints.Indexer;
        // Someone else's write to managed Endpoints is put right.
        Handle(endpoints, updated: (_, e) => EndpointsChanged(e), deleted: EndpointsChanged);
    }

    public static Props Props(ControllerContext context, int workers = 5) =>
        Akka.Actor.Props.Create(() => new EndpointsController(context, workers));

    private void EndpointsChanged(V1Endpoints endpoints)
    {
        var key = KubeModels.Key(endpoints);
        if (Services.Get(key)?.Spec?.Selector is { Count: > 0 }) Enqueue(key);
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var (ns, name) = KubeModels.SplitKey(key);
        var service = Services.Get(key);
        var current = _endpoints.Get(key);
        if (service is null)
        {
            if (current is null) return SyncResult.Done;
            var deleted = await Api.Delete(ResourceCatalog.Endpoints, ns, name);
            if (!deleted.Ok && deleted.Error!.Code != 404) throw new ApiException(deleted.Error);
            return SyncResult.Done;
        }
        if (service.Spec?.Selector is not { Count: > 0 }) return SyncResult.Done;

        var pods = PodsOf(key);
        var subsets = EndpointSubsets.Build(service, pods);
        var labels = Labels(service);
        var currentSubsets = current is null ? null : KubeModels.ToJsonObject(current)["subsets"];
        if (current is not null && JsonNode.DeepEquals(currentSubsets ?? new JsonArray(), subsets)
            && JsonNode.DeepEquals(LabelsOf(current), labels))
            return SyncResult.Done;

        var endpoints = current is null
            ? new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns } }
            : KubeModels.ToJsonObject(current);
        var meta = KubeObject.Metadata(endpoints);
        meta["labels"] = labels.Count == 0 ? null : labels;
        if (labels.Count == 0) meta.Remove("labels");
        var annotations = KubeObject.EnsureObject(meta, "annotations");
        if (EndpointPods.TriggerTime(service, pods) is { } trigger) annotations[TriggerTimeAnnotation] = EndpointPods.Rfc3339Nano(trigger);
        else annotations.Remove(TriggerTimeAnnotation);
        if (annotations.Count == 0) meta.Remove("annotations");
        if (subsets.Count == 0) endpoints.Remove("subsets");
        else endpoints["subsets"] = subsets;

        var result = current is null ? await Api.Create(ResourceCatalog.Endpoints, endpoints) : await Api.Update(ResourceCatalog.Endpoints, endpoints);
        if (result.Ok) return SyncResult.Done;
        var error = result.Error!;
        // A stale cache (409) or an Endpoints someone created meanwhile: read again and retry.
        if (error.Code == 409) return SyncResult.Retry;
        // The namespace is going away: nothing will be created in it again.
        if (error.Code == 403 && ns.Length > 0 && error.Message.Contains("being terminated")) return SyncResult.Done;
        var reason = current is null ? "FailedToCreateEndpoint" : "FailedToUpdateEndpoint";
        var verb = current is null ? "create" : "update";
        await Recorder.Record(endpoints.DeepClone().AsObject().WithKind("Endpoints"), EventRecorder.Warning, reason,
            $"Failed to {verb} endpoint for service {ns}/{name}: {error.Message}");
        throw new ApiException(error);
    }

    /// <summary>The Service's labels, and the headless marker kube-proxy skips such Endpoints by.</summary>
    private static JsonObject Labels(V1Service service)
    {
        var labels = new JsonObject();
        foreach (var (k, v) in service.Metadata?.Labels ?? new Dictionary<string, string>()) labels[k] = v;
        if (service.Spec?.ClusterIP == "None") labels[HeadlessLabel] = "";
        return labels;
    }

    private static JsonObject LabelsOf(V1Endpoints endpoints)
    {
        var labels = new JsonObject();
        foreach (var (k, v) in endpoints.Metadata?.Labels ?? new Dictionary<string, string>()) labels[k] = v;
        return labels;
    }
}

internal static class JsonKinds
{
    public static JsonObject WithKind(this JsonObject obj, string kind, string apiVersion = "v1")
    {
        obj["kind"] = kind;
        obj["apiVersion"] = apiVersion;
        return obj;
    }
}

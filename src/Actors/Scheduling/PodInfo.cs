using Akka.KubeEmu.Actors.Resources;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>A pod as the scheduler sees it: typed spec plus its computed requests.</summary>
public sealed class PodInfo
{
    private PodInfo(JsonObject json, V1Pod pod)
    {
        Json = json;
        Pod = pod;
        Requests = PodRequests.Of(pod.Spec);
    }

    public JsonObject Json { get; }
    public V1Pod Pod { get; }
    public ResourceRequests Requests { get; }
    public string Namespace => Pod.Metadata.NamespaceProperty ?? "";
    public string Name => Pod.Metadata.Name ?? "";
    public string Key => Namespace + "/" + Name;
    public string? NodeName => Pod.Spec?.NodeName is { Length: > 0 } n ? n : null;

    public static PodInfo From(JsonObject json) =>
        new(json, KubernetesJson.Deserialize<V1Pod>(json.ToJsonString()));

    /// <summary>Pending, unassigned, ours, and not being deleted or finished.</summary>
    public bool NeedsScheduling =>
        NodeName is null
        && (Pod.Spec?.SchedulerName ?? "default-scheduler") == "default-scheduler"
        && Pod.Metadata.DeletionTimestamp is null
        && Pod.Status?.Phase is not ("Succeeded" or "Failed")
        && Pod.Spec?.SchedulingGates is not { Count: > 0 };

    /// <summary>Bound pods that still hold their node's resources.</summary>
    public bool HoldsResources => NodeName is not null && Pod.Status?.Phase is not ("Succeeded" or "Failed");

    public static string KeyOf(JsonObject o) => KubeObject.Namespace(o) + "/" + KubeObject.Name(o);
}

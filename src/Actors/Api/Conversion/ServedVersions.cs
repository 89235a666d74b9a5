using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// The resources served in a version other than the one they are stored in, and how an object
/// crosses between the two: events.k8s.io/v1 events live in core events' storage, autoscaling/v1
/// HPAs in autoscaling/v2's (kube-apiserver converts every version through its internal one).
/// </summary>
public static class ServedVersions
{
    /// <summary>
    /// Whether a request body is converted to the stored version before defaulting, admission and
    /// validation, which then run on that version (as kube-apiserver runs them on the internal
    /// version). events.k8s.io events are converted only at the storage boundary.
    /// </summary>
    public static bool ConvertsBeforeAdmission(ResourceType type) => type == ResourceCatalog.HorizontalPodAutoscalersV1;

    public static bool IsConverted(ResourceType type) => ResourceCatalog.StorageOf(type) != type;

    public static JsonObject ToStorage(ResourceType type, JsonObject obj) =>
        type == ResourceCatalog.EventsV1 ? EventsV1Conversion.ToCore(obj)
        : type == ResourceCatalog.HorizontalPodAutoscalersV1 ? HorizontalPodAutoscalerV1Conversion.ToV2(obj)
        : obj;

    public static JsonObject FromStorage(ResourceType type, JsonObject obj) =>
        type == ResourceCatalog.EventsV1 ? EventsV1Conversion.FromCore(obj)
        : type == ResourceCatalog.HorizontalPodAutoscalersV1 ? HorizontalPodAutoscalerV1Conversion.FromV2(obj)
        : obj;
}

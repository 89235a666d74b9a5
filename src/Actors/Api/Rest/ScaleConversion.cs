using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Selectors;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// scaleFromDeployment, scaleFromReplicaSet, scaleFromStatefulSet and scaleFromRC: the parent's
/// identity (name, namespace, uid, resourceVersion, creationTimestamp), its desired replicas,
/// its observed replicas and its selector in string form ("app=nginx").
/// </summary>
public static class ScaleConversion
{
    public static JsonObject FromParent(ResourceType type, JsonObject parent)
    {
        var meta = new JsonObject();
        foreach (var field in (string[])["name", "namespace", "uid", "resourceVersion", "creationTimestamp"])
            if (KubeObject.At(parent, $"metadata.{field}") is { } value) meta[field] = value.DeepClone();

        // autoscaling/v1 writes spec.replicas and status.selector with omitempty, status.replicas always.
        var spec = new JsonObject();
        if (KubeObject.Long(KubeObject.At(parent, "spec.replicas")) is { } desired and not 0) spec["replicas"] = desired;
        var status = new JsonObject { ["replicas"] = KubeObject.Long(KubeObject.At(parent, "status.replicas")) ?? 0 };
        if (Selector(type, KubeObject.At(parent, "spec.selector")) is { Length: > 0 } selector) status["selector"] = selector;

        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = meta,
            ["spec"] = spec,
            ["status"] = status,
        };
    }

    /// <summary>
    /// A ReplicationController's selector is a label set (labels.SelectorFromSet), the others' a
    /// metav1.LabelSelector (LabelSelectorAsSelector, where a missing one selects nothing and prints as "").
    /// </summary>
    private static string Selector(ResourceType type, JsonNode? selector)
    {
        if (type == ResourceCatalog.ReplicationControllers)
            return LabelSelectors.FromSet(KubeObject.StringMap(selector)).ToString();
        if (selector is not JsonObject)
            return "";
        try
        {
            return LabelSelectors.FromModel(KubernetesJson.Deserialize<V1LabelSelector>(selector.ToJsonString()))?.ToString() ?? "";
        }
        catch (FormatException)
        {
            return "";
        }
    }
}

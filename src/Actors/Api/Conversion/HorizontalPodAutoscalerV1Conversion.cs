using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// autoscaling/v1 HorizontalPodAutoscaler &lt;-&gt; autoscaling/v2 (the stored version), as
/// pkg/apis/autoscaling/v1/conversion.go converts: v1 knows one metric, the CPU utilization target
/// (targetCPUUtilizationPercentage); what v2 says beyond it (other metrics, behavior, current
/// metrics, conditions) travels in v1 as JSON annotations, so that a v1 read-modify-write keeps it.
/// </summary>
public static class HorizontalPodAutoscalerV1Conversion
{
    public const string MetricSpecsAnnotation = "autoscaling.alpha.kubernetes.io/metrics";
    public const string MetricStatusesAnnotation = "autoscaling.alpha.kubernetes.io/current-metrics";
    public const string ConditionsAnnotation = "autoscaling.alpha.kubernetes.io/conditions";
    public const string BehaviorSpecsAnnotation = "autoscaling.alpha.kubernetes.io/behavior";

    private static readonly string[] RoundTripAnnotations =
        [MetricSpecsAnnotation, MetricStatusesAnnotation, ConditionsAnnotation, BehaviorSpecsAnnotation];

    public static JsonObject ToV2(JsonObject v1)
    {
        var v2 = Shell(v1, "autoscaling/v2");
        var annotations = KubeObject.At(v1, "metadata.annotations") as JsonObject;
        var spec = v1["spec"] as JsonObject ?? new JsonObject();
        var outSpec = new JsonObject();
        Copy(spec, outSpec, "scaleTargetRef", "minReplicas", "maxReplicas");
        // Other metrics first, the CPU target last: the order the v1 conversion rebuilds.
        var metrics = Annotation(annotations, MetricSpecsAnnotation) as JsonArray ?? new JsonArray();
        if (KubeObject.Long(spec["targetCPUUtilizationPercentage"]) is { } cpu)
            metrics.Add(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject { ["name"] = "cpu", ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = cpu } },
            });
        if (metrics.Count > 0) outSpec["metrics"] = metrics;
        if (Annotation(annotations, BehaviorSpecsAnnotation) is JsonObject behavior) outSpec["behavior"] = behavior;
        v2["spec"] = outSpec;

        if (v1["status"] is JsonObject status)
        {
            var outStatus = new JsonObject();
            Copy(status, outStatus, "observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas");
            if (Annotation(annotations, MetricStatusesAnnotation) is JsonArray current) outStatus["currentMetrics"] = current;
            else if (KubeObject.Long(status["currentCPUUtilizationPercentage"]) is { } currentCpu)
                outStatus["currentMetrics"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Resource",
                    ["resource"] = new JsonObject { ["name"] = "cpu", ["current"] = new JsonObject { ["averageUtilization"] = currentCpu } },
                });
            if (Annotation(annotations, ConditionsAnnotation) is JsonArray conditions) outStatus["conditions"] = conditions;
            v2["status"] = outStatus;
        }
        DropRoundTripAnnotations(v2);
        return v2;
    }

    public static JsonObject FromV2(JsonObject v2)
    {
        var v1 = Shell(v2, "autoscaling/v1");
        DropRoundTripAnnotations(v1);
        var spec = v2["spec"] as JsonObject ?? new JsonObject();
        var outSpec = new JsonObject();
        Copy(spec, outSpec, "scaleTargetRef", "minReplicas", "maxReplicas");
        var others = new JsonArray();
        foreach (var metric in (spec["metrics"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (IsCpu(metric) && KubeObject.At(metric, "resource.target.averageUtilization") is { } target)
            {
                outSpec["targetCPUUtilizationPercentage"] ??= target.DeepClone();
                continue;
            }
            others.Add(metric.DeepClone());
        }
        if (others.Count > 0) SetAnnotation(v1, MetricSpecsAnnotation, others);
        if (spec["behavior"] is JsonObject behavior) SetAnnotation(v1, BehaviorSpecsAnnotation, behavior);
        v1["spec"] = outSpec;

        var status = v2["status"] as JsonObject ?? new JsonObject();
        // v1's replica counters have no omitempty: they show as 0.
        var outStatus = new JsonObject();
        Copy(status, outStatus, "observedGeneration", "lastScaleTime");
        outStatus["currentReplicas"] = status["currentReplicas"]?.DeepClone() ?? 0;
        outStatus["desiredReplicas"] = status["desiredReplicas"]?.DeepClone() ?? 0;
        if (status["currentMetrics"] is JsonArray { Count: > 0 } current)
        {
            foreach (var metric in current.OfType<JsonObject>())
                if (IsCpu(metric) && KubeObject.At(metric, "resource.current.averageUtilization") is { } utilization)
                    outStatus["currentCPUUtilizationPercentage"] = utilization.DeepClone();
            SetAnnotation(v1, MetricStatusesAnnotation, current);
        }
        if (status["conditions"] is JsonArray { Count: > 0 } conditions) SetAnnotation(v1, ConditionsAnnotation, conditions);
        v1["status"] = outStatus;
        return v1;
    }

    private static bool IsCpu(JsonObject metric) =>
        KubeObject.String(metric, "type") == "Resource" && KubeObject.ScalarAt(metric, "resource.name") == "cpu";

    /// <summary>The object with its type and metadata only, the fields both versions share.</summary>
    private static JsonObject Shell(JsonObject source, string apiVersion)
    {
        var target = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = source["kind"]?.DeepClone() ?? "HorizontalPodAutoscaler" };
        if (source["metadata"] is { } metadata) target["metadata"] = metadata.DeepClone();
        return target;
    }

    private static void Copy(JsonObject from, JsonObject to, params string[] fields)
    {
        foreach (var field in fields)
            if (from[field] is { } value) to[field] = value.DeepClone();
    }

    // A malformed annotation is dropped rather than failing the read: the v2 object stays readable.
    private static JsonNode? Annotation(JsonObject? annotations, string key)
    {
        if (KubeObject.String(annotations, key) is not { Length: > 0 } text) return null;
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    private static void SetAnnotation(JsonObject obj, string key, JsonNode value) =>
        KubeObject.EnsureObject(KubeObject.Metadata(obj), "annotations")[key] = value.ToJsonString(JsonDefaults.Compact);

    private static void DropRoundTripAnnotations(JsonObject obj)
    {
        if (KubeObject.At(obj, "metadata.annotations") is not JsonObject annotations) return;
        foreach (var key in RoundTripAnnotations) annotations.Remove(key);
        if (annotations.Count == 0) KubeObject.Metadata(obj).Remove("annotations");
    }
}

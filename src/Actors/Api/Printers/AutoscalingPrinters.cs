using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>
/// pkg/printers/internalversion's printHorizontalPodAutoscaler: `kubectl get hpa` (both served
/// versions print the autoscaling/v2 shape, the internal one).
/// </summary>
public static class AutoscalingPrinters
{
    public static readonly Printer HorizontalPodAutoscaler = new(
        [Column.NameColumn,
         new("Reference", "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count."),
         new("Targets", "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond."),
         new("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available."),
         new("MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas."),
         new("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
         Column.Age],
        (o, now) =>
        [
            KubeObject.Name(o),
            $"{KubeObject.ScalarAt(o, "spec.scaleTargetRef.kind")}/{KubeObject.ScalarAt(o, "spec.scaleTargetRef.name")}",
            Metrics(KubeObject.At(o, "spec.metrics") as JsonArray, KubeObject.At(o, "status.currentMetrics") as JsonArray),
            KubeObject.Long(KubeObject.At(o, "spec.minReplicas")) is { } min ? min.ToString(CultureInfo.InvariantCulture) : "<unset>",
            KubeObject.Long(KubeObject.At(o, "spec.maxReplicas")) ?? 0,
            KubeObject.Long(KubeObject.At(o, "status.currentReplicas")) ?? 0,
            CorePrinters.Age(o, now),
        ]);

    /// <summary>formatHPAMetrics: "cpu: 42%/80%" per metric, the first two, then "+ N more...".</summary>
    public static string Metrics(JsonArray? specs, JsonArray? statuses)
    {
        if (specs is not { Count: > 0 }) return "<none>";
        const int max = 2;
        var list = new List<string>();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i] as JsonObject ?? new JsonObject();
            var status = statuses is not null && statuses.Count > i ? statuses[i] as JsonObject : null;
            list.Add(KubeObject.String(spec, "type") switch
            {
                "External" => ValueTarget(spec, status, "external"),
                "Pods" => $"{Quantity(KubeObject.At(status, "pods.current.averageValue")) ?? Unknown(status, "pods")}/{Quantity(KubeObject.At(spec, "pods.target.averageValue")) ?? "0"}",
                "Object" => ValueTarget(spec, status, "object"),
                "Resource" => ResourceTarget(spec, status, "resource"),
                "ContainerResource" => ResourceTarget(spec, status, "containerResource"),
                _ => "<unknown type>",
            });
        }
        var text = string.Join(", ", list.Take(max));
        return list.Count > max ? $"{text} + {list.Count - max} more..." : text;
    }

    // External and Object metrics: an average value target "(avg)", else a value target.
    private static string ValueTarget(JsonObject spec, JsonObject? status, string source)
    {
        if (KubeObject.At(spec, $"{source}.target.averageValue") is { } average)
            return $"{Quantity(KubeObject.At(status, $"{source}.current.averageValue")) ?? "<unknown>"}/{Quantity(average)} (avg)";
        var current = status?[source] is not null ? Quantity(KubeObject.At(status, $"{source}.current.value")) ?? "0" : "<unknown>";
        return $"{current}/{Quantity(KubeObject.At(spec, $"{source}.target.value")) ?? "0"}";
    }

    // Resource and ContainerResource metrics: "name: current/target", the target an average value or a utilization.
    private static string ResourceTarget(JsonObject spec, JsonObject? status, string source)
    {
        var name = KubeObject.ScalarAt(spec, $"{source}.name") ?? "";
        if (KubeObject.At(spec, $"{source}.target.averageValue") is { } average)
        {
            var current = status?[source] is not null ? Quantity(KubeObject.At(status, $"{source}.current.averageValue")) ?? "0" : "<unknown>";
            return $"{name}: {current}/{Quantity(average)}";
        }
        var currentUtilization = KubeObject.Long(KubeObject.At(status, $"{source}.current.averageUtilization")) is { } u ? $"{u}%" : "<unknown>";
        var target = KubeObject.Long(KubeObject.At(spec, $"{source}.target.averageUtilization")) is { } t ? $"{t}%" : "<auto>";
        return $"{name}: {currentUtilization}/{target}";
    }

    private static string Unknown(JsonObject? status, string source) => status?[source] is not null ? "0" : "<unknown>";

    /// <summary>Quantity.String(): the canonical form.</summary>
    private static string? Quantity(JsonNode? node) =>
        KubeObject.ScalarText(node) is null ? null : CorePrinters.Quantity(node);
}

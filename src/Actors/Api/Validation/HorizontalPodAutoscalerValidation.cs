using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateHorizontalPodAutoscaler (pkg/apis/autoscaling/validation) on the autoscaling/v2 shape,
/// which autoscaling/v1 requests are converted to first, so both versions report the same paths:
/// replica bounds, the scale target reference, then the metrics.
/// </summary>
public static class HorizontalPodAutoscalerValidation
{
    private static readonly string[] MetricSourceTypes = ["ContainerResource", "External", "Object", "Pods", "Resource"];

    public static void Validate(JsonObject hpa, List<FieldError> errors)
    {
        var spec = hpa["spec"] as JsonObject ?? new JsonObject();
        var min = KubeObject.Long(spec["minReplicas"]);
        var max = KubeObject.Long(spec["maxReplicas"]) ?? 0;
        if (min is < 1)
            errors.Add(FieldError.InvalidRaw("spec.minReplicas", Text(min.Value), "must be greater than or equal to 1"));
        if (max < 1) errors.Add(FieldError.InvalidRaw("spec.maxReplicas", Text(max), "must be greater than 0"));
        if (min is { } m && max < m) errors.Add(FieldError.InvalidRaw("spec.maxReplicas", Text(max), "must be greater than or equal to `minReplicas`"));
        // Each stage reports only when the one before it found nothing, as validateHorizontalPodAutoscalerSpec does.
        var before = errors.Count;
        ScaleTargetRef(spec["scaleTargetRef"] as JsonObject ?? new JsonObject(), errors);
        if (errors.Count != before) return;
        var metrics = spec["metrics"] as JsonArray;
        for (var i = 0; i < (metrics?.Count ?? 0); i++) Metric(metrics![i] as JsonObject ?? new JsonObject(), $"spec.metrics[{i}]", errors);
    }

    private static void ScaleTargetRef(JsonObject reference, List<FieldError> errors)
    {
        foreach (var field in new[] { "kind", "name" })
        {
            var value = KubeObject.String(reference, field) ?? "";
            if (value.Length == 0) errors.Add(FieldError.RequiredValue($"spec.scaleTargetRef.{field}"));
            else foreach (var message in PathSegmentErrors(value)) errors.Add(FieldError.Invalid($"spec.scaleTargetRef.{field}", value, message));
        }
    }

    private static void Metric(JsonObject metric, string path, List<FieldError> errors)
    {
        var type = KubeObject.String(metric, "type") ?? "";
        if (type.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.type", "must specify a metric source type"));
        if (!MetricSourceTypes.Contains(type)) errors.Add(FieldError.Unsupported($"{path}.type", type, MetricSourceTypes));
        var present = new[] { "containerResource", "external", "object", "pods", "resource" }.Where(f => metric[f] is JsonObject).ToList();
        if (present.Count == 1 && present[0] is "resource" or "containerResource") ResourceSource(metric[present[0]]!.AsObject(), $"{path}.{present[0]}", present[0] == "containerResource", errors);
        if (present.Count == 1 && present[0] is "pods" or "object" or "external") Target(KubeObject.At(metric, $"{present[0]}.target") as JsonObject ?? new JsonObject(), $"{path}.{present[0]}.target", errors);
        if (type.Length == 0 || !MetricSourceTypes.Contains(type)) return;
        var expected = char.ToLowerInvariant(type[0]) + type[1..];
        if (!present.Contains(expected)) errors.Add(FieldError.RequiredValue($"{path}.{expected}", "must populate information for the given metric source"));
        if (present.Count != 1)
            foreach (var other in present.Where(p => p != expected).Order(StringComparer.Ordinal))
                errors.Add(FieldError.ForbiddenField($"{path}.{other}", "must populate the given metric source only"));
    }

    private static void ResourceSource(JsonObject source, string path, bool container, List<FieldError> errors)
    {
        if (KubeObject.String(source, "name") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue($"{path}.name", "must specify a resource name"));
        if (container && KubeObject.String(source, "container") is not { Length: > 0 }) errors.Add(FieldError.RequiredValue($"{path}.container", "must specify a container"));
        var target = source["target"] as JsonObject ?? new JsonObject();
        Target(target, $"{path}.target", errors);
        if (target["averageUtilization"] is null && target["averageValue"] is null)
            errors.Add(FieldError.RequiredValue($"{path}.target.averageUtilization", "must set either a target raw value or a target utilization"));
        if (target["averageUtilization"] is not null && target["averageValue"] is not null)
            errors.Add(FieldError.ForbiddenField($"{path}.target.averageValue", "may not set both a target raw value and a target utilization"));
    }

    /// <summary>validateMetricTarget: a known type, positive values, a utilization above 0.</summary>
    private static void Target(JsonObject target, string path, List<FieldError> errors)
    {
        var type = KubeObject.String(target, "type") ?? "";
        if (type.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.type", "must specify a metric target type"));
        if (type is not ("Utilization" or "Value" or "AverageValue"))
            errors.Add(FieldError.Invalid($"{path}.type", type, "must be either Utilization, Value, or AverageValue"));
        foreach (var field in new[] { "value", "averageValue" })
            if (KubeObject.ScalarText(target[field]) is { } text && StorageQuantity.Parse(target[field]) is not > 0)
                errors.Add(FieldError.Invalid($"{path}.{field}", text, "must be positive"));
        if (KubeObject.Long(target["averageUtilization"]) is { } utilization && utilization < 1)
            errors.Add(FieldError.InvalidRaw($"{path}.averageUtilization", Text(utilization), "must be greater than 0"));
    }

    /// <summary>IsValidPathSegmentName: not "." or "..", no "/" or "%".</summary>
    private static IEnumerable<string> PathSegmentErrors(string name)
    {
        if (name is "." or "..") yield return $"may not be '{name}'";
        foreach (var illegal in new[] { "/", "%" })
            if (name.Contains(illegal, StringComparison.Ordinal)) yield return $"may not contain '{illegal}'";
    }

    private static string Text(long n) => n.ToString(CultureInfo.InvariantCulture);
}

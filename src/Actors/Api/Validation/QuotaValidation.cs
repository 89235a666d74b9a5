using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateResourceQuota and ValidateLimitRange (pkg/apis/core/validation): quota resources are
/// standard quota names (or count/..., or domain-qualified), every quantity is a non-negative
/// number (a whole one for object counts); a limit range item has a known type, and its min,
/// defaultRequest, default and max are in that order.
/// </summary>
public static class QuotaValidation
{
    private static readonly HashSet<string> StandardQuotaResources = new(StringComparer.Ordinal)
    {
        "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps", "persistentvolumeclaims",
        "services.nodeports", "services.loadbalancers", "cpu", "memory", "ephemeral-storage",
        "requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage",
        "limits.cpu", "limits.memory", "limits.ephemeral-storage",
    };

    private static readonly string[] LimitTypes = ["Container", "PersistentVolumeClaim", "Pod"];
    private static readonly string[] QuotaScopes =
        ["BestEffort", "CrossNamespacePodAffinity", "NotBestEffort", "NotTerminating", "PriorityClass", "Terminating"];

    public static void ValidateResourceQuota(JsonObject quota, List<FieldError> errors)
    {
        foreach (var (name, value) in KubeObject.At(quota, "spec.hard") as JsonObject ?? [])
        {
            var path = $"spec.hard[{name}]";
            if (!name.Contains('/') && !StandardQuotaResources.Contains(name) && !IsHugePages(name))
                errors.Add(FieldError.Invalid(path, name, "must be a standard resource for quota"));
            Quantity(name, value, path, errors);
        }
        var scopes = KubeObject.At(quota, "spec.scopes") as JsonArray;
        for (var i = 0; i < (scopes?.Count ?? 0); i++)
            if (KubeObject.ScalarText(scopes![i]) is var scope && !QuotaScopes.Contains(scope))
                errors.Add(FieldError.Unsupported($"spec.scopes[{i}]", scope, QuotaScopes));
    }

    /// <summary>ValidateResourceQuotaStatusUpdate: hard and used quantities follow the spec's rules.</summary>
    public static void ValidateResourceQuotaStatus(JsonObject quota, List<FieldError> errors)
    {
        foreach (var field in new[] { "hard", "used" })
            foreach (var (name, value) in KubeObject.At(quota, $"status.{field}") as JsonObject ?? [])
                Quantity(name, value, $"status.{field}[{name}]", errors);
    }

    public static void ValidateLimitRange(JsonObject limitRange, List<FieldError> errors)
    {
        var limits = KubeObject.At(limitRange, "spec.limits") as JsonArray;
        var types = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (limits?.Count ?? 0); i++)
        {
            var path = $"spec.limits[{i}]";
            var item = limits![i] as JsonObject ?? new JsonObject();
            var type = KubeObject.String(item, "type") ?? "";
            if (!types.Add(type)) errors.Add(FieldError.DuplicateValue($"{path}.type", type));
            if (!LimitTypes.Contains(type)) errors.Add(FieldError.Unsupported($"{path}.type", type, LimitTypes));
            var values = new Dictionary<string, Dictionary<string, decimal>>();
            foreach (var field in new[] { "max", "min", "default", "defaultRequest", "maxLimitRequestRatio" })
            {
                values[field] = [];
                foreach (var (name, value) in item[field] as JsonObject ?? [])
                    if (Quantity(name, value, $"{path}.{field}[{name}]", errors) is { } q) values[field][name] = q;
            }
            if (type == "Pod")
            {
                if (values["default"].Count > 0) errors.Add(FieldError.ForbiddenField($"{path}.default", "may not be specified when `type` is 'Pod'"));
                if (values["defaultRequest"].Count > 0) errors.Add(FieldError.ForbiddenField($"{path}.defaultRequest", "may not be specified when `type` is 'Pod'"));
            }
            foreach (var name in values.Values.SelectMany(v => v.Keys).Distinct().Order(StringComparer.Ordinal))
                Ordered(item, path, name, values, errors);
        }
    }

    // The checks of ValidateLimitRange between one resource's min, defaultRequest, default and max.
    // kube-apiserver prints the offending resource.Quantity with %#v (its internal fields); here it is its canonical text.
    private static void Ordered(JsonObject item, string path, string name, Dictionary<string, Dictionary<string, decimal>> values, List<FieldError> errors)
    {
        decimal? Get(string field) => values[field].TryGetValue(name, out var q) ? q : null;
        string Text(string field) => CanonicalText(item[field]?[name]);
        var (min, max, def, request) = (Get("min"), Get("max"), Get("default"), Get("defaultRequest"));
        if (min > max) errors.Add(FieldError.InvalidRaw($"{path}.min[{name}]", Text("min"), $"min value {Text("min")} is greater than max value {Text("max")}"));
        if (request is not null && min > request)
            errors.Add(FieldError.InvalidRaw($"{path}.defaultRequest[{name}]", Text("defaultRequest"), $"min value {Text("min")} is greater than default request value {Text("defaultRequest")}"));
        if (request > max)
            errors.Add(FieldError.InvalidRaw($"{path}.defaultRequest[{name}]", Text("defaultRequest"), $"default request value {Text("defaultRequest")} is greater than max value {Text("max")}"));
        if (request > def)
            errors.Add(FieldError.InvalidRaw($"{path}.defaultRequest[{name}]", Text("defaultRequest"), $"default request value {Text("defaultRequest")} is greater than default limit value {Text("default")}"));
        if (def is not null && min > def)
            errors.Add(FieldError.InvalidRaw($"{path}.default[{name}]", Text("min"), $"min value {Text("min")} is greater than default value {Text("default")}"));
        if (def > max)
            errors.Add(FieldError.InvalidRaw($"{path}.default[{name}]", Text("max"), $"default value {Text("default")} is greater than max value {Text("max")}"));
    }

    /// <summary>ValidateResourceQuantityValue: non-negative, and whole for the object-count resources.</summary>
    private static decimal? Quantity(string name, JsonNode? value, string path, List<FieldError> errors)
    {
        var text = KubeObject.ScalarText(value) ?? "";
        if (StorageQuantity.Parse(text) is not { } q)
        {
            errors.Add(FieldError.Invalid(path, text, StorageQuantity.FormatMessage));
            return null;
        }
        // ValidateNonnegativeQuantity reports value.String(), a quoted string (the text as written, for the usual canonical input).
        if (q < 0) errors.Add(FieldError.Invalid(path, text, "must be greater than or equal to 0"));
        else if (IsIntegerResource(name) && q != decimal.Truncate(q)) errors.Add(FieldError.Invalid(path, text, "must be an integer"));
        return q;
    }

    private static bool IsIntegerResource(string name) =>
        name.StartsWith("count/", StringComparison.Ordinal) || name is "pods" or "services" or "replicationcontrollers" or "resourcequotas"
            or "secrets" or "configmaps" or "persistentvolumeclaims" or "services.nodeports" or "services.loadbalancers";

    private static bool IsHugePages(string name) =>
        name.StartsWith("hugepages-", StringComparison.Ordinal) || name.StartsWith("requests.hugepages-", StringComparison.Ordinal);

    private static string CanonicalText(JsonNode? value) => Printers.CorePrinters.Quantity(value);
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>ValidateDeploymentSpec, ValidateDeploymentStrategy and ValidateRollingUpdateDeployment (pkg/apis/apps/validation).</summary>
public static partial class DeploymentValidation
{
    private const string PercentMessage =
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

    public static void Spec(JsonObject spec, List<FieldError> errors)
    {
        WorkloadValidation.NonNegative(spec, "replicas", errors);
        if (ReplicaSetValidation.Selector(spec, errors) is var (ok, selector) && ok)
            ReplicaSetValidation.PodTemplateSpec(spec["template"], selector, "spec.template", errors);
        Strategy(spec["strategy"] as JsonObject ?? new JsonObject(), errors);
        WorkloadValidation.NonNegative(spec, "minReadySeconds", errors);
        WorkloadValidation.NonNegative(spec, "revisionHistoryLimit", errors);
        if (KubeObject.Long(spec["progressDeadlineSeconds"]) is { } deadline)
        {
            WorkloadValidation.NonNegative(spec, "progressDeadlineSeconds", errors);
            if (deadline <= (KubeObject.Long(spec["minReadySeconds"]) ?? 0))
                errors.Add(FieldError.InvalidRaw("spec.progressDeadlineSeconds", Number(deadline), "must be greater than minReadySeconds"));
        }
    }

    private static void Strategy(JsonObject strategy, List<FieldError> errors)
    {
        var rollingUpdate = strategy["rollingUpdate"] as JsonObject;
        switch (KubeObject.String(strategy, "type") ?? "")
        {
            case "Recreate":
                if (rollingUpdate is not null)
                    errors.Add(FieldError.ForbiddenField("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
                break;
            case "RollingUpdate":
                if (rollingUpdate is null) errors.Add(FieldError.RequiredValue("spec.strategy.rollingUpdate", "this should be defaulted and never be nil"));
                else RollingUpdate(rollingUpdate, errors);
                break;
            default:
                errors.Add(new FieldError(FieldError.NotSupported, "spec.strategy", GoStrategy(strategy),
                    "supported values: \"Recreate\", \"RollingUpdate\"", QuoteValue: false));
                break;
        }
    }

    private static void RollingUpdate(JsonObject rollingUpdate, List<FieldError> errors)
    {
        const string path = "spec.strategy.rollingUpdate";
        var maxUnavailable = rollingUpdate["maxUnavailable"];
        var maxSurge = rollingUpdate["maxSurge"];
        PositiveIntOrPercent(maxUnavailable, $"{path}.maxUnavailable", errors);
        PositiveIntOrPercent(maxSurge, $"{path}.maxSurge", errors);
        if (IntOrPercentValue(maxUnavailable) == 0 && IntOrPercentValue(maxSurge) == 0)
            errors.Add(FieldError.InvalidRaw($"{path}.maxUnavailable", GoSyntax.IntOrString(maxUnavailable), "may not be 0 when `maxSurge` is 0"));
        if (Percent(maxUnavailable) is > 100)
            errors.Add(FieldError.InvalidRaw($"{path}.maxUnavailable", GoSyntax.IntOrString(maxUnavailable), "must not be greater than 100%"));
    }

    /// <summary>ValidatePositiveIntOrPercent: a non-negative int, or a string matching [0-9]+%.</summary>
    internal static void PositiveIntOrPercent(JsonNode? value, string path, List<FieldError> errors)
    {
        if (value is null) return;
        if (KubeObject.Long(value) is { } n)
        {
            if (n < 0) errors.Add(FieldError.InvalidRaw(path, Number(n), "must be greater than or equal to 0"));
        }
        else if (Percent(value) is null)
        {
            errors.Add(FieldError.InvalidRaw(path, GoSyntax.IntOrString(value), PercentMessage));
        }
    }

    /// <summary>getIntOrPercentValue: the percentage, else the int (a string that is neither counts as its Atoi, 0 when not a number).</summary>
    internal static long IntOrPercentValue(JsonNode? value) =>
        Percent(value) ?? KubeObject.Long(value)
        ?? (long.TryParse(KubeObject.ScalarText(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var atoi) ? atoi : 0);

    internal static long? Percent(JsonNode? value) =>
        KubeObject.Long(value) is null && KubeObject.ScalarText(value) is { } text && PercentPattern().IsMatch(text)
            ? long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : long.MaxValue
            : null;

    /// <summary>
    /// %#v of the internal DeploymentStrategy. A set rollingUpdate is a pointer Go prints as its
    /// address, which differs on every call of the real server; any address is as good.
    /// </summary>
    private static string GoStrategy(JsonObject strategy) =>
        $"apps.DeploymentStrategy{{Type:{GoSyntax.Quote(KubeObject.String(strategy, "type") ?? "")}, RollingUpdate:(*apps.RollingUpdateDeployment)" +
        (strategy["rollingUpdate"] is JsonObject ? "(0xc000a3e4b0)}" : "(nil)}");

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9]+%$")]
    private static partial Regex PercentPattern();
}

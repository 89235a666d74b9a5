using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// What ValidateDaemonSetSpec adds to the checks every workload gets (selector, template labels,
/// restartPolicy Always): no activeDeadlineSeconds in the template, and ValidateDaemonSetUpdateStrategy.
/// </summary>
public static class DaemonSetValidation
{
    private static readonly string[] StrategyTypes = ["RollingUpdate", "OnDelete"];

    public static void Spec(JsonObject spec, List<FieldError> errors)
    {
        if (KubeObject.At(spec, "template.spec.activeDeadlineSeconds") is { } deadline && KubeObject.Long(deadline) is { } seconds)
            errors.Add(FieldError.InvalidRaw("spec.template.spec.activeDeadlineSeconds", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "activeDeadlineSeconds in DaemonSet is not Supported"));
        UpdateStrategy(spec["updateStrategy"] as JsonObject ?? new JsonObject(), errors);
    }

    private static void UpdateStrategy(JsonObject strategy, List<FieldError> errors)
    {
        const string path = "spec.updateStrategy";
        var rollingUpdate = strategy["rollingUpdate"] as JsonObject;
        switch (KubeObject.String(strategy, "type") ?? "")
        {
            case "OnDelete":
                break;
            case "RollingUpdate":
                if (rollingUpdate is null) errors.Add(FieldError.RequiredValue($"{path}.rollingUpdate"));
                else RollingUpdate(rollingUpdate, $"{path}.rollingUpdate", errors);
                break;
            default:
                errors.Add(new FieldError(FieldError.NotSupported, path, GoStrategy(strategy),
                    "supported values: " + string.Join(", ", StrategyTypes.Select(t => $"\"{t}\"")), QuoteValue: false));
                break;
        }
    }

    /// <summary>ValidateRollingUpdateDaemonSet: both int-or-percent, at most 100%, and exactly one of them non-zero.</summary>
    private static void RollingUpdate(JsonObject rollingUpdate, string path, List<FieldError> errors)
    {
        var maxUnavailable = rollingUpdate["maxUnavailable"];
        var maxSurge = rollingUpdate["maxSurge"];
        DeploymentValidation.PositiveIntOrPercent(maxUnavailable, $"{path}.maxUnavailable", errors);
        DeploymentValidation.PositiveIntOrPercent(maxSurge, $"{path}.maxSurge", errors);
        if (DeploymentValidation.Percent(maxUnavailable) is > 100)
            errors.Add(FieldError.InvalidRaw($"{path}.maxUnavailable", GoSyntax.IntOrString(maxUnavailable), "must not be greater than 100%"));
        if (DeploymentValidation.Percent(maxSurge) is > 100)
            errors.Add(FieldError.InvalidRaw($"{path}.maxSurge", GoSyntax.IntOrString(maxSurge), "must not be greater than 100%"));
        var hasUnavailable = DeploymentValidation.IntOrPercentValue(maxUnavailable) != 0;
        var hasSurge = DeploymentValidation.IntOrPercentValue(maxSurge) != 0;
        if (hasUnavailable && hasSurge)
            errors.Add(FieldError.InvalidRaw($"{path}.maxSurge", GoSyntax.IntOrString(maxSurge), "may not be set when maxUnavailable is non-zero"));
        else if (!hasUnavailable && !hasSurge)
            errors.Add(FieldError.RequiredValue($"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0"));
    }

    /// <summary>%#v of the internal DaemonSetUpdateStrategy (a set rollingUpdate is a pointer Go prints as an address).</summary>
    private static string GoStrategy(JsonObject strategy) =>
        $"apps.DaemonSetUpdateStrategy{{Type:{GoSyntax.Quote(KubeObject.String(strategy, "type") ?? "")}, RollingUpdate:(*apps.RollingUpdateDaemonSet)" +
        (strategy["rollingUpdate"] is JsonObject ? "(0xc000a3e4b0)}" : "(nil)}");
}

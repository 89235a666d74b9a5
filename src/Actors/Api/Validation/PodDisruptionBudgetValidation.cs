using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidatePodDisruptionBudget (pkg/apis/policy/validation) as kube-apiserver v1.32 runs it for
/// policy/v1: minAvailable and maxUnavailable exclusive, each a non-negative int or a percentage
/// of at most 100%, a valid selector, a known unhealthyPodEvictionPolicy.
/// </summary>
public static class PodDisruptionBudgetValidation
{
    public const string IfHealthyBudget = "IfHealthyBudget";
    public const string AlwaysAllow = "AlwaysAllow";

    private static readonly string[] Policies = [AlwaysAllow, IfHealthyBudget];

    public static void Validate(JsonObject pdb, List<FieldError> errors)
    {
        var spec = pdb["spec"] as JsonObject ?? new JsonObject();
        var minAvailable = spec["minAvailable"];
        var maxUnavailable = spec["maxUnavailable"];
        if (minAvailable is not null && maxUnavailable is not null)
            errors.Add(FieldError.InvalidRaw("spec", GoSpec(spec), "minAvailable and maxUnavailable cannot be both set"));
        foreach (var (field, value) in new[] { ("minAvailable", minAvailable), ("maxUnavailable", maxUnavailable) })
        {
            if (value is null) continue;
            DeploymentValidation.PositiveIntOrPercent(value, $"spec.{field}", errors);
            if (DeploymentValidation.Percent(value) is > 100)
                errors.Add(FieldError.InvalidRaw($"spec.{field}", GoSyntax.IntOrString(value), "must not be greater than 100%"));
        }
        LabelSelectorValidation.Validate(spec["selector"], "spec.selector", errors);
        if (KubeObject.String(spec, "unhealthyPodEvictionPolicy") is { } policy && !Policies.Contains(policy))
            errors.Add(FieldError.Unsupported("spec.unhealthyPodEvictionPolicy", policy, Policies));
    }

    /// <summary>ValidatePodDisruptionBudgetStatusUpdate for policy/v1: the counters are never negative.</summary>
    public static void ValidateStatus(JsonObject pdb, List<FieldError> errors)
    {
        foreach (var field in new[] { "disruptionsAllowed", "currentHealthy", "desiredHealthy", "expectedPods" })
            if (KubeObject.Long(KubeObject.At(pdb, $"status.{field}")) is { } n && n < 0)
                errors.Add(FieldError.InvalidRaw($"status.{field}", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
    }

    /// <summary>
    /// %#v of the internal PodDisruptionBudgetSpec (field.Invalid is given the whole spec). Its
    /// fields are pointers Go prints as addresses, different on every call of the real server.
    /// </summary>
    private static string GoSpec(JsonObject spec)
    {
        static string Pointer(string type, JsonNode? value, string address) => $"(*{type})({(value is null ? "nil" : address)})";
        return "policy.PodDisruptionBudgetSpec{" +
               $"MinAvailable:{Pointer("intstr.IntOrString", spec["minAvailable"], "0xc000b2c0e0")}, " +
               $"Selector:{Pointer("v1.LabelSelector", spec["selector"], "0xc000b2c100")}, " +
               $"MaxUnavailable:{Pointer("intstr.IntOrString", spec["maxUnavailable"], "0xc000b2c120")}, " +
               $"UnhealthyPodEvictionPolicy:{Pointer("policy.UnhealthyPodEvictionPolicyType", spec["unhealthyPodEvictionPolicy"], "0xc000b2c140")}" + "}";
    }
}

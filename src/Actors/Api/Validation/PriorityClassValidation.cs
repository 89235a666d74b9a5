using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidatePriorityClass and ValidatePriorityClassUpdate (pkg/apis/scheduling/validation): names
/// with the "system-" prefix belong to the two system classes, user values stay at or below one
/// billion, value and preemptionPolicy never change.
/// </summary>
public static class PriorityClassValidation
{
    public const string SystemPrefix = "system-";
    public const long HighestUserDefinablePriority = 1_000_000_000;
    public const long SystemCriticalPriority = 2 * HighestUserDefinablePriority;
    public const string SystemClusterCritical = "system-cluster-critical";
    public const string SystemNodeCritical = "system-node-critical";

    /// <summary>The classes kube-apiserver creates at start (scheduling.SystemPriorityClasses).</summary>
    public static readonly IReadOnlyList<(string Name, long Value, string Description)> SystemClasses =
    [
        (SystemNodeCritical, SystemCriticalPriority + 1000, "Used for system critical pods that must not be moved from their current node."),
        (SystemClusterCritical, SystemCriticalPriority, "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary."),
    ];

    private static readonly string[] PreemptionPolicies = ["Never", "PreemptLowerPriority"];

    public static void Validate(JsonObject pc, List<FieldError> errors)
    {
        var name = KubeObject.Name(pc);
        var value = Admission.PriorityAdmission.Value(pc);
        if (name.StartsWith(SystemPrefix, StringComparison.Ordinal))
        {
            if (KnownSystemClassError(name, value, Admission.PriorityAdmission.IsGlobalDefault(pc)) is { } error)
                errors.Add(FieldError.ForbiddenField("metadata.name",
                    $"priority class names with '{SystemPrefix}' prefix are reserved for system use only. error: {error}"));
        }
        else if (value > HighestUserDefinablePriority)
        {
            errors.Add(FieldError.ForbiddenField("value", $"maximum allowed value of a user defined priority is {HighestUserDefinablePriority}"));
        }
        if (KubeObject.String(pc, "preemptionPolicy") is { } policy && !PreemptionPolicies.Contains(policy))
            errors.Add(FieldError.Unsupported("preemptionPolicy", policy, PreemptionPolicies));
    }

    public static void ValidateUpdate(JsonObject pc, JsonObject old, List<FieldError> errors)
    {
        if (Admission.PriorityAdmission.Value(pc) != Admission.PriorityAdmission.Value(old))
            errors.Add(FieldError.ForbiddenField("value", "may not be changed in an update."));
        if (KubeObject.String(pc, "preemptionPolicy") != KubeObject.String(old, "preemptionPolicy"))
            errors.Add(FieldError.Invalid("preemptionPolicy", KubeObject.String(pc, "preemptionPolicy"), "field is immutable"));
    }

    /// <summary>IsKnownSystemPriorityClass's error, or null when the class is one of the two as they must be.</summary>
    private static string? KnownSystemClassError(string name, long value, bool globalDefault)
    {
        foreach (var (known, knownValue, _) in SystemClasses)
        {
            if (known != name) continue;
            if (value != knownValue) return $"value of {known} PriorityClass must be {knownValue.ToString(CultureInfo.InvariantCulture)}";
            return globalDefault ? $"globalDefault of {known} PriorityClass must be false" : null;
        }
        return $"{name} is not a known system priority class";
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateLabelSelector (apimachinery's metav1 validation) and what LabelSelectorAsSelector
/// makes of a <c>metav1.LabelSelector</c>: a missing selector selects nothing, an empty one everything.
/// </summary>
public static class LabelSelectorValidation
{
    /// <summary>The errors of <paramref name="selector"/>; true when it converts to a selector.</summary>
    public static bool Validate(JsonNode? selector, string path, List<FieldError> errors)
    {
        if (selector is not JsonObject s) return true;
        var before = errors.Count;
        ObjectMetaValidation.Labels(s["matchLabels"], $"{path}.matchLabels", errors);
        if (s["matchExpressions"] is JsonArray expressions)
            for (var i = 0; i < expressions.Count; i++)
                Requirement(expressions[i] as JsonObject ?? new JsonObject(), $"{path}.matchExpressions[{i}]", errors);
        return errors.Count == before;
    }

    /// <summary>True for <c>{}</c> (and for matchLabels/matchExpressions both empty).</summary>
    public static bool IsEmpty(JsonNode? selector) =>
        selector is JsonObject s && (s["matchLabels"] as JsonObject)?.Count is null or 0 && (s["matchExpressions"] as JsonArray)?.Count is null or 0;

    /// <summary>LabelSelectorAsSelector of a selector that <see cref="Validate"/> accepted; null selects nothing.</summary>
    public static LabelSelector? AsSelector(JsonNode? selector) =>
        selector is JsonObject s ? WorkloadValidation.FromJson(s) : null;

    private static void Requirement(JsonObject requirement, string path, List<FieldError> errors)
    {
        var op = KubeObject.String(requirement, "operator") ?? "";
        var values = requirement["values"] as JsonArray ?? [];
        switch (op)
        {
            case "In" or "NotIn":
                if (values.Count == 0) errors.Add(FieldError.RequiredValue($"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"));
                break;
            case "Exists" or "DoesNotExist":
                if (values.Count > 0) errors.Add(FieldError.ForbiddenField($"{path}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                break;
            default:
                errors.Add(FieldError.Invalid($"{path}.operator", op, "not a valid selector operator"));
                break;
        }
        var key = KubeObject.String(requirement, "key") ?? "";
        foreach (var message in NameValidation.QualifiedName(key)) errors.Add(FieldError.Invalid($"{path}.key", key, message));
        for (var i = 0; i < values.Count; i++)
        {
            var value = KubeObject.ScalarText(values[i]) ?? "";
            foreach (var message in NameValidation.LabelValue(value)) errors.Add(FieldError.Invalid($"{path}.values[{i}]", value, message));
        }
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidatePodUpdate (InPlacePodVerticalScaling off, its 1.32 default): a running pod's spec is fixed
/// except images, a shorter activeDeadlineSeconds, added tolerations, removed scheduling gates and a
/// negative grace period raised to 1. Everything else needs a new pod.
/// </summary>
public static class PodUpdateValidation
{
    public const string ForbiddenUpdate =
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public static void Validate(JsonObject pod, JsonObject old, List<FieldError> errors)
    {
        var spec = pod["spec"] as JsonObject ?? [];
        var oldSpec = old["spec"] as JsonObject ?? [];
        foreach (var list in new[] { "containers", "initContainers" })
            if (!Containers(spec[list] as JsonArray, oldSpec[list] as JsonArray, $"spec.{list}", errors)) return;
        if (!ActiveDeadline(spec, oldSpec, errors)) return;
        OnlyAddedTolerations(spec, oldSpec, errors);
        OnlyDeletedSchedulingGates(spec, oldSpec, errors);
        if (!JsonNode.DeepEquals(Munged(spec, oldSpec), oldSpec))
            errors.Add(FieldError.ForbiddenField("spec", ForbiddenUpdate));
    }

    /// <summary>ValidateContainerUpdates: false when the count changed, as the apiserver then stops.</summary>
    private static bool Containers(JsonArray? containers, JsonArray? old, string path, List<FieldError> errors)
    {
        if ((containers?.Count ?? 0) != (old?.Count ?? 0))
        {
            errors.Add(FieldError.ForbiddenField(path, "pod updates may not add or remove containers"));
            return false;
        }
        for (var i = 0; i < (containers?.Count ?? 0); i++)
        {
            var image = KubeObject.String(containers![i], "image") ?? "";
            if (image.Length == 0) errors.Add(FieldError.RequiredValue($"{path}[{i}].image"));
            if (image.Trim().Length != image.Length) errors.Add(FieldError.Invalid($"{path}[{i}].image", image, "must not have leading or trailing whitespace"));
        }
        return true;
    }

    /// <summary>From none to a value, or to a smaller one; false where the apiserver stops validating.</summary>
    private static bool ActiveDeadline(JsonObject spec, JsonObject old, List<FieldError> errors)
    {
        var next = KubeObject.Long(spec["activeDeadlineSeconds"]);
        var previous = KubeObject.Long(old["activeDeadlineSeconds"]);
        if (next is { } value)
        {
            var text = value.ToString(CultureInfo.InvariantCulture);
            if (value is < 0 or > int.MaxValue)
            {
                errors.Add(FieldError.InvalidRaw("spec.activeDeadlineSeconds", text, $"must be between 0 and {int.MaxValue}, inclusive"));
                return false;
            }
            if (previous < value)
            {
                errors.Add(FieldError.InvalidRaw("spec.activeDeadlineSeconds", text, "must be less than or equal to previous value"));
                return false;
            }
        }
        else if (previous is not null)
        {
            // A nil pointer reaches the error printer as the string "null", quoted.
            errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", "null", "must not update from a positive integer to nil value"));
        }
        return true;
    }

    /// <summary>validateOnlyAddedTolerations: every existing toleration stays, only its tolerationSeconds may change.</summary>
    private static void OnlyAddedTolerations(JsonObject spec, JsonObject old, List<FieldError> errors)
    {
        var next = Tolerations(spec).ToList();
        if (Tolerations(old).Any(existing => !next.Any(t => JsonNode.DeepEquals(t, existing))))
            errors.Add(FieldError.ForbiddenField("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));
    }

    private static IEnumerable<JsonObject> Tolerations(JsonObject spec) =>
        ((spec["tolerations"] as JsonArray)?.OfType<JsonObject>() ?? []).Select(t =>
        {
            var copy = new JsonObject();
            foreach (var (key, value) in t)
                if (key != "tolerationSeconds" && value is not null && KubeObject.ScalarText(value) is not "") copy[key] = value.DeepClone();
            return copy;
        });

    /// <summary>validateOnlyDeletedSchedulingGates: a gate can be lifted, never added.</summary>
    private static void OnlyDeletedSchedulingGates(JsonObject spec, JsonObject old, List<FieldError> errors)
    {
        var existing = Gates(old).ToHashSet(StringComparer.Ordinal);
        var gates = Gates(spec).ToList();
        for (var i = 0; i < gates.Count; i++)
            if (!existing.Contains(gates[i]))
                errors.Add(FieldError.ForbiddenField($"spec.schedulingGates[{i}].name", $"only deletion is allowed, but found new scheduling gate '{gates[i]}'"));
    }

    private static IEnumerable<string> Gates(JsonObject spec) =>
        ((spec["schedulingGates"] as JsonArray)?.OfType<JsonObject>() ?? []).Select(g => KubeObject.String(g, "name") ?? "");

    /// <summary>The new spec with every field an update may change put back to its stored value.</summary>
    private static JsonObject Munged(JsonObject spec, JsonObject old)
    {
        var munged = spec.DeepClone().AsObject();
        foreach (var list in new[] { "containers", "initContainers" })
            if (munged[list] is JsonArray containers && old[list] is JsonArray oldContainers)
                for (var i = 0; i < containers.Count; i++)
                    if (containers[i] is JsonObject c) Restore(c, oldContainers[i] as JsonObject, "image");
        Restore(munged, old, "activeDeadlineSeconds");
        Restore(munged, old, "schedulingGates");
        Restore(munged, old, "tolerations");
        if (KubeObject.Long(old["terminationGracePeriodSeconds"]) < 0 && KubeObject.Long(munged["terminationGracePeriodSeconds"]) == 1)
            Restore(munged, old, "terminationGracePeriodSeconds");
        return munged;
    }

    private static void Restore(JsonObject target, JsonObject? source, string field)
    {
        if (source?[field] is { } value) target[field] = value.DeepClone();
        else target.Remove(field);
    }
}

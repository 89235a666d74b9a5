using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// validateEphemeralContainers and ValidatePodEphemeralContainersUpdate (pkg/apis/core/validation):
/// ephemeral containers are debugging aids, so the fields a workload relies on (ports, probes,
/// lifecycle, resources) are refused; once added they can be neither changed nor removed.
/// </summary>
public static class EphemeralContainerValidation
{
    private const string NotForEphemeral = "cannot be set for an Ephemeral Container";

    // The EphemeralContainerCommon fields outside the allow list, in the struct's order (the order of the errors).
    private static readonly string[] Disallowed =
        ["ports", "resources", "resizePolicy", "restartPolicy", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle"];

    /// <param name="names">The names of the regular and init containers, which targetContainerName must name.</param>
    public static void Validate(JsonNode? node, string path, IReadOnlySet<string> names, List<FieldError> errors)
    {
        if (node is not JsonArray containers) return;
        var all = new HashSet<string>(names, StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i] as JsonObject;
            var at = $"{path}[{i}]";
            PodSpecValidation.NameAndImage(c, at, all, errors);
            if (KubeObject.String(c, "targetContainerName") is { Length: > 0 } target && !names.Contains(target))
                errors.Add(FieldError.NotFoundValue($"{at}.targetContainerName", target));
            foreach (var field in Disallowed)
                if (IsSet(c?[field])) errors.Add(FieldError.ForbiddenField($"{at}.{field}", NotForEphemeral));
            if (c?["volumeMounts"] is JsonArray mounts)
                for (var m = 0; m < mounts.Count; m++)
                    foreach (var sub in (string[])["subPath", "subPathExpr"])
                        if (KubeObject.String(mounts[m], sub) is { Length: > 0 })
                            errors.Add(FieldError.ForbiddenField($"{at}.volumeMounts[{m}].{sub}", NotForEphemeral));
        }
    }

    /// <summary>A pod is created without ephemeral containers (ValidatePodCreate).</summary>
    public static void ValidateCreate(JsonObject pod, List<FieldError> errors)
    {
        if (KubeObject.At(pod, "spec.ephemeralContainers") is JsonArray { Count: > 0 })
            errors.Add(FieldError.ForbiddenField("spec.ephemeralContainers", "cannot be set on create"));
    }

    /// <summary>The second half of ValidatePodEphemeralContainersUpdate: existing ones stay as they were.</summary>
    public static void ValidateUpdate(JsonObject pod, JsonObject old, List<FieldError> errors)
    {
        var next = (KubeObject.At(pod, "spec.ephemeralContainers") as JsonArray)?.OfType<JsonObject>()
            .GroupBy(c => KubeObject.String(c, "name") ?? "").ToDictionary(g => g.Key, g => g.First()) ?? [];
        foreach (var previous in (KubeObject.At(old, "spec.ephemeralContainers") as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var name = KubeObject.String(previous, "name") ?? "";
            if (!next.TryGetValue(name, out var now))
                errors.Add(FieldError.ForbiddenField("spec.ephemeralContainers", $"existing ephemeral containers \"{name}\" may not be removed\n"));
            else if (!JsonNode.DeepEquals(previous, now))
                errors.Add(FieldError.ForbiddenField("spec.ephemeralContainers", $"existing ephemeral containers \"{name}\" may not be changed\n"));
        }
    }

    // reflect.DeepEqual against the zero value: an empty object (resources: {}) or list is not set.
    private static bool IsSet(JsonNode? value) => value switch
    {
        null => false,
        JsonObject o => o.Any(p => IsSet(p.Value)),
        JsonArray a => a.Count > 0,
        JsonValue v => KubeObject.ScalarText(v) is { Length: > 0 } text && text != "false" && text != "0",
        _ => true,
    };
}

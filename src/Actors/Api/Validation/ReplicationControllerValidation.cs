using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateReplicationControllerSpec and ValidatePodTemplateSpecForRC (pkg/apis/core/validation):
/// the selector is a plain label map, the template a pointer (so it can be missing).
/// </summary>
public static class ReplicationControllerValidation
{
    public static void Spec(JsonObject spec, List<FieldError> errors)
    {
        WorkloadValidation.NonNegative(spec, "minReadySeconds", errors);
        var selector = KubeObject.StringMap(spec["selector"]);
        if (selector.Count == 0) errors.Add(FieldError.RequiredValue("spec.selector"));
        WorkloadValidation.NonNegative(spec, "replicas", errors);
        PodTemplateSpec(spec["template"] as JsonObject, LabelSelectors.FromSet(selector), "spec.template", errors);
    }

    private static void PodTemplateSpec(JsonObject? template, LabelSelector selector, string path, List<FieldError> errors)
    {
        if (template is null)
        {
            errors.Add(FieldError.RequiredValue(path));
            return;
        }
        var labels = KubeObject.At(template, "metadata.labels");
        if (!selector.IsEmpty && !selector.Matches(KubeObject.StringMap(labels)))
            errors.Add(FieldError.InvalidRaw($"{path}.metadata.labels", GoSyntax.StringMap(labels), "`selector` does not match template `labels`"));
        WorkloadValidation.PodTemplate(template, path, errors);
        if (KubeObject.Long(KubeObject.At(template, "spec.activeDeadlineSeconds")) is { } deadline)
            errors.Add(FieldError.InvalidRaw($"{path}.spec.activeDeadlineSeconds", deadline.ToString(System.Globalization.CultureInfo.InvariantCulture), "must not be specified"));
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateReplicaSetSpec and ValidatePodTemplateSpecForReplicaSet (pkg/apis/apps/validation),
/// in their order: the order of the errors is the order of kube-apiserver's message.
/// </summary>
public static class ReplicaSetValidation
{
    public static void Spec(JsonObject spec, List<FieldError> errors)
    {
        WorkloadValidation.NonNegative(spec, "replicas", errors);
        WorkloadValidation.NonNegative(spec, "minReadySeconds", errors);
        if (Selector(spec, errors) is var (ok, selector) && ok) PodTemplateSpec(spec["template"], selector, "spec.template", errors);
    }

    /// <summary>
    /// The selector checks Deployments and ReplicaSets share (both say "for deployment"); false when
    /// LabelSelectorAsSelector would fail, in which case the template is not validated at all.
    /// </summary>
    public static (bool Ok, LabelSelector? Selector) Selector(JsonObject spec, List<FieldError> errors)
    {
        var selector = spec["selector"];
        if (selector is not JsonObject)
        {
            errors.Add(FieldError.RequiredValue("spec.selector"));
            return (true, null);
        }
        var ok = LabelSelectorValidation.Validate(selector, "spec.selector", errors);
        if (LabelSelectorValidation.IsEmpty(selector))
            errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(selector), "empty selector is invalid for deployment"));
        if (ok) return (true, LabelSelectorValidation.AsSelector(selector));
        errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(selector), "invalid label selector"));
        return (false, null);
    }

    /// <param name="selector">null selects nothing: a missing selector also fails the label check.</param>
    public static void PodTemplateSpec(JsonNode? template, LabelSelector? selector, string path, List<FieldError> errors)
    {
        var labels = KubeObject.At(template, "metadata.labels");
        if (selector is null || !selector.IsEmpty && !selector.Matches(KubeObject.StringMap(labels)))
            errors.Add(FieldError.InvalidRaw($"{path}.metadata.labels", GoSyntax.StringMap(labels), "`selector` does not match template `labels`"));
        // The template is a struct, not a pointer: a missing one is an empty one.
        WorkloadValidation.PodTemplate(template as JsonObject ?? new JsonObject(), path, errors);
        if (KubeObject.At(template, "spec.activeDeadlineSeconds") is not null)
            errors.Add(FieldError.ForbiddenField($"{path}.spec.activeDeadlineSeconds", "activeDeadlineSeconds in ReplicaSet is not Supported"));
    }
}

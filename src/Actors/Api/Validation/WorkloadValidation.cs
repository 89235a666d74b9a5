using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// The spec validation of the workload kinds (Deployment, ReplicaSet and ReplicationController
/// have their own files) and what they share: counts, pod templates, selectors.
/// </summary>
public static class WorkloadValidation
{
    private static readonly string[] AlwaysRestart = ["Always"];

    public static void Validate(string kind, JsonObject obj, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec is null)
        {
            errors.Add(FieldError.RequiredValue("spec"));
            return;
        }
        switch (kind)
        {
            case "Deployment":
                DeploymentValidation.Spec(spec, errors);
                return;
            case "ReplicaSet":
                ReplicaSetValidation.Spec(spec, errors);
                return;
            case "ReplicationController":
                ReplicationControllerValidation.Spec(spec, errors);
                return;
            case "CronJob":
                CronJobValidation.CronJob(obj, errors);
                return;
            case "Job":
                JobValidation.Job(obj, errors);
                return;
            case "StatefulSet":
                StatefulSetValidation.Spec(spec, errors);
                return;
        }
        foreach (var count in new[] { "replicas", "minReadySeconds", "revisionHistoryLimit", "parallelism", "completions", "backoffLimit" })
            NonNegative(spec, count, errors);

        LabelSelector? selector = null;
        if (spec["selector"] is JsonObject s)
        {
            try
            {
                selector = FromJson(s);
                if (selector.IsEmpty && kind != "Job")
                    errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(s), $"empty selector is invalid for {kind.ToLowerInvariant()}"));
            }
            catch (FormatException e)
            {
                errors.Add(FieldError.Invalid("spec.selector", null, e.Message));
            }
        }
        else if (kind != "Job") errors.Add(FieldError.RequiredValue("spec.selector"));

        var claims = (spec["volumeClaimTemplates"] as JsonArray)?.OfType<JsonObject>().Select(KubeObject.Name).ToArray();
        Template(spec["template"] as JsonObject, "spec.template", selector, errors, kind == "Job" ? ["OnFailure", "Never"] : AlwaysRestart, claims);
        if (kind == "DaemonSet") DaemonSetValidation.Spec(spec, errors);
    }

    /// <summary>ValidateNonnegativeField of an optional integer field of the spec.</summary>
    public static void NonNegative(JsonObject spec, string field, List<FieldError> errors)
    {
        if (KubeObject.Long(spec[field]) is { } n && n < 0)
            errors.Add(FieldError.InvalidRaw($"spec.{field}", n.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
    }

    /// <summary>
    /// ValidatePodTemplateSpec (labels, then the pod spec) followed by the check every
    /// controller of long-running pods adds: the pods restart Always.
    /// </summary>
    public static void PodTemplate(JsonObject template, string path, List<FieldError> errors)
    {
        ObjectMetaValidation.Labels(KubeObject.At(template, "metadata.labels"), $"{path}.labels", errors);
        PodSpecValidation.Validate(template["spec"] as JsonObject ?? new JsonObject(), $"{path}.spec", errors);
        if (KubeObject.ScalarAt(template, "spec.restartPolicy") is { } restart && restart != "Always")
            errors.Add(FieldError.Unsupported($"{path}.spec.restartPolicy", restart, AlwaysRestart));
    }

    private static void Template(JsonObject? template, string path, LabelSelector? selector, List<FieldError> errors,
        IReadOnlyList<string> restartPolicies, IEnumerable<string>? claims = null)
    {
        if (template is null)
        {
            errors.Add(FieldError.RequiredValue(path));
            return;
        }
        var labels = KubeObject.At(template, "metadata.labels");
        ObjectMetaValidation.Labels(labels, $"{path}.metadata.labels", errors);
        if (selector is not null && !selector.IsEmpty && !selector.Matches(KubeObject.StringMap(labels)))
            errors.Add(FieldError.InvalidRaw($"{path}.metadata.labels", GoSyntax.StringMap(labels), "`selector` does not match template `labels`"));
        PodSpecValidation.Validate(template["spec"], $"{path}.spec", errors, restartPolicies, claims);
    }

    public static LabelSelector FromJson(JsonObject selector) =>
        LabelSelector.FromMatch(KubeObject.StringMap(selector["matchLabels"]),
            (selector["matchExpressions"] as JsonArray)?.OfType<JsonObject>().Select(e => (
                KubeObject.String(e, "key") ?? "",
                KubeObject.String(e, "operator") ?? "",
                (IReadOnlyList<string>)((e["values"] as JsonArray)?.Select(v => KubeObject.ScalarText(v) ?? "").ToArray() ?? []))));
}

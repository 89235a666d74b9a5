using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs: selectors, templates, counts.</summary>
public static class WorkloadValidation
{
    public static void Validate(string kind, JsonObject obj, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject;
        if (spec is null)
        {
            errors.Add(FieldError.RequiredValue("spec"));
            return;
        }
        if (kind == "CronJob")
        {
            if (string.IsNullOrWhiteSpace(KubeObject.String(spec, "schedule"))) errors.Add(FieldError.RequiredValue("spec.schedule"));
            else if (KubeObject.String(spec, "schedule")!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not 5 and not 1)
                errors.Add(FieldError.Invalid("spec.schedule", KubeObject.String(spec, "schedule"), "unparseable schedule"));
            Template(KubeObject.At(spec, "jobTemplate.spec.template") as JsonObject, "spec.jobTemplate.spec.template", null, errors, ["OnFailure", "Never"]);
            return;
        }
        foreach (var count in new[] { "replicas", "minReadySeconds", "revisionHistoryLimit", "parallelism", "completions", "backoffLimit" })
            if (KubeObject.Long(spec[count]) is { } n && n < 0)
                errors.Add(FieldError.InvalidRaw($"spec.{count}", n.ToString(), "must be greater than or equal to 0"));

        LabelSelector? selector = null;
        if (spec["selector"] is JsonObject s)
        {
            try
            {
                selector = FromJson(s);
                if (selector.IsEmpty && kind != "Job") errors.Add(FieldError.Invalid("spec.selector", null, "empty selector is invalid for deployment"));
            }
            catch (FormatException e)
            {
                errors.Add(FieldError.Invalid("spec.selector", null, e.Message));
            }
        }
        else if (kind != "Job") errors.Add(FieldError.RequiredValue("spec.selector"));

        if (kind == "Deployment" && KubeObject.ScalarAt(spec, "strategy.type") is { } strategy && strategy is not ("RollingUpdate" or "Recreate"))
            errors.Add(FieldError.Unsupported("spec.strategy.type", strategy, ["Recreate", "RollingUpdate"]));
        var claims = (spec["volumeClaimTemplates"] as JsonArray)?.OfType<JsonObject>().Select(KubeObject.Name).ToArray();
        Template(spec["template"] as JsonObject, "spec.template", selector, errors, kind == "Job" ? ["OnFailure", "Never"] : ["Always"], claims);
    }

    private static void Template(JsonObject? template, string path, LabelSelector? selector, List<FieldError> errors,
        IReadOnlyList<string> restartPolicies, IEnumerable<string>? claims = null)
    {
        if (template is null)
        {
            errors.Add(FieldError.RequiredValue(path));
            return;
        }
        var labels = KubeObject.StringMap(KubeObject.At(template, "metadata.labels"));
        ObjectMetaValidation.Labels(KubeObject.At(template, "metadata.labels"), $"{path}.metadata.labels", errors);
        if (selector is not null && !selector.IsEmpty && !selector.Matches(labels))
            errors.Add(FieldError.InvalidRaw($"{path}.metadata.labels", GoMap(labels), "`selector` does not match template `labels`"));
        PodSpecValidation.Validate(template["spec"], $"{path}.spec", errors, restartPolicies, claims);
    }

    public static LabelSelector FromJson(JsonObject selector) =>
        LabelSelector.FromMatch(KubeObject.StringMap(selector["matchLabels"]),
            (selector["matchExpressions"] as JsonArray)?.OfType<JsonObject>().Select(e => (
                KubeObject.String(e, "key") ?? "",
                KubeObject.String(e, "operator") ?? "",
                (IReadOnlyList<string>)((e["values"] as JsonArray)?.Select(v => KubeObject.ScalarText(v) ?? "").ToArray() ?? []))));

    /// <summary>Go's %#v of a map[string]string, as the apiserver prints the bad labels.</summary>
    private static string GoMap(IReadOnlyDictionary<string, string> map) =>
        "map[string]string{" + string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":\"{p.Value}\"")) + "}";
}

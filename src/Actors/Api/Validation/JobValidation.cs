using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Batch;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>pkg/apis/batch/validation for Jobs (ValidateJob, ValidateJobSpec, ValidateGeneratedSelector, ValidateJobUpdate), with Kubernetes' messages.</summary>
public static class JobValidation
{
    private static readonly string[] RestartPolicies = ["OnFailure", "Never"];
    private static readonly string[] CompletionModes = ["NonIndexed", "Indexed"];
    private static readonly string[] FailurePolicyActions = ["Count", "FailIndex", "FailJob", "Ignore"];
    private static readonly string[] PodReplacementPolicies = ["Failed", "TerminatingOrFailed"];

    /// <summary>The most completions or parallelism of an Indexed Job (maxParallelismForIndexedJob / maxCompletionsForIndexedJob).</summary>
    public const int MaxIndexed = 100000;

    public static void Job(JsonObject job, List<FieldError> errors)
    {
        if (job["spec"] is not JsonObject spec)
        {
            errors.Add(FieldError.RequiredValue("spec"));
            return;
        }
        GeneratedSelector(job, spec, errors);
        Spec(spec, "spec", errors, isTemplate: false);
    }

    /// <summary>ValidateGeneratedSelector: without manualSelector the selector must be the one the API server generated.</summary>
    private static void GeneratedSelector(JsonObject job, JsonObject spec, List<FieldError> errors)
    {
        if (KubeObject.At(spec, "manualSelector")?.GetValueKind() == System.Text.Json.JsonValueKind.True) return;
        if (spec["selector"] is not JsonObject selector) return;
        var uid = KubeObject.Uid(job) ?? "";
        var expected = new Dictionary<string, string> { [JobStrategy.ControllerUidLabel] = uid, [JobStrategy.LegacyControllerUidLabel] = uid };
        try
        {
            if (!WorkloadValidation.FromJson(selector).Matches(expected))
                errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(selector), "`selector` not auto-generated"));
        }
        catch (FormatException)
        {
            // reported by the selector's own validation
        }
    }

    /// <summary>ValidateJobSpec (isTemplate: a CronJob's jobTemplate, whose selector is generated when its Jobs are created).</summary>
    public static void Spec(JsonObject spec, string path, List<FieldError> errors, bool isTemplate)
    {
        foreach (var field in new[] { "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes" })
            if (KubeObject.Long(spec[field]) is { } n && n < 0)
                errors.Add(FieldError.InvalidRaw($"{path}.{field}", n.ToString(CultureInfo.InvariantCulture), "must be greater than or equal to 0"));

        var mode = KubeObject.String(spec, "completionMode");
        if (mode is not null && !CompletionModes.Contains(mode)) errors.Add(FieldError.Unsupported($"{path}.completionMode", mode, CompletionModes));
        var indexed = mode == "Indexed";
        if (indexed)
        {
            if (spec["completions"] is null) errors.Add(FieldError.RequiredValue($"{path}.completions", "when completion mode is Indexed"));
            if (KubeObject.Long(spec["completions"]) > MaxIndexed)
                errors.Add(FieldError.InvalidRaw($"{path}.completions", KubeObject.Long(spec["completions"])!.Value.ToString(CultureInfo.InvariantCulture),
                    $"must be less than or equal to {MaxIndexed} when completion mode is Indexed"));
            if (KubeObject.Long(spec["parallelism"]) > MaxIndexed)
                errors.Add(FieldError.InvalidRaw($"{path}.parallelism", KubeObject.Long(spec["parallelism"])!.Value.ToString(CultureInfo.InvariantCulture),
                    $"must be less than or equal to {MaxIndexed} when completion mode is Indexed"));
        }
        if (spec["backoffLimitPerIndex"] is not null && !indexed)
            errors.Add(FieldError.ForbiddenField($"{path}.backoffLimitPerIndex", "requires indexed completion mode"));
        if (spec["maxFailedIndexes"] is not null && spec["backoffLimitPerIndex"] is null)
            errors.Add(FieldError.RequiredValue($"{path}.backoffLimitPerIndex", "when maxFailedIndexes is specified"));
        if (KubeObject.String(spec, "podReplacementPolicy") is { } replacement)
        {
            if (!PodReplacementPolicies.Contains(replacement))
                errors.Add(FieldError.Unsupported($"{path}.podReplacementPolicy", replacement, PodReplacementPolicies));
            else if (replacement != "Failed" && spec["podFailurePolicy"] is not null)
                errors.Add(FieldError.Unsupported($"{path}.podReplacementPolicy", replacement, ["Failed"]));
        }

        var selector = spec["selector"];
        if (!isTemplate)
        {
            if (selector is null) errors.Add(FieldError.RequiredValue($"{path}.selector"));
            else LabelSelectorValidation.Validate(selector, $"{path}.selector", errors);
        }
        else if (KubeObject.At(spec, "manualSelector")?.GetValueKind() == System.Text.Json.JsonValueKind.True)
            errors.Add(FieldError.Unsupported($"{path}.manualSelector", "true", ["nil", "false"]));

        var template = spec["template"] as JsonObject;
        if (template is null)
        {
            errors.Add(FieldError.RequiredValue($"{path}.template"));
            return;
        }
        var labels = KubeObject.At(template, "metadata.labels");
        ObjectMetaValidation.Labels(labels, $"{path}.template.metadata.labels", errors);
        if (!isTemplate && selector is JsonObject s)
        {
            try
            {
                var parsed = WorkloadValidation.FromJson(s);
                if (!parsed.IsEmpty && !parsed.Matches(KubeObject.StringMap(labels)))
                    errors.Add(FieldError.InvalidRaw($"{path}.template.metadata.labels", GoSyntax.StringMap(labels), "`selector` does not match template `labels`"));
            }
            catch (FormatException)
            {
                // reported above
            }
        }
        var restart = KubeObject.ScalarAt(template, "spec.restartPolicy");
        if (spec["podFailurePolicy"] is JsonObject policy)
        {
            PodFailurePolicy(policy, $"{path}.podFailurePolicy", spec, errors);
            if (restart is not null && restart != "Never")
                errors.Add(FieldError.Unsupported($"{path}.template.spec.restartPolicy", restart, ["Never"]));
        }
        PodSpecValidation.Validate(template["spec"], $"{path}.template.spec", errors, RestartPolicies);
    }

    private static void PodFailurePolicy(JsonObject policy, string path, JsonObject spec, List<FieldError> errors)
    {
        var rules = policy["rules"] as JsonArray ?? [];
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i] as JsonObject ?? new JsonObject();
            var at = $"{path}.rules[{i}]";
            var action = KubeObject.String(rule, "action");
            if (action is null) errors.Add(FieldError.RequiredValue($"{at}.action"));
            else if (!FailurePolicyActions.Contains(action)) errors.Add(FieldError.Unsupported($"{at}.action", action, FailurePolicyActions));
            else if (action == "FailIndex" && spec["backoffLimitPerIndex"] is null)
                errors.Add(FieldError.ForbiddenField($"{at}.action", "requires the backoffLimitPerIndex to be set"));
            var exitCodes = rule["onExitCodes"] as JsonObject;
            var conditions = rule["onPodConditions"] as JsonArray;
            if (exitCodes is not null && conditions is { Count: > 0 })
                errors.Add(FieldError.Invalid(at, null, "specifying both OnExitCodes and OnPodConditions is not supported"));
            else if (exitCodes is null && conditions is not { Count: > 0 })
                errors.Add(FieldError.Invalid(at, null, "specifying one of OnExitCodes and OnPodConditions is required"));
            if (exitCodes is not null)
            {
                var op = KubeObject.String(exitCodes, "operator");
                if (op is null) errors.Add(FieldError.RequiredValue($"{at}.onExitCodes.operator"));
                else if (op is not ("In" or "NotIn")) errors.Add(FieldError.Unsupported($"{at}.onExitCodes.operator", op, ["In", "NotIn"]));
                var values = (exitCodes["values"] as JsonArray ?? []).Select(KubeObject.Long).ToList();
                if (values.Count == 0) errors.Add(FieldError.RequiredValue($"{at}.onExitCodes.values", "at least one value is required"));
                for (var j = 0; j < values.Count; j++)
                    if (op == "In" && values[j] == 0)
                        errors.Add(FieldError.InvalidRaw($"{at}.onExitCodes.values[{j}]", "0", "must not be 0 for the In operator"));
            }
        }
    }

    /// <summary>ValidateJobSpecUpdate: the selector, and (unless the Job is suspended and never started) the template are immutable.</summary>
    public static void Update(JsonObject job, JsonObject old, List<FieldError> errors)
    {
        if (!JsonNode.DeepEquals(KubeObject.At(job, "spec.selector"), KubeObject.At(old, "spec.selector")))
            errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(KubeObject.At(job, "spec.selector")), "field is immutable"));
        var completions = KubeObject.Long(KubeObject.At(job, "spec.completions"));
        var oldCompletions = KubeObject.Long(KubeObject.At(old, "spec.completions"));
        // Elastic Indexed Jobs: completions may change together with parallelism, kept equal.
        var elastic = KubeObject.ScalarAt(job, "spec.completionMode") == "Indexed"
                      && completions == KubeObject.Long(KubeObject.At(job, "spec.parallelism"));
        if (completions != oldCompletions && !elastic)
            errors.Add(FieldError.InvalidRaw("spec.completions", completions?.ToString(CultureInfo.InvariantCulture) ?? "null", "field is immutable"));
        foreach (var field in new[] { "completionMode", "podFailurePolicy", "backoffLimitPerIndex" })
            if (!JsonNode.DeepEquals(KubeObject.At(job, $"spec.{field}"), KubeObject.At(old, $"spec.{field}")))
                errors.Add(FieldError.InvalidRaw($"spec.{field}", KubeObject.At(job, $"spec.{field}")?.ToJsonString() ?? "null", "field is immutable"));
        var suspendedNeverStarted = KubeObject.At(old, "spec.suspend")?.GetValueKind() == System.Text.Json.JsonValueKind.True
                                    && KubeObject.At(old, "status.startTime") is null;
        var template = KubeObject.At(job, "spec.template");
        var oldTemplate = KubeObject.At(old, "spec.template");
        if (!suspendedNeverStarted && !JsonNode.DeepEquals(template, oldTemplate))
            errors.Add(FieldError.InvalidRaw("spec.template", "core.PodTemplateSpec{...}", "field is immutable"));
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// validateAffinity and validateTopologySpreadConstraints (pkg/apis/core/validation): node
/// selector terms and their operators, weights 1-100, pod affinity terms with a topologyKey and
/// valid selectors and namespaces, spread constraints with a positive maxSkew, a known
/// whenUnsatisfiable, no repeated {topologyKey, whenUnsatisfiable}, minDomains only with DoNotSchedule.
/// </summary>
public static class SchedulingConstraintsValidation
{
    private static readonly string[] WhenUnsatisfiable = ["DoNotSchedule", "ScheduleAnyway"];
    private static readonly string[] InclusionPolicies = ["Honor", "Ignore"];
    private const string NotPositive = "must be greater than zero";
    private const string QualifiedNameRegex =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    public static void Validate(JsonObject spec, string path, List<FieldError> errors)
    {
        if (spec["affinity"] is JsonObject affinity) Affinity(affinity, $"{path}.affinity", errors);
        if (spec["topologySpreadConstraints"] is JsonArray constraints) TopologySpread(constraints, $"{path}.topologySpreadConstraints", errors);
    }

    private static void Affinity(JsonObject affinity, string path, List<FieldError> errors)
    {
        if (affinity["nodeAffinity"] is JsonObject node)
        {
            var nodePath = $"{path}.nodeAffinity";
            if (node["requiredDuringSchedulingIgnoredDuringExecution"] is JsonObject required)
            {
                var termsPath = $"{nodePath}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
                if (required["nodeSelectorTerms"] is not JsonArray { Count: > 0 } terms)
                    errors.Add(FieldError.RequiredValue(termsPath, "must have at least one node selector term"));
                else
                    for (var i = 0; i < terms.Count; i++) NodeSelectorTerm(terms[i] as JsonObject, $"{termsPath}[{i}]", errors);
            }
            if (node["preferredDuringSchedulingIgnoredDuringExecution"] is JsonArray preferred)
                for (var i = 0; i < preferred.Count; i++)
                {
                    var at = $"{nodePath}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
                    Weight(preferred[i]?["weight"], $"{at}.weight", errors);
                    NodeSelectorTerm(preferred[i]?["preference"] as JsonObject, $"{at}.preference", errors);
                }
        }
        foreach (var kind in new[] { "podAffinity", "podAntiAffinity" })
        {
            if (affinity[kind] is not JsonObject pod) continue;
            var podPath = $"{path}.{kind}";
            if (pod["requiredDuringSchedulingIgnoredDuringExecution"] is JsonArray required)
                for (var i = 0; i < required.Count; i++)
                    PodAffinityTerm(required[i] as JsonObject, $"{podPath}.requiredDuringSchedulingIgnoredDuringExecution[{i}]", errors);
            if (pod["preferredDuringSchedulingIgnoredDuringExecution"] is JsonArray preferred)
                for (var i = 0; i < preferred.Count; i++)
                {
                    var at = $"{podPath}.preferredDuringSchedulingIgnoredDuringExecution[{i}]";
                    Weight(preferred[i]?["weight"], $"{at}.weight", errors);
                    PodAffinityTerm(preferred[i]?["podAffinityTerm"] as JsonObject, $"{at}.podAffinityTerm", errors);
                }
        }
    }

    private static void Weight(JsonNode? weight, string path, List<FieldError> errors)
    {
        var w = KubeObject.Long(weight) ?? 0;
        if (w is <= 0 or > 100) errors.Add(FieldError.InvalidRaw(path, w.ToString(), "must be in the range 1-100"));
    }

    private static void NodeSelectorTerm(JsonObject? term, string path, List<FieldError> errors)
    {
        if (term?["matchExpressions"] is JsonArray expressions)
            for (var j = 0; j < expressions.Count; j++)
            {
                var at = $"{path}.matchExpressions[{j}]";
                var r = expressions[j] as JsonObject ?? new JsonObject();
                var op = KubeObject.String(r, "operator") ?? "";
                var values = (r["values"] as JsonArray)?.Count ?? 0;
                switch (op)
                {
                    case "In" or "NotIn" when values == 0:
                        errors.Add(FieldError.RequiredValue($"{at}.values", "must be specified when `operator` is 'In' or 'NotIn'"));
                        break;
                    case "Exists" or "DoesNotExist" when values > 0:
                        errors.Add(FieldError.ForbiddenField($"{at}.values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                        break;
                    case "Gt" or "Lt" when values != 1:
                        errors.Add(FieldError.RequiredValue($"{at}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                        break;
                    case "In" or "NotIn" or "Exists" or "DoesNotExist" or "Gt" or "Lt":
                        break;
                    default:
                        errors.Add(FieldError.Invalid($"{at}.operator", op, "not a valid selector operator"));
                        break;
                }
                LabelName(KubeObject.String(r, "key") ?? "", $"{at}.key", errors);
            }
        if (term?["matchFields"] is JsonArray fields)
            for (var j = 0; j < fields.Count; j++)
            {
                var at = $"{path}.matchFields[{j}]";
                var r = fields[j] as JsonObject ?? new JsonObject();
                var op = KubeObject.String(r, "operator") ?? "";
                var values = (r["values"] as JsonArray)?.Count ?? 0;
                if (op is "In" or "NotIn")
                {
                    if (values != 1) errors.Add(FieldError.RequiredValue($"{at}.values", "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
                }
                else errors.Add(FieldError.Invalid($"{at}.operator", op, "not a valid selector operator"));
                if (KubeObject.String(r, "key") is var key && key != "metadata.name")
                    errors.Add(FieldError.Invalid($"{at}.key", key, "not a valid field selector key"));
            }
    }

    private static void PodAffinityTerm(JsonObject? term, string path, List<FieldError> errors)
    {
        term ??= new JsonObject();
        LabelSelectorValidation.Validate(term["labelSelector"], $"{path}.labelSelector", errors);
        LabelSelectorValidation.Validate(term["namespaceSelector"], $"{path}.namespaceSelector", errors);
        foreach (var ns in (term["namespaces"] as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>() ?? [])
            foreach (var m in NameValidation.Dns1123Label(ns))
                errors.Add(FieldError.Invalid($"{path}.namespace", ns, m));
        var topologyKey = KubeObject.String(term, "topologyKey") ?? "";
        if (topologyKey.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.topologyKey", "can not be empty"));
        LabelName(topologyKey, $"{path}.topologyKey", errors);
    }

    private static void TopologySpread(JsonArray constraints, string path, List<FieldError> errors)
    {
        for (var i = 0; i < constraints.Count; i++)
        {
            var at = $"{path}[{i}]";
            var c = constraints[i] as JsonObject ?? new JsonObject();
            var maxSkew = KubeObject.Long(c["maxSkew"]) ?? 0;
            if (maxSkew <= 0) errors.Add(FieldError.InvalidRaw($"{at}.maxSkew", maxSkew.ToString(), NotPositive));
            var key = KubeObject.String(c, "topologyKey") ?? "";
            if (key.Length == 0) errors.Add(FieldError.RequiredValue($"{at}.topologyKey", "can not be empty"));
            var action = KubeObject.String(c, "whenUnsatisfiable") ?? "";
            if (!WhenUnsatisfiable.Contains(action)) errors.Add(FieldError.Unsupported($"{at}.whenUnsatisfiable", action, WhenUnsatisfiable));
            for (var j = i + 1; j < constraints.Count; j++)
                if (KubeObject.String(constraints[j], "topologyKey") == key && KubeObject.String(constraints[j], "whenUnsatisfiable") == action)
                {
                    errors.Add(FieldError.DuplicateValue($"{at}.{{topologyKey, whenUnsatisfiable}}", $"{{{key}, {action}}}"));
                    break;
                }
            if (KubeObject.Long(c["minDomains"]) is { } minDomains)
            {
                if (minDomains <= 0) errors.Add(FieldError.InvalidRaw($"{at}.minDomains", minDomains.ToString(), NotPositive));
                if (action != "DoNotSchedule")
                    errors.Add(FieldError.InvalidRaw($"{at}.minDomains", minDomains.ToString(), $"can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {action}"));
            }
            foreach (var policy in new[] { "nodeAffinityPolicy", "nodeTaintsPolicy" })
                if (KubeObject.String(c, policy) is { } value && !InclusionPolicies.Contains(value))
                    errors.Add(FieldError.Unsupported($"{at}.{policy}", value, InclusionPolicies));
            if (c["matchLabelKeys"] is JsonArray keys)
            {
                var selectorKeys = new HashSet<string>(StringComparer.Ordinal);
                if (c["labelSelector"]?["matchLabels"] is JsonObject labels) selectorKeys.UnionWith(labels.Select(p => p.Key));
                if (c["labelSelector"]?["matchExpressions"] is JsonArray exprs) selectorKeys.UnionWith(exprs.Select(e => KubeObject.String(e, "key")).OfType<string>());
                for (var k = 0; k < keys.Count; k++)
                {
                    var labelKey = KubeObject.ScalarText(keys[k]) ?? "";
                    LabelName(labelKey, $"{at}.matchLabelKeys[{k}]", errors);
                    if (selectorKeys.Contains(labelKey)) errors.Add(FieldError.Invalid($"{at}.matchLabelKeys[{k}]", labelKey, "exists in both matchLabelKeys and labelSelector"));
                }
            }
            LabelSelectorValidation.Validate(c["labelSelector"], $"{at}.labelSelector", errors);
        }
    }

    // ValidateLabelName: a qualified name; Go reports both the emptiness and the pattern for "".
    private static void LabelName(string name, string path, List<FieldError> errors)
    {
        foreach (var m in NameValidation.QualifiedName(name)) errors.Add(FieldError.Invalid(path, name, m));
        if (name.Length == 0) errors.Add(FieldError.Invalid(path, name, QualifiedNameRegex));
    }
}

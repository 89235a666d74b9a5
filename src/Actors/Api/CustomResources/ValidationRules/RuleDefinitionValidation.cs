using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.CustomResources.ValidationRules;

/// <summary>
/// The CRD-time checks of x-kubernetes-validations (ValidateCustomResourceDefinitionOpenAPISchema): every
/// rule and messageExpression compiles against the schema where it is declared, reasons are known,
/// messages are one line. A CRD whose versions share one schema reports it under
/// <c>spec.validation.openAPIV3Schema</c>, as kube-apiserver does after converting it to its internal
/// version; otherwise under each <c>spec.versions[i].schema.openAPIV3Schema</c>.
/// </summary>
public static class RuleDefinitionValidation
{
    private static readonly string[] Reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

    public static void Validate(JsonObject[] versions, List<FieldError> errors)
    {
        var schemas = versions.Select(v => KubeObject.At(v, "schema.openAPIV3Schema") as JsonObject).ToArray();
        if (schemas.Length == 0 || schemas.Any(s => s is null)) return;
        if (schemas.All(s => JsonNode.DeepEquals(s, schemas[0])))
        {
            Schema(schemas[0]!, "spec.validation.openAPIV3Schema", resourceRoot: true, errors);
            return;
        }
        for (var i = 0; i < schemas.Length; i++)
            Schema(schemas[i]!, $"spec.versions[{i}].schema.openAPIV3Schema", resourceRoot: true, errors);
    }

    private static void Schema(JsonObject schema, string path, bool resourceRoot, List<FieldError> errors)
    {
        if (schema["x-kubernetes-validations"] is JsonArray rules)
            for (var i = 0; i < rules.Count; i++)
                if (rules[i] is JsonObject rule) Rule(rule, schema, resourceRoot, $"{path}.x-kubernetes-validations[{i}]", errors);
        if (schema["properties"] is JsonObject properties)
            foreach (var (name, child) in properties)
                if (child is JsonObject c) Schema(c, $"{path}.properties[{name}]", Embedded(c), errors);
        if (schema["items"] is JsonObject items) Schema(items, path + ".items", Embedded(items), errors);
        if (schema["additionalProperties"] is JsonObject additional) Schema(additional, path + ".additionalProperties", Embedded(additional), errors);
    }

    private static void Rule(JsonObject rule, JsonObject schema, bool resourceRoot, string path, List<FieldError> errors)
    {
        var text = KubeObject.String(rule, "rule")?.Trim() ?? "";
        if (text.Length == 0) errors.Add(FieldError.RequiredValue(path + ".rule", "rule is not specified"));
        else if (RuleCompiler.Compile(text, schema, resourceRoot, out var error) is null)
            errors.Add(FieldError.InvalidRaw(path + ".rule", GoValue(rule), error!));

        if (KubeObject.String(rule, "message") is { } message && message.Contains('\n'))
            errors.Add(FieldError.Invalid(path + ".message", message, "message must not contain line breaks"));
        if (KubeObject.String(rule, "messageExpression") is { } messageExpression)
        {
            if (messageExpression.Trim().Length == 0)
                errors.Add(FieldError.RequiredValue(path + ".messageExpression", "messageExpression must be non-empty if specified"));
            else if (RuleCompiler.Compile(messageExpression, schema, resourceRoot, out var error) is null)
                errors.Add(FieldError.InvalidRaw(path + ".messageExpression", GoValue(rule), "messageExpression " + error));
        }
        if (KubeObject.String(rule, "reason") is { } reason && !Reasons.Contains(reason))
            errors.Add(FieldError.Unsupported(path + ".reason", reason, Reasons));
    }

    /// <summary>The rule as Go's %#v prints the internal ValidationRule in kube-apiserver's message.</summary>
    private static string GoValue(JsonObject rule)
    {
        var reason = KubeObject.String(rule, "reason") is null ? "(nil)" : "(0xc000000000)";
        var optional = rule["optionalOldSelf"] is null ? "(nil)" : "(0xc000000000)";
        return $"apiextensions.ValidationRule{{Rule:{Quote(KubeObject.String(rule, "rule"))}, Message:{Quote(KubeObject.String(rule, "message"))}, " +
               $"MessageExpression:{Quote(KubeObject.String(rule, "messageExpression"))}, Reason:(*apiextensions.FieldValueErrorReason){reason}, " +
               $"FieldPath:{Quote(KubeObject.String(rule, "fieldPath"))}, OptionalOldSelf:(*bool){optional}}}";
    }

    // Go's strconv.Quote for the characters a rule usually holds.
    private static string Quote(string? text)
    {
        var b = new StringBuilder("\"");
        foreach (var c in text ?? "")
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ => c.ToString(),
            });
        return b.Append('"').ToString();
    }

    private static bool Embedded(JsonObject schema) =>
        schema["x-kubernetes-embedded-resource"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}

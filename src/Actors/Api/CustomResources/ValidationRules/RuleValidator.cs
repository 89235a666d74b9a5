using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Akka.KubeEmu.Actors.Api.Objects;
using Cel;

namespace Akka.KubeEmu.Actors.Api.CustomResources.ValidationRules;

/// <summary>
/// Evaluates a CRD schema's x-kubernetes-validations against a custom object on create and update, as
/// the apiextensions-apiserver's CEL validator does: each rule runs where it is declared with
/// <c>self</c> bound to the value there (null values are not validated); a transition rule (one that
/// reads <c>oldSelf</c>) only on update, where an old value correlates (object fields and
/// non-atomic maps by key, <c>x-kubernetes-list-type: map</c> lists by their keys). A rule that is
/// false gives <c>path: Invalid value: "&lt;schema type&gt;": &lt;message&gt;</c> (or the error of its
/// reason) at the rule's fieldPath; a runtime error gives "&lt;error&gt; evaluating rule: &lt;rule&gt;".
/// Validation ratcheting (on by default since v1.30): an update that leaves a value unchanged does
/// not fail the non-transition rules on it.
/// </summary>
public static partial class RuleValidator
{
    public static IReadOnlyList<FieldError> Validate(JsonObject schema, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        Node(obj, old, schema, "", resourceRoot: true, errors);
        return errors;
    }

    private static void Node(JsonNode? value, JsonNode? old, JsonObject schema, string path, bool resourceRoot, List<FieldError> errors)
    {
        if (value is null) return;
        if (schema["x-kubernetes-validations"] is JsonArray rules)
            foreach (var rule in rules.OfType<JsonObject>())
                Evaluate(rule, value, old, schema, path, resourceRoot, errors);

        switch (value)
        {
            case JsonObject o:
                var correlates = KubeObject.String(schema, "x-kubernetes-map-type") != "atomic";
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                var oldObject = correlates ? old as JsonObject : null;
                foreach (var (key, child) in o)
                {
                    if (properties?[key] is JsonObject childSchema)
                        Node(child, oldObject?[key], childSchema, Child(path, key), Embedded(childSchema), errors);
                    else if (additional is not null)
                        Node(child, oldObject?[key], additional, $"{path}[{key}]", Embedded(additional), errors);
                }
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                var keys = KubeObject.String(schema, "x-kubernetes-list-type") == "map"
                    ? (schema["x-kubernetes-list-map-keys"] as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToArray() ?? []
                    : null;
                for (var i = 0; i < a.Count; i++)
                    Node(a[i], keys is null ? null : Correlated(a[i], old as JsonArray, keys), items, $"{path}[{i}]", Embedded(items), errors);
                break;
        }
    }

    private static JsonNode? Correlated(JsonNode? item, JsonArray? old, string[] keys) =>
        item is JsonObject o ? old?.OfType<JsonObject>().FirstOrDefault(x => keys.All(k => JsonNode.DeepEquals(x[k], o[k]))) : null;

    private static void Evaluate(JsonObject rule, JsonNode value, JsonNode? old, JsonObject schema, string path, bool resourceRoot, List<FieldError> errors)
    {
        var text = KubeObject.String(rule, "rule")?.Trim() ?? "";
        if (text.Length == 0) return;
        var type = KubeObject.String(schema, "type") ?? "";
        var here = path.Length == 0 ? "<nil>" : path;
        if (RuleCompiler.Runnable(text, out var compileError) is not { } compiled)
        {
            errors.Add(FieldError.Invalid(here, type, "rule compile error: " + compileError));
            return;
        }
        // Transition rules run only where an old value correlates; ratcheting lets unchanged values pass the others.
        if (compiled.UsesOldSelf && old is null) return;
        if (!compiled.UsesOldSelf && old is not null && JsonNode.DeepEquals(value, old)) return;

        var variables = new Dictionary<string, object?> { ["self"] = CelValues.From(value, schema, resourceRoot) };
        if (compiled.UsesOldSelf) variables["oldSelf"] = CelValues.From(old, schema, resourceRoot);
        var shown = ErrorString(rule, text);
        object? result;
        try
        {
            result = compiled.Program(variables);
        }
        catch (Exception e)
        {
            errors.Add(FieldError.Invalid(here, type, RuntimeError(e, shown)));
            return;
        }
        if (result is true) return;
        if (result is not bool && result?.GetType().Name == "CelNoSuchField")
        {
            errors.Add(FieldError.Invalid(here, type, $"no such key evaluating rule: {shown}"));
            return;
        }

        var at = KubeObject.String(rule, "fieldPath") is { Length: > 0 } fieldPath ? Child(path, NormalizeFieldPath(fieldPath)) : here;
        var detail = MessageExpression(rule, variables) ?? Message(rule, text);
        errors.Add(KubeObject.String(rule, "reason") switch
        {
            FieldError.Forbidden => FieldError.ForbiddenField(at, detail),
            FieldError.Required => FieldError.RequiredValue(at, detail),
            FieldError.Duplicate => FieldError.DuplicateValue(at, type),
            _ => FieldError.Invalid(at, type, detail),
        });
    }

    // A messageExpression that fails, is not a string, is empty or spans lines falls back to the message.
    private static string? MessageExpression(JsonObject rule, Dictionary<string, object?> variables)
    {
        if (KubeObject.String(rule, "messageExpression") is not { Length: > 0 } expression) return null;
        if (RuleCompiler.Runnable(expression, out _) is not { } compiled) return null;
        try
        {
            return compiled.Program(variables) is string s && s.Trim() is { Length: > 0 } trimmed && !trimmed.Contains('\n') ? trimmed : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    private static string Message(JsonObject rule, string text) =>
        KubeObject.String(rule, "message") is { Length: > 0 } message ? message.Trim() : $"failed rule: {text}";

    private static string ErrorString(JsonObject rule, string text) =>
        KubeObject.String(rule, "message") is { Length: > 0 } message ? message.Trim() : text;

    // cel-go's error texts for the runtime errors the Cel package raises.
    private static string RuntimeError(Exception e, string rule) => e switch
    {
        CelNoSuchOverloadException => $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule}",
        CelEvaluationError { Message: "no such overload" } =>
            $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule}",
        _ => $"{RuntimeErrorText(e)} evaluating rule: {rule}",
    };

    private static string RuntimeErrorText(Exception e) => e switch
    {
        CelEvaluationError => e.Message,
        CelNoSuchFieldException => SelectedField().Match(e.Message) is { Success: true } m ? $"no such key: {m.Groups[1].Value}" : "no such key",
        CelDivideByZeroException => "division by zero",
        CelModulusByZeroException => "modulus by zero",
        CelOverflowException => "integer overflow",
        CelArgumentRangeException when e.Message.StartsWith("Key", StringComparison.Ordinal) => "no such key",
        CelArgumentRangeException when e.Message.StartsWith("Index", StringComparison.Ordinal) => "index out of bounds",
        _ => e.Message,
    };

    [GeneratedRegex("select field '([^']*)'")]
    private static partial Regex SelectedField();

    /// <summary>A rule's fieldPath (".spec.x", "['a.b']") as the field path it names ("spec.x", "[a.b]").</summary>
    public static string NormalizeFieldPath(string fieldPath) =>
        QuotedKey().Replace(fieldPath, m => $"[{m.Groups[1].Value.Replace("\\'", "'", StringComparison.Ordinal)}]").TrimStart('.');

    [GeneratedRegex(@"\['((?:[^'\\]|\\.)*)'\]")]
    private static partial Regex QuotedKey();

    private static string Child(string path, string name) =>
        path.Length == 0 ? name : name.StartsWith('[') ? path + name : $"{path}.{name}";

    private static bool Embedded(JsonObject schema) =>
        schema["x-kubernetes-embedded-resource"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}

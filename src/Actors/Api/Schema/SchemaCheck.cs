using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <param name="DecodeError">Go's json decoding error for the first value of the wrong JSON type, or null.</param>
/// <param name="UnknownFields">Paths of fields the kind does not have, e.g. "spec.containers[0].imagePullPolizy".</param>
public sealed record SchemaCheckResult(string? DecodeError, IReadOnlyList<string> UnknownFields);

/// <summary>
/// What kube-apiserver's strict JSON decoder finds in a request body, checked against the
/// KubernetesClient model of the kind: values of the wrong JSON type (always a 400) and fields
/// the kind does not have (a 400 with fieldValidation=Strict, a warning with Warn).
/// </summary>
public static class SchemaCheck
{
    public static SchemaCheckResult Find(Type model, JsonObject obj)
    {
        var unknown = new List<string>();
        string? error = null;
        Object(obj, model, "", unknown, ref error);
        return new SchemaCheckResult(error, unknown);
    }

    private static void Object(JsonObject obj, Type model, string path, List<string> unknown, ref string? error)
    {
        var fields = ModelTypes.Fields(model);
        foreach (var (name, value) in obj)
        {
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            if (path.Length == 0 && name is "apiVersion" or "kind") continue;
            if (!fields.TryGetValue(name, out var field))
            {
                unknown.Add(fieldPath);
                continue;
            }
            Value(value, field.Type, fieldPath, StripIndexes(fieldPath), model, unknown, ref error);
        }
    }

    private static void Value(JsonNode? value, Type type, string path, string goPath, Type parent, List<string> unknown, ref string? error)
    {
        if (value is null) return;
        var kind = value.GetValueKind();
        var t = Nullable.GetUnderlyingType(type) ?? type;
        bool ok;
        if (t == typeof(string) || t == typeof(byte[]) || t == typeof(DateTime) || t == typeof(DateTimeOffset)) ok = kind == JsonValueKind.String;
        else if (t == typeof(bool)) ok = kind is JsonValueKind.True or JsonValueKind.False;
        else if (t == typeof(int) || t == typeof(long)) ok = kind == JsonValueKind.Number && IsInteger(value);
        else if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) ok = kind == JsonValueKind.Number;
        else if (t == typeof(ResourceQuantity) || t == typeof(IntOrString)) ok = kind is JsonValueKind.String or JsonValueKind.Number;
        else if (ModelTypes.MapValueType(t) is { } valueType)
        {
            ok = kind == JsonValueKind.Object;
            if (ok)
                foreach (var (key, item) in value.AsObject())
                    Value(item, valueType, $"{path}.{key}", goPath, parent, unknown, ref error);
        }
        else if (ModelTypes.ElementType(t) is { } element)
        {
            ok = kind == JsonValueKind.Array;
            if (ok)
            {
                var i = 0;
                foreach (var item in value.AsArray()) Value(item, element, $"{path}[{i++}]", goPath, parent, unknown, ref error);
            }
        }
        else if (ModelTypes.IsModel(t))
        {
            ok = kind == JsonValueKind.Object;
            if (ok) Object(value.AsObject(), t, path, unknown, ref error);
        }
        else ok = true;

        if (!ok && error is null)
            error = $"json: cannot unmarshal {JsonKind(kind)} into Go struct field {ModelTypes.GoTypeName(parent).Split('.')[1]}.{goPath} of type {GoType(t)}";
    }

    // Parsed JSON holds a JsonElement; JSON built in code (an int, a long) holds the CLR value, which
    // TryGetValue<long> does not convert: its text is what Go's decoder would read.
    private static bool IsInteger(JsonNode value) =>
        value is JsonValue v && v.TryGetValue<JsonElement>(out var e)
            ? e.TryGetInt64(out _)
            : long.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);

    private static string JsonKind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "null",
    };

    private static string GoType(Type t)
    {
        if (t == typeof(string)) return "string";
        if (t == typeof(bool)) return "bool";
        if (t == typeof(int)) return "int32";
        if (t == typeof(long)) return "int64";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "float64";
        if (t == typeof(byte[])) return "[]uint8";
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return "v1.Time";
        if (t == typeof(ResourceQuantity)) return "resource.Quantity";
        if (t == typeof(IntOrString)) return "intstr.IntOrString";
        if (ModelTypes.MapValueType(t) is { } v) return $"map[string]{GoType(v)}";
        if (ModelTypes.ElementType(t) is { } e) return $"[]{GoType(e)}";
        return ModelTypes.GoTypeName(t);
    }

    private static string StripIndexes(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\[\d+\]", "");
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// A CRD's structural schema applied to a custom object, as the apiextensions-apiserver does on every
/// write: unknown fields pruned (unless x-kubernetes-preserve-unknown-fields), defaults set, then the
/// OpenAPI v3 validation (kube-openapi's validator), errors worded as its field errors
/// (<c>spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"</c>).
/// apiVersion, kind and metadata at the root (and in embedded resources) are the server's, never pruned.
/// </summary>
public static class StructuralSchema
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>The paths of fields the schema does not know (what pruning will drop), for strict and warn field validation.</summary>
    public static IReadOnlyList<string> UnknownFields(JsonObject schema, JsonObject obj)
    {
        var found = new List<string>();
        Prune(obj.DeepClone(), schema, "", root: true, found);
        return found;
    }

    /// <summary>Drops unknown fields in place.</summary>
    public static void Prune(JsonObject schema, JsonObject obj) => Prune(obj, schema, "", root: true, null);

    private static void Prune(JsonNode? value, JsonObject? schema, string path, bool root, List<string>? pruned)
    {
        if (schema is null) return;
        switch (value)
        {
            case JsonObject o:
                var preserve = Bool(schema, "x-kubernetes-preserve-unknown-fields");
                var embedded = root || Bool(schema, "x-kubernetes-embedded-resource");
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (key, child) in o.ToArray())
                {
                    if (embedded && RootFields.Contains(key)) continue;
                    var childPath = Join(path, key);
                    if (properties?[key] is JsonObject childSchema) Prune(child, childSchema, childPath, false, pruned);
                    else if (additional is not null) Prune(child, additional, childPath, false, pruned);
                    else if (!preserve && !(schema["additionalProperties"] is JsonValue v && v.TryGetValue<bool>(out var any) && any))
                    {
                        pruned?.Add(childPath);
                        o.Remove(key);
                    }
                }
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                foreach (var item in a) Prune(item, items, path, false, pruned);
                break;
        }
    }

    /// <summary>Sets the schema's defaults where a field is missing (or null and not nullable), top-down.</summary>
    public static void Default(JsonObject schema, JsonObject obj) => SetDefaults(obj, schema);

    private static void SetDefaults(JsonNode? value, JsonObject? schema)
    {
        if (schema is null) return;
        switch (value)
        {
            case JsonObject o:
                if (schema["properties"] is JsonObject properties)
                    foreach (var (key, childSchema) in properties)
                    {
                        if (childSchema is not JsonObject cs) continue;
                        var missing = !o.ContainsKey(key) || (o[key] is null && !Bool(cs, "nullable"));
                        if (missing && cs.ContainsKey("default")) o[key] = cs["default"]?.DeepClone();
                        if (o[key] is { } child) SetDefaults(child, cs);
                    }
                if (schema["additionalProperties"] is JsonObject additional)
                    foreach (var (_, child) in o.ToArray()) SetDefaults(child, additional);
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                foreach (var item in a) SetDefaults(item, items);
                break;
        }
    }

    /// <summary>The schema's verdict on the object (metadata is validated as ObjectMeta, not here).</summary>
    public static IReadOnlyList<FieldError> Validate(JsonObject schema, JsonObject obj)
    {
        var errors = new List<FieldError>();
        Validate(obj, schema, "", root: true, errors);
        return errors;
    }

    private static void Validate(JsonNode? value, JsonObject schema, string path, bool root, List<FieldError> errors)
    {
        var name = path.Length == 0 ? "." : path;
        if (value is null)
        {
            var expected = Bool(schema, "x-kubernetes-int-or-string") ? "integer,string" : String(schema, "type") ?? "";
            if (!Bool(schema, "nullable") && expected.Length > 0)
                errors.Add(new FieldError(FieldError.TypeInvalid, path, "null", $"{name} in body must be of type {expected}: \"null\""));
            return;
        }
        if (!TypeMatches(value, schema, out var actual, out var expectedType))
        {
            errors.Add(new FieldError(FieldError.TypeInvalid, path, actual, $"{name} in body must be of type {expectedType}: \"{actual}\""));
            return;
        }
        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            errors.Add(new FieldError(FieldError.NotSupported, path, Display(value), "supported values: " +
                string.Join(", ", allowed.Select(a => a is JsonValue av && av.GetValueKind() == JsonValueKind.String ? $"\"{av.GetValue<string>()}\"" : $"\"{a?.ToJsonString()}\"")),
                QuoteValue: value.GetValueKind() == JsonValueKind.String));

        switch (value)
        {
            case JsonObject o:
                var embedded = root || Bool(schema, "x-kubernetes-embedded-resource");
                if (schema["required"] is JsonArray required)
                    foreach (var r in required.Select(KubeObject.ScalarText).OfType<string>())
                        if (!o.ContainsKey(r)) errors.Add(FieldError.RequiredValue(Join(path, r)));
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"] as JsonObject;
                foreach (var (key, child) in o)
                {
                    if (embedded && key == "metadata") continue;
                    if (properties?[key] is JsonObject childSchema) Validate(child, childSchema, Join(path, key), false, errors);
                    else if (additional is not null) Validate(child, additional, Join(path, key), false, errors);
                }
                if (Long(schema, "maxProperties") is { } maxProperties && o.Count > maxProperties)
                    errors.Add(new FieldError(FieldError.TooMany, path, null, $"{o.Count}: must have at most {maxProperties} items"));
                if (Long(schema, "minProperties") is { } minProperties && o.Count < minProperties)
                    errors.Add(FieldError.InvalidRaw(path, "", $"{name} in body should have at least {minProperties} properties"));
                break;
            case JsonArray a:
                if (schema["items"] is JsonObject items)
                    for (var i = 0; i < a.Count; i++) Validate(a[i], items, $"{path}[{i}]", false, errors);
                if (Long(schema, "maxItems") is { } maxItems && a.Count > maxItems)
                    errors.Add(new FieldError(FieldError.TooMany, path, null, $"{a.Count}: must have at most {maxItems} items"));
                if (Long(schema, "minItems") is { } minItems && a.Count < minItems)
                    errors.Add(FieldError.InvalidRaw(path, Display(a), $"{name} in body should have at least {minItems} items"));
                if (Bool(schema, "uniqueItems") && a.Select(x => x?.ToJsonString()).Distinct().Count() != a.Count)
                    errors.Add(new FieldError(FieldError.Duplicate, path, Display(a), "", QuoteValue: false));
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                var length = text.EnumerateRunes().Count();
                if (Long(schema, "maxLength") is { } maxLength && length > maxLength)
                    errors.Add(new FieldError(FieldError.TooLong, path, null, $"may not be more than {maxLength} bytes"));
                if (Long(schema, "minLength") is { } minLength && length < minLength)
                    errors.Add(FieldError.Invalid(path, text, $"{name} in body should be at least {minLength} chars long"));
                if (String(schema, "pattern") is { } pattern && !Matches(pattern, text))
                    errors.Add(FieldError.Invalid(path, text, $"{name} in body should match '{pattern}'"));
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                if (Number(v) is not { } number) break;
                if (Decimal(schema, "minimum") is { } min)
                {
                    var exclusive = Bool(schema, "exclusiveMinimum");
                    if (exclusive ? number <= min : number < min)
                        errors.Add(FieldError.InvalidRaw(path, Display(v), $"{name} in body should be greater than {(exclusive ? "" : "or equal to ")}{Format(min)}"));
                }
                if (Decimal(schema, "maximum") is { } max)
                {
                    var exclusive = Bool(schema, "exclusiveMaximum");
                    if (exclusive ? number >= max : number > max)
                        errors.Add(FieldError.InvalidRaw(path, Display(v), $"{name} in body should be less than {(exclusive ? "" : "or equal to ")}{Format(max)}"));
                }
                if (Decimal(schema, "multipleOf") is { } factor and not 0 && number % factor != 0)
                    errors.Add(FieldError.InvalidRaw(path, Display(v), $"{name} in body should be a multiple of {Format(factor)}"));
                break;
        }
    }

    /// <summary>Whether any schema node carries x-kubernetes-validations (CEL rules).</summary>
    public static bool HasValidationRules(JsonNode? schema) => schema switch
    {
        JsonObject o => o.ContainsKey("x-kubernetes-validations") || o.Any(p => HasValidationRules(p.Value)),
        JsonArray a => a.Any(HasValidationRules),
        _ => false,
    };

    private static bool TypeMatches(JsonNode value, JsonObject schema, out string actual, out string expected)
    {
        var kind = value.GetValueKind();
        actual = kind switch
        {
            JsonValueKind.Object => "object",
            JsonValueKind.Array => "array",
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(value) ? "integer" : "number",
            _ => "null",
        };
        expected = String(schema, "type") ?? "";
        if (Bool(schema, "x-kubernetes-int-or-string"))
        {
            expected = "integer,string";
            return actual is "integer" or "string";
        }
        return expected switch
        {
            "" => true,
            "number" => actual is "number" or "integer",
            _ => expected == actual,
        };
    }

    // A JSON number without fraction or exponent is an integer, as Go's JSON decoder tells int64 from float64.
    private static bool IsInteger(JsonNode value) =>
        value.ToJsonString() is var text && !text.Contains('.') && !text.Contains('e', StringComparison.OrdinalIgnoreCase);

    private static decimal? Number(JsonNode? node) =>
        decimal.TryParse(node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : null,
            NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static bool Matches(string pattern, string text)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (Exception e) when (e is ArgumentException or RegexMatchTimeoutException)
        {
            return true;
        }
    }

    private static string Display(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();

    private static string Format(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static bool Bool(JsonObject schema, string key) => schema[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string? String(JsonObject schema, string key) => schema[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Long(JsonObject schema, string key) => KubeObject.Long(schema[key]);

    private static decimal? Decimal(JsonObject schema, string key) => Number(schema[key]);
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Validation;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// The key rules of ValidateCustomResourceDefinition (apiextensions v1): the name is plural.group, the
/// group a domain, names DNS-1035 labels, one storage version, a schema per version whose root is an
/// object, printer columns of known types. Messages are kube-apiserver's.
/// </summary>
public static class CustomResourceDefinitionValidation
{
    private static readonly string[] Scopes = ["Cluster", "Namespaced"];
    private static readonly string[] ColumnTypes = ["boolean", "date", "integer", "number", "string"];
    private static readonly string[] ColumnFormats = ["byte", "date", "date-time", "double", "float", "int32", "int64", "name", "password"];

    public static void Validate(JsonObject crd, List<FieldError> errors)
    {
        var spec = crd["spec"] as JsonObject ?? new JsonObject();
        var group = KubeObject.String(spec, "group") ?? "";
        var names = spec["names"] as JsonObject ?? new JsonObject();
        var plural = KubeObject.String(names, "plural") ?? "";
        var name = KubeObject.Name(crd);
        if (name.Length > 0 && name != $"{plural}.{group}")
            errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));

        if (group.Length == 0) errors.Add(FieldError.RequiredValue("spec.group"));
        else if (NameValidation.Dns1123Subdomain(group).ToArray() is { Length: > 0 } groupErrors)
            errors.Add(FieldError.Invalid("spec.group", group, string.Join(",", groupErrors)));
        else if (group.Split('.').Length < 2) errors.Add(FieldError.Invalid("spec.group", group, "should be a domain with at least one dot"));

        var scope = KubeObject.String(spec, "scope") ?? "";
        if (scope.Length == 0) errors.Add(FieldError.RequiredValue("spec.scope"));
        else if (!Scopes.Contains(scope)) errors.Add(FieldError.Unsupported("spec.scope", scope, Scopes));

        Versions(spec, errors);
        Names(names, "spec.names", errors);
        if (plural.Length == 0) errors.Add(FieldError.RequiredValue("spec.names.plural"));
        if (string.IsNullOrEmpty(KubeObject.String(names, "singular"))) errors.Add(FieldError.RequiredValue("spec.names.singular"));
        if (string.IsNullOrEmpty(KubeObject.String(names, "kind"))) errors.Add(FieldError.RequiredValue("spec.names.kind"));
        if (string.IsNullOrEmpty(KubeObject.String(names, "listKind"))) errors.Add(FieldError.RequiredValue("spec.names.listKind"));
    }

    /// <summary>ValidateCustomResourceDefinitionUpdate's immutable parts: the scope and the group of a stored resource.</summary>
    public static void ValidateImmutable(JsonObject crd, JsonObject old, List<FieldError> errors)
    {
        foreach (var field in new[] { "scope", "group" })
        {
            var now = KubeObject.ScalarAt(crd, "spec." + field);
            if (now != KubeObject.ScalarAt(old, "spec." + field)) errors.Add(FieldError.Invalid("spec." + field, now, "field is immutable"));
        }
    }

    private static void Versions(JsonObject spec, List<FieldError> errors)
    {
        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToArray() ?? [];
        if (versions.Length == 0)
        {
            errors.Add(FieldError.RequiredValue("spec.versions", "must have exactly one version marked as storage version"));
            return;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < versions.Length; i++)
        {
            var v = versions[i];
            var path = $"spec.versions[{i}]";
            var name = KubeObject.String(v, "name") ?? "";
            if (name.Length == 0) errors.Add(FieldError.RequiredValue(path + ".name"));
            else if (NameValidation.Dns1035Label(name).ToArray() is { Length: > 0 } nameErrors)
                errors.Add(FieldError.Invalid(path + ".name", name, string.Join(",", nameErrors)));
            if (!seen.Add(name)) errors.Add(FieldError.Invalid("spec.versions", Versions(versions), "must contain unique version names"));
            if (KubeObject.At(v, "schema.openAPIV3Schema") is not JsonObject schema)
                errors.Add(FieldError.RequiredValue(path + ".schema.openAPIV3Schema", "schemas are required"));
            else Schema(schema, path + ".schema.openAPIV3Schema", errors);
            var columns = (v["additionalPrinterColumns"] as JsonArray)?.OfType<JsonObject>().ToArray() ?? [];
            for (var c = 0; c < columns.Length; c++) Column(columns[c], $"{path}.additionalPrinterColumns[{c}]", errors);
            if (KubeObject.At(v, "subresources.scale") is JsonObject scale)
                foreach (var field in new[] { "specReplicasPath", "statusReplicasPath" })
                    if (string.IsNullOrEmpty(KubeObject.String(scale, field)))
                        errors.Add(FieldError.RequiredValue($"{path}.subresources.scale.{field}"));
        }
        ValidationRules.RuleDefinitionValidation.Validate(versions, errors);
        var storage = versions.Count(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b);
        if (storage != 1)
            errors.Add(FieldError.InvalidRaw("spec.versions", Versions(versions), "must have exactly one version marked as storage version"));
    }

    private static string Versions(JsonObject[] versions) =>
        "[" + string.Join(", ", versions.Select(v => KubeObject.String(v, "name"))) + "]";

    private static void Schema(JsonObject schema, string path, List<FieldError> errors)
    {
        var type = KubeObject.String(schema, "type");
        if (string.IsNullOrEmpty(type)) errors.Add(FieldError.RequiredValue(path + ".type", "must not be empty at the root"));
        else if (type != "object") errors.Add(FieldError.Invalid(path + ".type", type, "must be object at the root"));
        if (schema["nullable"] is JsonValue n && n.TryGetValue<bool>(out var nullable) && nullable)
            errors.Add(FieldError.ForbiddenField(path + ".nullable", "nullable cannot be true at the root"));
    }

    private static void Column(JsonObject column, string path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(KubeObject.String(column, "name"))) errors.Add(FieldError.RequiredValue(path + ".name"));
        var type = KubeObject.String(column, "type") ?? "";
        var allowed = $"must be one of {string.Join(",", ColumnTypes)}";
        if (type.Length == 0) errors.Add(FieldError.RequiredValue(path + ".type", allowed));
        else if (!ColumnTypes.Contains(type)) errors.Add(FieldError.Invalid(path + ".type", type, allowed));
        if (KubeObject.String(column, "format") is { Length: > 0 } format && !ColumnFormats.Contains(format))
            errors.Add(FieldError.Invalid(path + ".format", format, $"must be one of {string.Join(",", ColumnFormats)}"));
        if (string.IsNullOrEmpty(KubeObject.String(column, "jsonPath"))) errors.Add(FieldError.RequiredValue(path + ".JSONPath"));
    }

    private static void Names(JsonObject names, string path, List<FieldError> errors)
    {
        foreach (var field in new[] { "plural", "singular" })
            if (KubeObject.String(names, field) is { Length: > 0 } value && NameValidation.Dns1035Label(value).ToArray() is { Length: > 0 } e)
                errors.Add(FieldError.Invalid($"{path}.{field}", value, string.Join(",", e)));
        foreach (var field in new[] { "kind", "listKind" })
            if (KubeObject.String(names, field) is { Length: > 0 } value && NameValidation.Dns1035Label(value.ToLowerInvariant()).ToArray() is { Length: > 0 } e)
                errors.Add(FieldError.Invalid($"{path}.{field}", value, "may have mixed case, but should otherwise match: " + string.Join(",", e)));
        foreach (var list in new[] { "shortNames", "categories" })
        {
            var items = (names[list] as JsonArray)?.Select(KubeObject.ScalarText).ToArray() ?? [];
            for (var i = 0; i < items.Length; i++)
                if (NameValidation.Dns1035Label(items[i] ?? "").ToArray() is { Length: > 0 } e)
                    errors.Add(FieldError.Invalid($"{path}.{list}[{i}]", items[i], string.Join(",", e)));
        }
        if (KubeObject.String(names, "kind") is { Length: > 0 } kind && kind == KubeObject.String(names, "listKind"))
            errors.Add(FieldError.Invalid(path + ".listKind", kind, "kind and listKind may not be the same"));
    }
}

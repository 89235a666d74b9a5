using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>ValidateObjectMeta: the name (by the kind's rule), generateName, labels, annotations.</summary>
public static class ObjectMetaValidation
{
    public static void Validate(JsonObject obj, Func<string, IEnumerable<string>> nameRule, List<FieldError> errors)
    {
        var name = KubeObject.Name(obj);
        var generateName = KubeObject.ScalarAt(obj, "metadata.generateName");
        if (name.Length == 0)
        {
            if (string.IsNullOrEmpty(generateName)) errors.Add(FieldError.RequiredValue("metadata.name", "name or generateName is required"));
        }
        else
        {
            foreach (var message in nameRule(name)) errors.Add(FieldError.Invalid("metadata.name", name, message));
        }
        Labels(KubeObject.At(obj, "metadata.labels"), "metadata.labels", errors);
        if (KubeObject.At(obj, "metadata.annotations") is JsonObject annotations)
        {
            var total = 0;
            foreach (var (key, value) in annotations)
            {
                foreach (var message in NameValidation.QualifiedName(key.ToLowerInvariant()))
                    errors.Add(FieldError.Invalid("metadata.annotations", key, message));
                total += key.Length + (KubeObject.ScalarText(value)?.Length ?? 0);
            }
            if (total > 256 * 1024)
                errors.Add(new FieldError(FieldError.TooLong, "metadata.annotations", null, $"must have at most {256 * 1024} bytes"));
        }
    }

    public static void Labels(JsonNode? labels, string path, List<FieldError> errors)
    {
        if (labels is not JsonObject map) return;
        foreach (var (key, value) in map)
        {
            foreach (var message in NameValidation.QualifiedName(key)) errors.Add(FieldError.Invalid(path, key, message));
            var text = KubeObject.ScalarText(value) ?? "";
            foreach (var message in NameValidation.LabelValue(text)) errors.Add(FieldError.Invalid($"{path}", text, message));
        }
    }

    /// <summary>ValidateObjectMetaUpdate: name and namespace never change.</summary>
    public static void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        if (KubeObject.Name(obj) != KubeObject.Name(old))
            errors.Add(FieldError.Invalid("metadata.name", KubeObject.Name(obj), "field is immutable"));
        if (KubeObject.Namespace(obj) != KubeObject.Namespace(old) && KubeObject.Namespace(obj).Length > 0)
            errors.Add(FieldError.Invalid("metadata.namespace", KubeObject.Namespace(obj), "field is immutable"));
    }
}

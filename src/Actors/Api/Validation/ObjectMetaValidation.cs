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
        // The prefix by the name's rule, a trailing dash allowed (maskTrailingDash): the Store
        // appends the random suffix after validation, so a bad prefix would become a stored bad name.
        if (!string.IsNullOrEmpty(generateName))
            foreach (var message in nameRule(MaskTrailingDash(generateName))) errors.Add(FieldError.Invalid("metadata.generateName", generateName, message));
        if (name.Length == 0)
        {
            if (string.IsNullOrEmpty(generateName)) errors.Add(FieldError.RequiredValue("metadata.name", "name or generateName is required"));
        }
        else
        {
            foreach (var message in nameRule(name)) errors.Add(FieldError.Invalid("metadata.name", name, message));
        }
        Labels(KubeObject.At(obj, "metadata.labels"), "metadata.labels", errors);
        Annotations(KubeObject.At(obj, "metadata.annotations"), errors);
        OwnerReferenceValidation.Validate(KubeObject.At(obj, "metadata.ownerReferences"), errors);
        FinalizerValidation.Validate(KubeObject.At(obj, "metadata.finalizers"), errors);
    }

    private static string MaskTrailingDash(string prefix) =>
        prefix.Length > 1 && prefix[^1] == '-' ? prefix[..^1] + "a" : prefix;

    /// <summary>ValidateAnnotations: keys are qualified names in any case, and all of them fit in 256 KiB.</summary>
    public static void Annotations(JsonNode? node, List<FieldError> errors)
    {
        if (node is not JsonObject annotations) return;
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

    /// <summary>
    /// ValidateObjectMetaUpdate: no new finalizers once deletion started, name and namespace never change.
    /// (The kind's own update validation checks labels and annotations, see <see cref="UpdatedLists"/>.)
    /// </summary>
    public static void ValidateUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        FinalizerValidation.ValidateNoNewFinalizers(obj, old, errors);
        if (KubeObject.Name(obj) != KubeObject.Name(old))
            errors.Add(FieldError.Invalid("metadata.name", KubeObject.Name(obj), "field is immutable"));
        if (KubeObject.Namespace(obj) != KubeObject.Namespace(old) && KubeObject.Namespace(obj).Length > 0)
            errors.Add(FieldError.Invalid("metadata.namespace", KubeObject.Namespace(obj), "field is immutable"));
    }

    /// <summary>
    /// What ValidateObjectMetaUpdate and the kinds' ValidateX(new) check again on every update:
    /// labels, annotations, owner references and finalizers.
    /// </summary>
    public static void UpdatedLists(JsonObject obj, List<FieldError> errors)
    {
        Labels(KubeObject.At(obj, "metadata.labels"), "metadata.labels", errors);
        Annotations(KubeObject.At(obj, "metadata.annotations"), errors);
        OwnerReferenceValidation.Validate(KubeObject.At(obj, "metadata.ownerReferences"), errors);
        FinalizerValidation.Validate(KubeObject.At(obj, "metadata.finalizers"), errors);
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateFinalizers and ValidateNoNewFinalizers (apimachinery's objectmeta validation): names are
/// qualified names, the garbage collector's two finalizers exclude each other, and an object whose
/// deletion has started gains no finalizer (else a controller could hold it forever).
/// </summary>
public static class FinalizerValidation
{
    private const string Orphan = "orphan";
    private const string Foreground = "foregroundDeletion";

    public static void Validate(JsonNode? finalizers, List<FieldError> errors)
    {
        var names = Names(finalizers);
        foreach (var name in names)
            foreach (var message in NameValidation.QualifiedName(name))
                errors.Add(FieldError.Invalid("metadata.finalizers", name, message));
        if (names.Contains(Orphan) && names.Contains(Foreground))
            errors.Add(FieldError.InvalidRaw("metadata.finalizers", PrintedList(names), $"finalizer {Orphan} and {Foreground} cannot be both set"));
    }

    /// <summary>
    /// validateKubeFinalizerName, which the core ValidateObjectMeta adds for the built-in kinds: a
    /// name without a domain must be one of Kubernetes' own. (Custom resources, their definitions and
    /// the webhook configurations are validated by apimachinery's rules alone.)
    /// </summary>
    public static void ValidateKubeNames(JsonObject obj, List<FieldError> errors)
    {
        var names = Names(KubeObject.At(obj, "metadata.finalizers"));
        for (var i = 0; i < names.Count; i++)
            if (!names[i].Contains('/') && names[i] is not ("kubernetes" or Orphan or Foreground))
                errors.Add(FieldError.Invalid($"metadata.finalizers[{i}]", names[i], "name is neither a standard finalizer name nor is it fully qualified"));
    }

    public static bool KubeNamesApply(ResourceType type) =>
        type.Custom is null && type.Group is not ("apiextensions.k8s.io" or "admissionregistration.k8s.io");

    /// <summary>Only while the stored object is being deleted; removing finalizers stays allowed.</summary>
    public static void ValidateNoNewFinalizers(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        if (KubeObject.At(old, "metadata.deletionTimestamp") is null) return;
        var extra = Names(KubeObject.At(obj, "metadata.finalizers")).Except(Names(KubeObject.At(old, "metadata.finalizers")), StringComparer.Ordinal)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            errors.Add(FieldError.ForbiddenField("metadata.finalizers",
                $"no new finalizers can be added if the object is being deleted, found new finalizers {GoStrings(extra)}"));
    }

    private static List<string> Names(JsonNode? finalizers) =>
        (finalizers as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToList() ?? [];

    /// <summary>A []string as a field error prints its bad value (as the Service's clusterIPs errors show it).</summary>
    private static string PrintedList(IEnumerable<string> values) => "[" + string.Join(",", values.Select(GoSyntax.Quote)) + "]";

    /// <summary>Go's %#v of a []string, which the message itself formats with.</summary>
    private static string GoStrings(IEnumerable<string> values) => "[]string{" + string.Join(", ", values.Select(GoSyntax.Quote)) + "}";
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// validateOwnerReference (apimachinery's objectmeta validation): an owner names its version, kind,
/// name and uid, so the garbage collector can find it; an event can own nothing.
/// </summary>
public static class OwnerReferenceValidation
{
    private const string Path = "metadata.ownerReferences";

    public static void Validate(JsonNode? references, List<FieldError> errors)
    {
        foreach (var reference in (references as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            var apiVersion = KubeObject.String(reference, "apiVersion") ?? "";
            var kind = KubeObject.String(reference, "kind") ?? "";
            var slash = apiVersion.LastIndexOf('/');
            // schema.FromAPIVersionAndKind: "v1" is a version, "apps/v1" a group and a version, "a/b/c" neither.
            var (group, version) = apiVersion.Count(c => c == '/') switch
            {
                0 => ("", apiVersion),
                1 => (apiVersion[..slash], apiVersion[(slash + 1)..]),
                _ => ("", ""),
            };
            if (version.Length == 0) errors.Add(FieldError.Invalid($"{Path}.apiVersion", apiVersion, "version must not be empty"));
            if (kind.Length == 0) errors.Add(FieldError.Invalid($"{Path}.kind", kind, "must not be empty"));
            if ((KubeObject.String(reference, "name") ?? "").Length == 0) errors.Add(FieldError.Invalid($"{Path}.name", "", "must not be empty"));
            if ((KubeObject.String(reference, "uid") ?? "").Length == 0) errors.Add(FieldError.Invalid($"{Path}.uid", "", "must not be empty"));
            if (group.Length == 0 && version == "v1" && kind == "Event")
                errors.Add(FieldError.InvalidRaw(Path, GoReference(reference), "/v1, Kind=Event is disallowed from being an owner"));
        }
    }

    /// <summary>%#v of a v1.OwnerReference, as the banned-owner error prints it.</summary>
    private static string GoReference(JsonObject r) =>
        $"v1.OwnerReference{{APIVersion:{GoSyntax.Quote(KubeObject.String(r, "apiVersion") ?? "")}, Kind:{GoSyntax.Quote(KubeObject.String(r, "kind") ?? "")}, " +
        $"Name:{GoSyntax.Quote(KubeObject.String(r, "name") ?? "")}, UID:{GoSyntax.Quote(KubeObject.String(r, "uid") ?? "")}, " +
        $"Controller:{GoBoolPointer(r["controller"])}, BlockOwnerDeletion:{GoBoolPointer(r["blockOwnerDeletion"])}}}";

    private static string GoBoolPointer(JsonNode? node) => node is null ? "(*bool)(nil)" : "(*bool)(0xc000000000)";
}

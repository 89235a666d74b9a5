using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// AllowUnconditionalUpdate: most strategies let a PUT without metadata.resourceVersion overwrite
/// whatever is stored; custom resources and CustomResourceDefinitions do not, and the generic store
/// answers with the error `kubectl replace` users of custom resources know.
/// </summary>
public static class UnconditionalUpdate
{
    public static bool Allowed(ResourceType type) => type.Custom is null && type != ResourceCatalog.CustomResourceDefinitions;

    /// <summary>The generic store's refusal: it names the resource, not the kind, and prints the zero version as Go's %#v of a uint64.</summary>
    public static ApiStatus Refusal(ResourceType type, string name) =>
        ApiStatus.Invalid(type.Group, type.Plural, name, [FieldError.InvalidRaw("metadata.resourceVersion", "0x0", "must be specified for an update")]);
}

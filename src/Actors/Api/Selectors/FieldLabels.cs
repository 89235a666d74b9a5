using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Selectors;

/// <summary>
/// The field labels a request's field selector may name, checked as kube-apiserver's list and
/// watch handlers check them (the scheme's field label conversion) before the storage sees the
/// selector: metadata.name and metadata.namespace for every kind, plus the kind's selectable fields.
/// </summary>
public static class FieldLabels
{
    /// <summary>The 400 for the first field the kind cannot select on; null when all can (or the selector does not parse: the Store words that).</summary>
    public static ApiStatus? Check(ResourceType type, string? fieldSelector)
    {
        FieldSelector selector;
        try
        {
            selector = FieldSelector.Parse(fieldSelector);
        }
        catch (FormatException)
        {
            return null;
        }
        foreach (var term in selector.Terms)
        {
            if (term.Field is "metadata.name" or "metadata.namespace" || type.SelectableFields.Contains(term.Field)) continue;
            // Kinds with a conversion function of their own say it one way, the default conversion another.
            return ApiStatus.BadRequest(type.SelectableFields.Count > 0
                ? $"field label not supported: {term.Field}"
                : $"\"{term.Field}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        }
        return null;
    }
}

using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <summary>A list's <c>+listType</c>: "atomic", "map" (items keyed by <paramref name="MapKeys"/>) or "set".</summary>
public sealed record ListType(string Type, IReadOnlyList<string> MapKeys)
{
    public static readonly ListType Atomic = new("atomic", []);
    public static readonly ListType Set = new("set", []);

    public static ListType Map(params string[] keys) => new("map", keys);
}

/// <summary>
/// The <c>+listType</c> tags of the Kubernetes API types (k8s.io/api v1.32) that
/// <see cref="PatchStrategies"/> cannot tell: lists tagged map or set without a patch strategy, and
/// lists tagged atomic although they merge by key in a strategic merge patch. Server-side apply and
/// the OpenAPI documents follow the tag; a list in neither table and without a merge strategy is atomic.
/// </summary>
public static class ListTypes
{
    private static readonly Dictionary<(Type, string), ListType> Tagged = new()
    {
        // +listType=atomic over a patchStrategy=merge: owned and applied whole.
        [(typeof(V1JobStatus), "conditions")] = ListType.Atomic,
        [(typeof(V1PodStatus), "hostIPs")] = ListType.Atomic,

        [(typeof(V1ResourceRequirements), "claims")] = ListType.Map("name"),
        [(typeof(V1ResourceStatus), "resources")] = ListType.Map("resourceID"),
        [(typeof(V1UncountedTerminatedPods), "succeeded")] = ListType.Set,
        [(typeof(V1UncountedTerminatedPods), "failed")] = ListType.Set,
        [(typeof(V1PodFailurePolicyOnExitCodesRequirement), "values")] = ListType.Set,
        [(typeof(V1Endpoint), "addresses")] = ListType.Set,
        [(typeof(V1CSIDriverSpec), "volumeLifecycleModes")] = ListType.Set,
    };

    /// <summary>The list type of a list field, from its tag or else its patch strategy.</summary>
    public static ListType Of(Type modelType, string jsonField)
    {
        if (Tagged.TryGetValue((modelType, jsonField), out var tagged)) return tagged;
        return PatchStrategies.Lookup(modelType, jsonField) switch
        {
            { MapKeys: { Count: > 0 } keys } => ListType.Map([.. keys]),
            { Merges: true, MergeKey: null } => ListType.Set,
            _ => ListType.Atomic,
        };
    }

    /// <summary>The tag of a list field when the patch strategy does not tell it.</summary>
    public static ListType? Explicit(Type modelType, string jsonField) => Tagged.GetValueOrDefault((modelType, jsonField));
}

using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// The strategies whose AllowCreateOnUpdate is true: a PUT of one that does not exist creates it
/// (201), as `kubectl replace` and leader election rely on; for every other kind it is a 404.
/// </summary>
public static class CreateOnUpdate
{
    private static readonly HashSet<string> Kinds = new(StringComparer.Ordinal)
    {
        "Service", "Endpoints", "Event", "LimitRange", "Lease", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding",
        "PodDisruptionBudget", "RuntimeClass",
    };

    public static bool Allowed(ResourceType type) => type.Custom is null && Kinds.Contains(type.Kind);
}

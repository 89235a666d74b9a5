using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.OpenApi;

/// <summary>Kubernetes' operationIds: listCoreV1NamespacedPod, patchAppsV1NamespacedDeploymentStatus, ...</summary>
public static class OperationNames
{
    public static string Group(ResourceType type) => type.Group switch
    {
        "" => "Core",
        var g => string.Concat(g.Split('.')[0].Split('-').Select(Pascal)),
    };

    public static string Version(ResourceType type) => Pascal(type.Version);

    public static string Of(string verb, ResourceType type, string? subresource = null, bool allNamespaces = false)
    {
        var scope = type.Namespaced && !allNamespaces ? "Namespaced" : "";
        var suffix = allNamespaces ? "ForAllNamespaces" : "";
        return $"{verb}{Group(type)}{Version(type)}{scope}{type.Kind}{(subresource is null ? "" : Pascal(subresource))}{suffix}";
    }

    private static string Pascal(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

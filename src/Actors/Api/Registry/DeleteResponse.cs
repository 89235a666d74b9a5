using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// What a DELETE answers once the object is gone: the registries built with ReturnDeletedObject
/// (pkg/registry/.../storage/storage.go) return the deleted object, every other one a Success
/// Status. Clients decode the answer by kind: the C# client, given a Status for a Service, throws.
/// </summary>
public static class DeleteResponse
{
    private static readonly HashSet<string> ReturnDeletedObject = new(StringComparer.Ordinal)
    {
        "pods", "services", "serviceaccounts", "persistentvolumeclaims", "persistentvolumes", "namespaces",
        "resourcequotas", "podtemplates",
        "storageclasses.storage.k8s.io", "volumeattachments.storage.k8s.io", "csidrivers.storage.k8s.io", "csinodes.storage.k8s.io",
    };

    public static bool ReturnsObject(ResourceType type) => ReturnDeletedObject.Contains(type.GroupResource);
}

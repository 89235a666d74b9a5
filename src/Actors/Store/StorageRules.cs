using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// What the store does differently per resource, as kube-apiserver's registry strategies do:
/// which kinds track metadata.generation, which keep status behind a subresource.
/// </summary>
public static class StorageRules
{
    private static readonly HashSet<string> GenerationTracked = new(StringComparer.Ordinal)
    {
        "replicationcontrollers", "deployments.apps", "replicasets.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch", "cronjobs.batch",
        "poddisruptionbudgets.policy", "ingresses.networking.k8s.io", "ingressclasses.networking.k8s.io", "networkpolicies.networking.k8s.io",
        "customresourcedefinitions.apiextensions.k8s.io",
        "endpointslices.discovery.k8s.io", "validatingwebhookconfigurations.admissionregistration.k8s.io", "mutatingwebhookconfigurations.admissionregistration.k8s.io",
    };

    public const string CustomResourceDefinitions = "customresourcedefinitions.apiextensions.k8s.io";

    /// <summary>endpointSliceStrategy: any change but to metadata, or a change of its labels, is a new generation.</summary>
    public const string EndpointSlices = "endpointslices.discovery.k8s.io";

    private static readonly Dictionary<string, ResourceType> ByGroupResource =
        ResourceCatalog.Stored.ToDictionary(r => r.GroupResource);

    /// <summary>A built-in resource, else the storage version of a custom one the process knows a definition of.</summary>
    public static ResourceType? Type(string groupResource) =>
        ByGroupResource.GetValueOrDefault(groupResource) ?? Api.CustomResources.CustomResourceRegistry.StorageOf(groupResource);

    /// <summary>Custom resources track generation too (customResourceStrategy), over everything but metadata and a subresource's status.</summary>
    public static bool TracksGeneration(string groupResource) =>
        GenerationTracked.Contains(groupResource) || Type(groupResource)?.Custom is not null;

    /// <summary>
    /// The part of a generation-tracking object whose change is a new generation: its spec, or for
    /// the webhook configurations, which have none, their webhooks.
    /// </summary>
    public static string GenerationSource(string groupResource) =>
        groupResource.EndsWith("webhookconfigurations.admissionregistration.k8s.io", StringComparison.Ordinal) ? "webhooks" : "spec";

    /// <summary>
    /// A /status write that also stores the metadata.annotations it carries: deploymentStatusStrategy
    /// resets only spec and labels, and the deployment controller records the revision annotation
    /// through UpdateStatus.
    /// </summary>
    public static bool StatusWritesAnnotations(string groupResource) => groupResource == "deployments.apps";

    /// <summary>Updates through the main resource keep the old status when status has its own subresource.</summary>
    public static bool HasStatusSubresource(ResourceType? type) => type?.Subresources.Contains("status") == true;

    public static bool IsNamespaced(string groupResource) => Type(groupResource)?.Namespaced ?? true;

    /// <summary>
    /// The fields a resource's lists can be answered from an index for: its selectable fields, and
    /// metadata.namespace where it varies (all-namespace lists selecting one namespace).
    /// </summary>
    public static IEnumerable<string> IndexedFields(string groupResource) =>
        (IsNamespaced(groupResource) ? ["metadata.namespace"] : Array.Empty<string>())
            .Concat(Type(groupResource)?.SelectableFields ?? []);
}

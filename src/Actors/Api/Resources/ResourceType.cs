namespace Akka.KubeEmu.Actors.Api.Resources;

/// <summary>
/// One REST resource the API server serves, described the way discovery describes it
/// (<c>APIResource</c>) plus what the emulator needs to store and print it.
/// </summary>
/// <param name="Group">API group, "" for the core group.</param>
/// <param name="Version">The one served (and stored) version.</param>
/// <param name="Kind">Object kind, e.g. "Pod".</param>
/// <param name="Plural">Resource name in URLs, e.g. "pods".</param>
/// <param name="Singular">Singular name, e.g. "pod".</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="ModelType">The official KubernetesClient model type (k8s.Models), used for schemas and typed access.</param>
/// <param name="ShortNames">kubectl short names, e.g. "po".</param>
/// <param name="Categories">Discovery categories, e.g. "all".</param>
/// <param name="Subresources">Served subresources, e.g. "status", "binding".</param>
/// <param name="SelectableFields">Field paths a field selector may use besides metadata.name/namespace.</param>
public sealed record ResourceType(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    Type ModelType,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Subresources,
    IReadOnlyList<string> SelectableFields)
{
    /// <summary>Verbs every resource supports in this emulator.</summary>
    public static readonly IReadOnlyList<string> StandardVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>"v1" for the core group, else "group/version".</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"pods" or "deployments.apps": the key the store files objects under.</summary>
    public string GroupResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";

    public IReadOnlyList<string> Verbs { get; init; } = StandardVerbs;

    /// <summary>What a CustomResourceDefinition says of this version; null for built-in kinds.</summary>
    public CustomResources.CustomResourceVersion? Custom { get; init; }
}

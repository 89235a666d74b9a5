namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>The <c>fieldValidation</c> query parameter.</summary>
public enum FieldValidation { Ignore, Warn, Strict }

/// <summary>Options every write request may carry (query parameters dryRun, fieldValidation, fieldManager).</summary>
public sealed record WriteOptions(bool DryRun = false, FieldValidation FieldValidation = FieldValidation.Warn, string? FieldManager = null)
{
    public static readonly WriteOptions Default = new();

    /// <summary>Fields the request body named twice (Go's paths), which fieldValidation judges as it does unknown ones.</summary>
    public IReadOnlyList<string> DuplicateFields { get; init; } = [];

    /// <summary>
    /// The RBAC escalation check of the requesting user, for writes of roles and bindings; null for
    /// the emulator's own components, which are privileged as kube-apiserver's loopback client is.
    /// </summary>
    public Rbac.EscalationCheck? Escalation { get; init; }

    /// <summary>The <c>force</c> parameter: set only by apply patches, which take other managers' fields with it.</summary>
    public bool? Force { get; init; }

    /// <summary>The manager when no fieldManager is named: the User-Agent up to its first "/" (managerOrUserAgent).</summary>
    public string? UserAgentManager { get; init; }

    /// <summary>The subresource a write through the parent counts as in managedFields ("scale").</summary>
    public string? ManagedSubresource { get; init; }

    /// <summary>Who this write's changed fields belong to in metadata.managedFields.</summary>
    public string Manager => FieldManager ?? UserAgentManager ?? "";
}

/// <summary>metav1.DeleteOptions, from the body or the query.</summary>
/// <param name="PropagationPolicy">Orphan, Background or Foreground; null: the resource's default.</param>
/// <param name="OrphanDependents">The deprecated orphanDependents: true is Orphan, false Background.</param>
public sealed record DeleteRequest(
    long? GracePeriodSeconds = null,
    string? PropagationPolicy = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false,
    bool? OrphanDependents = null)
{
    /// <summary>The policy the store applies: the one named, or the one orphanDependents stands for.</summary>
    public string? EffectivePropagationPolicy => OrphanDependents switch
    {
        true => Store.GarbageCollectionPolicy.Orphan,
        false => Store.GarbageCollectionPolicy.Background,
        null => PropagationPolicy,
    };

    /// <summary>
    /// The dryRun values as sent, which ValidateDeleteOptions checks (only "All" is one);
    /// <see cref="DryRun"/> is what they mean once valid.
    /// </summary>
    public IReadOnlyList<string> DryRunValues { get; init; } = DryRun ? ["All"] : [];
}

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// metav1.DeletionPropagation and the deletion side of the garbage collector in kube-apiserver's
/// generic registry (registry/generic/registry/store.go: shouldOrphanDependents,
/// shouldDeleteDependents, deletionFinalizersForGarbageCollection): which of the two garbage
/// collector finalizers a DELETE leaves on the object.
/// </summary>
public static class GarbageCollectionPolicy
{
    public const string Orphan = "Orphan";
    public const string Background = "Background";
    public const string Foreground = "Foreground";

    /// <summary>metav1.FinalizerOrphanDependents: the garbage collector orphans the dependents, then removes it.</summary>
    public const string OrphanFinalizer = "orphan";

    /// <summary>metav1.FinalizerDeleteDependents: the object stays until its blocking dependents are gone.</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    public static readonly IReadOnlyList<string> Policies = [Foreground, Background, Orphan];

    /// <summary>
    /// The strategy's DefaultGarbageCollectionPolicy for a storage resource when a DELETE names
    /// none: batch/v1 Jobs and core/v1 ReplicationControllers orphan (OrphanDependents, kept for
    /// backward compatibility); everything else deletes its dependents in the background.
    /// </summary>
    public static string DefaultFor(string groupResource) =>
        groupResource is "jobs.batch" or "replicationcontrollers" ? Orphan : Background;

    /// <summary>
    /// The finalizers the object should have after a DELETE with <paramref name="policy"/> (null: none
    /// given), or null when they stay as they are. In order of precedence: the request's policy, a
    /// garbage collector finalizer the object already has (the first one listed wins), the
    /// resource's default. Other finalizers are kept in their order.
    /// </summary>
    public static IReadOnlyList<string>? FinalizersAfterDelete(string groupResource, IReadOnlyList<string> finalizers, string? policy)
    {
        var shouldOrphan = policy switch
        {
            Orphan => true,
            Background or Foreground => false,
            _ => FirstGcFinalizer(finalizers) is { } f ? f == OrphanFinalizer : DefaultFor(groupResource) == Orphan,
        };
        var shouldDeleteInForeground = policy switch
        {
            Foreground => true,
            Background or Orphan => false,
            _ => FirstGcFinalizer(finalizers) == ForegroundFinalizer,
        };
        var next = finalizers.Where(f => f is not (OrphanFinalizer or ForegroundFinalizer)).ToList();
        if (shouldOrphan) next.Add(OrphanFinalizer);
        if (shouldDeleteInForeground) next.Add(ForegroundFinalizer);
        return next.ToHashSet(StringComparer.Ordinal).SetEquals(finalizers) ? null : next;
    }

    private static string? FirstGcFinalizer(IReadOnlyList<string> finalizers) =>
        finalizers.FirstOrDefault(f => f is OrphanFinalizer or ForegroundFinalizer);
}

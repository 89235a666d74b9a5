namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>The 409 an apply gets when other managers own fields it would change (NewConflictError).</summary>
public static class ApplyConflicts
{
    public const string CauseType = "FieldManagerConflict";

    public static ApiStatus Status(IReadOnlyList<FieldConflict> conflicts) =>
        new(409, "Conflict", Message(conflicts), new StatusDetails(Causes: conflicts
            .Select(c => new StatusCause(CauseType, $"conflict with {c.Manager.Printed}", FieldPath.Render(c.Path))).ToArray()));

    /// <summary>"Apply failed with 1 conflict: conflict with "m": .spec.replicas", or one block per manager.</summary>
    public static string Message(IReadOnlyList<FieldConflict> conflicts)
    {
        if (conflicts.Count == 1)
            return $"Apply failed with 1 conflict: conflict with {conflicts[0].Manager.Printed}: {FieldPath.Render(conflicts[0].Path)}";
        var lines = conflicts.GroupBy(c => c.Manager.Printed).OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.Select(c => $"- {FieldPath.Render(c.Path)}").Prepend($"conflicts with {g.Key}:"));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}

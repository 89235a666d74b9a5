using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Disruption;

/// <summary>
/// The arithmetic of pkg/controller/disruption: how many pods a budget wants healthy, which
/// evictions it still waits for (disruptedPods, kept for <see cref="DeletionTimeout"/>), how many
/// pods count as healthy, and the status that follows.
/// </summary>
public static class DisruptionStatus
{
    /// <summary>DeletionTimeout: how long an eviction the API granted is waited for before it is given up.</summary>
    public static readonly TimeSpan DeletionTimeout = TimeSpan.FromMinutes(2);

    public sealed record Desired(int ExpectedCount, int DesiredHealthy, bool NeedsScale);

    /// <summary>
    /// getExpectedPodCount. maxUnavailable (and a percentage minAvailable) need the owners' scale;
    /// an integer minAvailable counts the selected pods. Percentages round up.
    /// </summary>
    public static (int DesiredHealthy, string? Error) DesiredHealthy(V1PodDisruptionBudgetSpec spec, int expectedCount)
    {
        if (spec.MaxUnavailable is { } maxUnavailable)
        {
            var (max, error) = Scaled(maxUnavailable, expectedCount);
            return error is not null ? (0, error) : (Math.Max(0, expectedCount - max), null);
        }
        if (spec.MinAvailable is { } minAvailable) return Scaled(minAvailable, expectedCount);
        return (0, null);
    }

    /// <summary>Whether the expected count comes from the owners' scale rather than the number of pods.</summary>
    public static bool NeedsScale(V1PodDisruptionBudgetSpec spec) =>
        spec.MaxUnavailable is not null || (spec.MinAvailable is { } min && !IsInt(min));

    /// <summary>
    /// buildDisruptedPodMap: the evictions still expected to happen; an entry older than the
    /// timeout is dropped (the pod is reported NotDeleted). Also when the next entry runs out.
    /// </summary>
    public static (Dictionary<string, DateTime> Disrupted, DateTimeOffset? RecheckAt, IReadOnlyList<V1Pod> NotDeleted) DisruptedPods(
        IReadOnlyList<V1Pod> pods, IDictionary<string, DateTime?>? recorded, DateTimeOffset now)
    {
        var result = new Dictionary<string, DateTime>(StringComparer.Ordinal);
        var notDeleted = new List<V1Pod>();
        DateTimeOffset? recheck = null;
        if (recorded is null) return (result, null, notDeleted);
        foreach (var pod in pods)
        {
            if (pod.Metadata.DeletionTimestamp is not null) continue;
            if (!recorded.TryGetValue(pod.Metadata.Name, out var recordedAt) || recordedAt is not { } at) continue;
            var expectedDeletion = new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) + DeletionTimeout;
            if (expectedDeletion < now)
            {
                notDeleted.Add(pod);
                continue;
            }
            if (recheck is null || expectedDeletion < recheck) recheck = expectedDeletion;
            result[pod.Metadata.Name] = at;
        }
        return (result, recheck, notDeleted);
    }

    /// <summary>countHealthyPods: Ready pods not being deleted and not about to be.</summary>
    public static int CountHealthy(IReadOnlyList<V1Pod> pods, IReadOnlyDictionary<string, DateTime> disrupted, DateTimeOffset now)
    {
        var healthy = 0;
        foreach (var pod in pods)
        {
            if (pod.Metadata.DeletionTimestamp is not null) continue;
            if (disrupted.TryGetValue(pod.Metadata.Name, out var at)
                && new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) + DeletionTimeout > now) continue;
            if (pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true) healthy++;
        }
        return healthy;
    }

    /// <summary>
    /// updatePdbStatus: the new status of <paramref name="pdb"/> as JSON, or null when it already
    /// says all this (counters, disrupted pods, observed generation and an up-to-date condition).
    /// </summary>
    public static JsonObject? Updated(V1PodDisruptionBudget pdb, int currentHealthy, int desiredHealthy, int expectedCount,
        IReadOnlyDictionary<string, DateTime> disrupted, DateTimeOffset now)
    {
        var allowed = currentHealthy - desiredHealthy;
        if (expectedCount <= 0 || allowed <= 0) allowed = 0;
        var status = pdb.Status;
        var generation = pdb.Metadata.Generation ?? 0;
        if (status is not null && status.CurrentHealthy == currentHealthy && status.DesiredHealthy == desiredHealthy
            && status.ExpectedPods == expectedCount && status.DisruptionsAllowed == allowed
            && SameDisrupted(status.DisruptedPods, disrupted) && status.ObservedGeneration == generation
            && ConditionUpToDate(status)) return null;

        var json = KubeModels.ToJsonObject(pdb);
        var conditions = KubeObject.At(json, "status.conditions")?.DeepClone();
        var newStatus = new JsonObject
        {
            ["disruptionsAllowed"] = allowed,
            ["currentHealthy"] = currentHealthy,
            ["desiredHealthy"] = desiredHealthy,
            ["expectedPods"] = expectedCount,
            ["observedGeneration"] = generation,
        };
        if (disrupted.Count > 0)
            newStatus["disruptedPods"] = new JsonObject(disrupted.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Timestamp(p.Value))));
        if (conditions is not null) newStatus["conditions"] = conditions;
        json["status"] = newStatus;
        DisruptionAllowedCondition.Update(json, now);
        return json;
    }

    /// <summary>ConditionsAreUpToDate: the condition exists for this observed generation and agrees with disruptionsAllowed.</summary>
    private static bool ConditionUpToDate(V1PodDisruptionBudgetStatus status)
    {
        var c = status.Conditions?.FirstOrDefault(x => x.Type == DisruptionAllowedCondition.Type);
        if (c is null || c.ObservedGeneration != status.ObservedGeneration) return false;
        return status.DisruptionsAllowed > 0
            ? c.Status == "True" && c.Reason == DisruptionAllowedCondition.SufficientPods
            : c.Status == "False" && c.Reason == DisruptionAllowedCondition.InsufficientPods;
    }

    private static bool SameDisrupted(IDictionary<string, DateTime?>? a, IReadOnlyDictionary<string, DateTime> b) =>
        (a?.Count ?? 0) == b.Count && (a is null || a.All(p => p.Value is { } v && b.TryGetValue(p.Key, out var t) && Timestamp(t) == Timestamp(v)));

    private static string Timestamp(DateTime t) => KubeObject.Timestamp(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)));

    private static bool IsInt(IntOrString value) => int.TryParse(value.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>intstr.GetScaledValueFromIntOrPercent(value, total, roundUp: true), its error as text.</summary>
    private static (int Value, string? Error) Scaled(IntOrString value, int total)
    {
        try
        {
            return (Deployment.DeploymentUtil.ScaledValue(value, total, roundUp: true), null);
        }
        catch (FormatException e)
        {
            return (0, e.Message);
        }
    }
}

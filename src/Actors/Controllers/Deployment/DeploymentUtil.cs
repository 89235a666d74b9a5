using System.Globalization;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Deployment;

/// <summary>
/// pkg/controller/deployment/util (deployment_util.go) and the ReplicaSet helpers of pkg/controller:
/// the arithmetic of a rollout (fenceposts, surge, proportions), the annotations the controller
/// keeps on ReplicaSets, and the conditions it keeps on Deployments. Pure functions over the typed
/// models; nothing here talks to the API.
/// </summary>
public static class DeploymentUtil
{
    /// <summary>The revision of a ReplicaSet (and of its Deployment): its rollout sequence number.</summary>
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    /// <summary>The earlier revisions a ReplicaSet served (it was rolled back to).</summary>
    public const string RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";

    /// <summary>The Deployment's replicas when the ReplicaSet was last scaled (tells scaling events from rollouts).</summary>
    public const string DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";

    /// <summary>The Deployment's replicas + maxSurge when the ReplicaSet was last scaled (proportional scaling).</summary>
    public const string MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

    /// <summary>The round-tripped extensions/v1beta1 spec.rollbackTo.</summary>
    public const string DeprecatedRollbackTo = "deprecated.deployment.rollback.to";

    public const string LastAppliedConfigAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>apps.DefaultDeploymentUniqueLabelKey.</summary>
    public const string PodTemplateHashLabel = "pod-template-hash";

    /// <summary>The length the revision history annotation may grow to.</summary>
    public const int MaxRevHistoryLengthInChars = 2000;

    public const string RollingUpdateStrategy = "RollingUpdate";
    public const string RecreateStrategy = "Recreate";

    // Condition types and reasons.
    public const string Available = "Available";
    public const string Progressing = "Progressing";
    public const string ReplicaFailure = "ReplicaFailure";
    public const string ReplicaSetUpdatedReason = "ReplicaSetUpdated";
    public const string FailedRSCreateReason = "ReplicaSetCreateError";
    public const string NewReplicaSetReason = "NewReplicaSetCreated";
    public const string FoundNewRSReason = "FoundNewReplicaSet";
    public const string NewRSAvailableReason = "NewReplicaSetAvailable";
    public const string TimedOutReason = "ProgressDeadlineExceeded";
    public const string PausedDeployReason = "DeploymentPaused";
    public const string ResumedDeployReason = "DeploymentResumed";
    public const string MinimumReplicasAvailable = "MinimumReplicasAvailable";
    public const string MinimumReplicasUnavailable = "MinimumReplicasUnavailable";

    private static readonly HashSet<string> AnnotationsToSkip = new(StringComparer.Ordinal)
    {
        LastAppliedConfigAnnotation, RevisionAnnotation, RevisionHistoryAnnotation, DesiredReplicasAnnotation,
        MaxReplicasAnnotation, DeprecatedRollbackTo,
    };

    // ---- counts ----

    /// <summary>spec.replicas (defaulted to 1 by the API).</summary>
    public static int Replicas(V1Deployment d) => d.Spec?.Replicas ?? 1;

    public static int Replicas(V1ReplicaSet rs) => rs.Spec?.Replicas ?? 1;

    /// <summary>GetReplicaCountForReplicaSets: the sum of spec.replicas.</summary>
    public static int ReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs is null ? 0 : Replicas(rs));

    /// <summary>GetActualReplicaCountForReplicaSets: the sum of status.replicas.</summary>
    public static int ActualReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.Replicas ?? 0);

    public static int ReadyReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.ReadyReplicas ?? 0);

    public static int AvailableReplicaCount(IEnumerable<V1ReplicaSet?> rss) => rss.Sum(rs => rs?.Status?.AvailableReplicas ?? 0);

    /// <summary>FilterActiveReplicaSets: those with spec.replicas &gt; 0.</summary>
    public static List<V1ReplicaSet> FilterActive(IEnumerable<V1ReplicaSet?> rss) =>
        rss.Where(rs => rs is not null && Replicas(rs) > 0).Select(rs => rs!).ToList();

    // ---- fenceposts ----

    public static bool IsRollingUpdate(V1Deployment d) => (d.Spec?.Strategy?.Type ?? RollingUpdateStrategy) == RollingUpdateStrategy;

    /// <summary>
    /// intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of <paramref name="total"/> rounded
    /// up or down; a null value is 0.
    /// </summary>
    public static int ScaledValue(IntOrString? value, int total, bool roundUp)
    {
        var text = value?.Value;
        if (string.IsNullOrEmpty(text)) return 0;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return number;
        if (!text.EndsWith('%') || !int.TryParse(text[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
            throw new FormatException($"invalid value for IntOrString: invalid type: string is not a percentage");
        var scaled = (double)percent * total / 100;
        return (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
    }

    /// <summary>
    /// ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, and when both come to 0
    /// maxUnavailable is 1 (validation forbids 0/0, but rounding down can reach it).
    /// </summary>
    public static (int MaxSurge, int MaxUnavailable) ResolveFenceposts(IntOrString? maxSurge, IntOrString? maxUnavailable, int desired)
    {
        var surge = ScaledValue(maxSurge, desired, roundUp: true);
        var unavailable = ScaledValue(maxUnavailable, desired, roundUp: false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, unavailable);
    }

    /// <summary>How many pods a rolling Deployment may run above its replicas.</summary>
    public static int MaxSurge(V1Deployment d)
    {
        if (!IsRollingUpdate(d)) return 0;
        var rolling = d.Spec?.Strategy?.RollingUpdate;
        return ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, Replicas(d)).MaxSurge;
    }

    /// <summary>How many of its replicas a rolling Deployment may have unavailable (never more than its replicas).</summary>
    public static int MaxUnavailable(V1Deployment d)
    {
        if (!IsRollingUpdate(d) || Replicas(d) == 0) return 0;
        var rolling = d.Spec?.Strategy?.RollingUpdate;
        var (_, unavailable) = ResolveFenceposts(rolling?.MaxSurge, rolling?.MaxUnavailable, Replicas(d));
        return Math.Min(unavailable, Replicas(d));
    }

    /// <summary>
    /// NewRSNewReplicas: the size the new ReplicaSet may grow to now. Rolling: up to replicas + maxSurge
    /// pods in all, never above replicas; Recreate: replicas at once.
    /// </summary>
    public static int NewRSNewReplicas(V1Deployment d, IReadOnlyList<V1ReplicaSet?> allRSs, V1ReplicaSet newRS)
    {
        switch (d.Spec?.Strategy?.Type ?? RollingUpdateStrategy)
        {
            case RollingUpdateStrategy:
                var rolling = d.Spec?.Strategy?.RollingUpdate;
                var maxSurge = ScaledValue(rolling?.MaxSurge, Replicas(d), roundUp: true);
                var currentPodCount = ReplicaCount(allRSs);
                var maxTotalPods = Replicas(d) + maxSurge;
                if (currentPodCount >= maxTotalPods) return Replicas(newRS);
                var scaleUpCount = Math.Min(maxTotalPods - currentPodCount, Replicas(d) - Replicas(newRS));
                return Replicas(newRS) + scaleUpCount;
            case RecreateStrategy:
                return Replicas(d);
            default:
                throw new InvalidOperationException($"deployment type {d.Spec?.Strategy?.Type} isn't supported");
        }
    }

    /// <summary>IsSaturated: the new ReplicaSet runs exactly the Deployment's replicas, all available.</summary>
    public static bool IsSaturated(V1Deployment d, V1ReplicaSet? rs)
    {
        if (rs is null) return false;
        if (GetIntAnnotation(rs, DesiredReplicasAnnotation) is not { } desired) return false;
        return Replicas(rs) == Replicas(d) && desired == Replicas(d) && (rs.Status?.AvailableReplicas ?? 0) == Replicas(d);
    }

    // ---- proportional scaling ----

    /// <summary>
    /// GetProportion: how many of <paramref name="toAdd"/> (negative when scaling down) this ReplicaSet
    /// takes, by its share of the size the Deployment had when it was last scaled, never more than what
    /// is left to distribute.
    /// </summary>
    public static int GetProportion(V1ReplicaSet? rs, V1Deployment d, int toAdd, int added)
    {
        if (rs is null || Replicas(rs) == 0 || toAdd == added) return 0;
        var fraction = GetReplicaSetFraction(rs, d);
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }

    /// <summary>getReplicaSetFraction: the change that keeps the ReplicaSet's proportion of the new maximum size.</summary>
    public static int GetReplicaSetFraction(V1ReplicaSet rs, V1Deployment d)
    {
        if (Replicas(d) == 0) return -Replicas(rs);
        var deploymentMaxReplicas = Replicas(d) + MaxSurge(d);
        // Without the annotation, the Deployment's current size (not exact if other ReplicaSets were
        // scaled at other sizes, but the min/max in GetProportion keeps it within bounds).
        var annotated = GetIntAnnotation(rs, MaxReplicasAnnotation) ?? d.Status?.Replicas ?? 0;
        // Never proportionally scaled up from zero; Go would divide by zero here.
        if (annotated == 0) return 0;
        var size = (double)(Replicas(rs) * deploymentMaxReplicas) / annotated;
        return (int)Math.Round(size, MidpointRounding.AwayFromZero) - Replicas(rs);
    }

    /// <summary>FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active; null when several are.</summary>
    public static V1ReplicaSet? FindActiveOrLatest(V1ReplicaSet? newRS, IReadOnlyList<V1ReplicaSet> oldRSs)
    {
        if (newRS is null && oldRSs.Count == 0) return null;
        var newestFirst = oldRSs.OrderBy(rs => rs, ByCreationTimestamp).Reverse().ToList();
        var active = FilterActive(newestFirst.Append(newRS));
        return active.Count switch
        {
            0 => newRS ?? newestFirst[0],
            1 => active[0],
            _ => null,
        };
    }

    // ---- replica set annotations ----

    public static int? GetIntAnnotation(V1ReplicaSet rs, string key) =>
        rs.Metadata?.Annotations?.TryGetValue(key, out var text) == true &&
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>SetReplicasAnnotations: desired-replicas and max-replicas; true when either changed.</summary>
    public static bool SetReplicasAnnotations(V1ReplicaSet rs, int desiredReplicas, int maxReplicas)
    {
        rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var updated = false;
        var desired = desiredReplicas.ToString(CultureInfo.InvariantCulture);
        if (!rs.Metadata.Annotations.TryGetValue(DesiredReplicasAnnotation, out var has) || has != desired)
        {
            rs.Metadata.Annotations[DesiredReplicasAnnotation] = desired;
            updated = true;
        }
        var max = maxReplicas.ToString(CultureInfo.InvariantCulture);
        if (!rs.Metadata.Annotations.TryGetValue(MaxReplicasAnnotation, out has) || has != max)
        {
            rs.Metadata.Annotations[MaxReplicasAnnotation] = max;
            updated = true;
        }
        return updated;
    }

    public static bool ReplicasAnnotationsNeedUpdate(V1ReplicaSet rs, int desiredReplicas, int maxReplicas)
    {
        var annotations = rs.Metadata?.Annotations;
        if (annotations is null) return true;
        return !annotations.TryGetValue(DesiredReplicasAnnotation, out var desired) || desired != desiredReplicas.ToString(CultureInfo.InvariantCulture)
               || !annotations.TryGetValue(MaxReplicasAnnotation, out var max) || max != maxReplicas.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// SetNewReplicaSetAnnotations: copies the Deployment's annotations (kubernetes.io/change-cause
    /// among them; not the revision, replica counts, rollback or last-applied ones), raises the
    /// revision to <paramref name="newRevision"/> when lower (keeping the former one in the revision
    /// history: a rollback), and on creation sets the replica annotations. True when anything changed.
    /// </summary>
    public static bool SetNewReplicaSetAnnotations(V1Deployment d, V1ReplicaSet newRS, string newRevision, bool exists,
        int revHistoryLimitInChars = MaxRevHistoryLengthInChars)
    {
        var changed = CopyDeploymentAnnotationsToReplicaSet(d, newRS);
        newRS.Metadata.Annotations ??= new Dictionary<string, string>();
        var annotations = newRS.Metadata.Annotations;
        var hadRevision = annotations.TryGetValue(RevisionAnnotation, out var oldRevision);
        oldRevision ??= "";
        long oldRevisionInt;
        if (oldRevision.Length == 0) oldRevisionInt = 0;
        else if (!long.TryParse(oldRevision, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out oldRevisionInt)) return false;
        if (!long.TryParse(newRevision, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var newRevisionInt)) return false;
        if (oldRevisionInt < newRevisionInt)
        {
            annotations[RevisionAnnotation] = newRevision;
            changed = true;
        }
        // A revision that existed and is raised: a rollback to this ReplicaSet; its former revisions are history.
        if (hadRevision && oldRevisionInt < newRevisionInt)
        {
            var history = annotations.TryGetValue(RevisionHistoryAnnotation, out var h) ? h : "";
            var oldRevisions = history.Split(',').ToList();
            if (oldRevisions[0].Length == 0) annotations[RevisionHistoryAnnotation] = oldRevision;
            else
            {
                var totalLen = history.Length + oldRevision.Length + 1;
                var start = 0;
                while (totalLen > revHistoryLimitInChars && start < oldRevisions.Count)
                {
                    totalLen = totalLen - oldRevisions[start].Length - 1;
                    start++;
                }
                if (totalLen <= revHistoryLimitInChars)
                    annotations[RevisionHistoryAnnotation] = string.Join(",", oldRevisions.Skip(start).Append(oldRevision));
            }
        }
        if (!exists && SetReplicasAnnotations(newRS, Replicas(d), Replicas(d) + MaxSurge(d))) changed = true;
        return changed;
    }

    /// <summary>copyDeploymentAnnotationsToReplicaSet: adds or changes, never removes.</summary>
    public static bool CopyDeploymentAnnotationsToReplicaSet(V1Deployment d, V1ReplicaSet rs)
    {
        rs.Metadata.Annotations ??= new Dictionary<string, string>();
        var changed = false;
        foreach (var (k, v) in d.Metadata?.Annotations ?? new Dictionary<string, string>())
        {
            if (AnnotationsToSkip.Contains(k) || (rs.Metadata.Annotations.TryGetValue(k, out var has) && has == v)) continue;
            rs.Metadata.Annotations[k] = v;
            changed = true;
        }
        return changed;
    }

    /// <summary>SetDeploymentRevision: true when the Deployment's revision annotation changed.</summary>
    public static bool SetDeploymentRevision(V1Deployment d, string? revision)
    {
        d.Metadata.Annotations ??= new Dictionary<string, string>();
        revision ??= "";
        if (d.Metadata.Annotations.TryGetValue(RevisionAnnotation, out var has) && has == revision) return false;
        d.Metadata.Annotations[RevisionAnnotation] = revision;
        return true;
    }

    /// <summary>The revision annotation; 0 when absent, null when it does not parse.</summary>
    public static long? Revision(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj.Metadata?.Annotations?.TryGetValue(RevisionAnnotation, out var text) != true) return 0;
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    /// <summary>MaxRevision: the highest revision among the ReplicaSets (unparsable ones skipped).</summary>
    public static long MaxRevision(IEnumerable<V1ReplicaSet> rss) => rss.Select(rs => Revision(rs) ?? 0).DefaultIfEmpty(0).Max();

    // ---- which replica sets ----

    /// <summary>
    /// FindNewReplicaSet: the ReplicaSet whose template is the Deployment's (ignoring pod-template-hash);
    /// the oldest when several are (possible after upgrades, kubernetes#40415).
    /// </summary>
    public static V1ReplicaSet? FindNewReplicaSet(V1Deployment d, IEnumerable<V1ReplicaSet> rsList) =>
        rsList.OrderBy(rs => rs, ByCreationTimestamp).FirstOrDefault(rs => PodTemplateHash.EqualIgnoreHash(rs.Spec?.Template, d.Spec?.Template));

    /// <summary>FindOldReplicaSets: every other ReplicaSet (all), and those of them with replicas (active).</summary>
    public static (List<V1ReplicaSet> Active, List<V1ReplicaSet> All) FindOldReplicaSets(V1Deployment d, IEnumerable<V1ReplicaSet> rsList)
    {
        var list = rsList.ToList();
        var newRS = FindNewReplicaSet(d, list);
        var all = list.Where(rs => newRS is null || rs.Metadata.Uid != newRS.Metadata.Uid).ToList();
        return (all.Where(rs => Replicas(rs) != 0).ToList(), all);
    }

    // ---- orderings (pkg/controller's sort types) ----

    /// <summary>ReplicaSetsByCreationTimestamp: oldest first, then by name.</summary>
    public static readonly IComparer<V1ReplicaSet> ByCreationTimestamp = Comparer<V1ReplicaSet>.Create(CompareByCreation);

    /// <summary>ReplicaSetsBySizeOlder: largest first; among equals the older first (who scales down first).</summary>
    public static readonly IComparer<V1ReplicaSet> BySizeOlder = Comparer<V1ReplicaSet>.Create((a, b) =>
        Replicas(a) == Replicas(b) ? CompareByCreation(a, b) : Replicas(b).CompareTo(Replicas(a)));

    /// <summary>ReplicaSetsBySizeNewer: largest first; among equals the newer first (who scales up first).</summary>
    public static readonly IComparer<V1ReplicaSet> BySizeNewer = Comparer<V1ReplicaSet>.Create((a, b) =>
        Replicas(a) == Replicas(b) ? CompareByCreation(b, a) : Replicas(b).CompareTo(Replicas(a)));

    /// <summary>ReplicaSetsByRevision: lowest revision first, then by creation.</summary>
    public static readonly IComparer<V1ReplicaSet> ByRevision = Comparer<V1ReplicaSet>.Create((a, b) =>
    {
        var ra = Revision(a) ?? 0;
        var rb = Revision(b) ?? 0;
        return ra == rb ? CompareByCreation(a, b) : ra.CompareTo(rb);
    });

    private static int CompareByCreation(V1ReplicaSet a, V1ReplicaSet b)
    {
        var ta = a.Metadata?.CreationTimestamp ?? DateTime.MinValue;
        var tb = b.Metadata?.CreationTimestamp ?? DateTime.MinValue;
        return ta == tb ? string.CompareOrdinal(a.Metadata?.Name, b.Metadata?.Name) : ta.CompareTo(tb);
    }

    // ---- conditions ----

    /// <summary>NewDeploymentCondition, at <paramref name="now"/> (metav1.Time keeps whole seconds).</summary>
    public static V1DeploymentCondition NewCondition(string type, string status, string reason, string message, DateTimeOffset now)
    {
        var at = Seconds(now);
        return new V1DeploymentCondition
        {
            Type = type,
            Status = status,
            LastUpdateTime = at,
            LastTransitionTime = at,
            Reason = reason,
            Message = message,
        };
    }

    public static DateTime Seconds(DateTimeOffset now) =>
        new(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);

    public static V1DeploymentCondition? GetCondition(V1DeploymentStatus? status, string type) =>
        status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>
    /// SetDeploymentCondition: a condition of the same status and reason is left as it is; one of
    /// the same status keeps its lastTransitionTime; it goes to the end of the list.
    /// </summary>
    public static void SetCondition(V1DeploymentStatus status, V1DeploymentCondition condition)
    {
        var current = GetCondition(status, condition.Type);
        if (current is not null && current.Status == condition.Status && current.Reason == condition.Reason) return;
        if (current is not null && current.Status == condition.Status) condition.LastTransitionTime = current.LastTransitionTime;
        var conditions = status.Conditions?.Where(c => c.Type != condition.Type).ToList() ?? [];
        conditions.Add(condition);
        status.Conditions = conditions;
    }

    public static void RemoveCondition(V1DeploymentStatus status, string type)
    {
        if (status.Conditions is null) return;
        var rest = status.Conditions.Where(c => c.Type != type).ToList();
        status.Conditions = rest.Count == 0 ? null : rest;
    }

    public static bool HasProgressDeadline(V1Deployment d) =>
        d.Spec?.ProgressDeadlineSeconds is { } seconds && seconds != int.MaxValue;

    public static bool HasRevisionHistoryLimit(V1Deployment d) =>
        d.Spec?.RevisionHistoryLimit is { } limit && limit != int.MaxValue;

    /// <summary>DeploymentComplete: every replica updated and available, and the latest spec observed.</summary>
    public static bool DeploymentComplete(V1Deployment d, V1DeploymentStatus? status) =>
        (status?.UpdatedReplicas ?? 0) == Replicas(d) && (status?.Replicas ?? 0) == Replicas(d) &&
        (status?.AvailableReplicas ?? 0) == Replicas(d) && (status?.ObservedGeneration ?? 0) >= (d.Metadata?.Generation ?? 0);

    /// <summary>DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than the Deployment's status says.</summary>
    public static bool DeploymentProgressing(V1Deployment d, V1DeploymentStatus status)
    {
        var old = d.Status;
        var oldOld = (old?.Replicas ?? 0) - (old?.UpdatedReplicas ?? 0);
        var newOld = (status.Replicas ?? 0) - (status.UpdatedReplicas ?? 0);
        return (status.UpdatedReplicas ?? 0) > (old?.UpdatedReplicas ?? 0) || newOld < oldOld ||
               (status.ReadyReplicas ?? 0) > (old?.ReadyReplicas ?? 0) || (status.AvailableReplicas ?? 0) > (old?.AvailableReplicas ?? 0);
    }

    /// <summary>DeploymentTimedOut: the Progressing condition was last updated more than progressDeadlineSeconds ago.</summary>
    public static bool DeploymentTimedOut(V1Deployment d, V1DeploymentStatus status, DateTimeOffset now)
    {
        if (!HasProgressDeadline(d)) return false;
        var condition = GetCondition(status, Progressing);
        if (condition is null || condition.Reason == NewRSAvailableReason) return false;
        if (condition.Reason == TimedOutReason) return true;
        if (condition.LastUpdateTime is not { } from) return false;
        var deadline = DateTime.SpecifyKind(from, DateTimeKind.Utc) + TimeSpan.FromSeconds(d.Spec!.ProgressDeadlineSeconds!.Value);
        return deadline < now.UtcDateTime;
    }

    /// <summary>ReplicaSetToDeploymentCondition: a ReplicaSet's ReplicaFailure as the Deployment's.</summary>
    public static V1DeploymentCondition FromReplicaSetCondition(V1ReplicaSetCondition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        LastTransitionTime = c.LastTransitionTime,
        LastUpdateTime = c.LastTransitionTime,
        Reason = c.Reason,
        Message = c.Message,
    };

    /// <summary>A selector that selects everything (reflect.DeepEqual with an empty metav1.LabelSelector).</summary>
    public static bool SelectsEverything(V1LabelSelector? selector) =>
        selector is not null && (selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0;

    /// <summary>The same object the cache holds, deep-copied (cached objects are shared).</summary>
    public static T Copy<T>(T obj) where T : class => KubeModels.Clone(obj);
}

using System.Globalization;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using k8s.Models;
using static Akka.KubeEmu.Actors.Controllers.Deployment.DeploymentUtil;

namespace Akka.KubeEmu.Actors.Controllers.Deployment;

// syncDeployment and sync.go, rolling.go, recreate.go, progress.go: what one sync of a Deployment does.
public sealed partial class DeploymentController
{
    protected override async Task<SyncResult> Sync(string key)
    {
        var cached = _deployments.Get(key);
        // Deleted: its ReplicaSets go with it (garbage collector).
        if (cached?.Spec?.Template is null || cached.Metadata is null) return SyncResult.Done;
        var d = Copy(cached);
        try
        {
            return await SyncDeployment(d);
        }
        catch (ApiException e) when (e.Status.Code == 409)
        {
            return SyncResult.Retry; // a stale cache: back off, read again
        }
        catch (ApiException e) when (e.Status.Code == 403 && e.Status.Message.Contains("is being terminated", StringComparison.Ordinal))
        {
            return SyncResult.Done; // NamespaceTerminatingCause: every create will fail, nothing to do
        }
    }

    /// <summary>syncDeployment: one reconciliation, in Kubernetes' order of precedence: deleted, paused, scaled, rolled out.</summary>
    private async Task<SyncResult> SyncDeployment(V1Deployment d)
    {
        if (d.Spec?.Template is null) return SyncResult.Done;
        if (SelectsEverything(d.Spec?.Selector))
        {
            await Recorder.Event(d, EventRecorder.Warning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
            if ((d.Status?.ObservedGeneration ?? 0) < (d.Metadata.Generation ?? 0))
            {
                d.Status ??= new V1DeploymentStatus();
                d.Status.ObservedGeneration = d.Metadata.Generation;
                await Api.UpdateStatus(d);
            }
            return SyncResult.Done;
        }

        var rsList = await GetReplicaSetsForDeployment(d);
        // For Recreate: are old pods still running?
        var podMap = GetPodMapForDeployment(d, rsList);

        if (KubeModels.IsDeleting(d))
        {
            await SyncStatusOnly(d, rsList);
            return SyncResult.Done;
        }

        // An Unknown Progressing condition when pausing or resuming: a resumed Deployment does not time out for the pause.
        await CheckPausedConditions(d);

        if (d.Spec?.Paused == true)
        {
            await SyncScaleAndStatus(d, rsList);
            return SyncResult.Done;
        }

        if (await IsScalingEvent(d, rsList))
        {
            await SyncScaleAndStatus(d, rsList);
            return SyncResult.Done;
        }

        return d.Spec?.Strategy?.Type switch
        {
            RecreateStrategy => await RolloutRecreate(d, rsList, podMap),
            RollingUpdateStrategy or null => await RolloutRolling(d, rsList),
            var other => throw new InvalidOperationException($"unexpected deployment strategy type: {other}"),
        };
    }

    // ---- sync.go ----

    /// <summary>syncStatusOnly: a Deployment being deleted gets its status, nothing else.</summary>
    private async Task SyncStatusOnly(V1Deployment d, List<V1ReplicaSet> rsList)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        await SyncDeploymentStatus([.. oldRSs, newRS], newRS, d);
    }

    /// <summary>sync: a scaling event or a paused Deployment: scale (proportionally), clean up when paused, status.</summary>
    private async Task SyncScaleAndStatus(V1Deployment d, List<V1ReplicaSet> rsList)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        await _scaler.Scale(d, newRS, oldRSs);
        // Clean up when paused (and no rollback is in flight).
        if (d.Spec.Paused == true && GetRollbackTo(d) is null) await CleanupDeployment(oldRSs, d);
        await SyncDeploymentStatus([.. oldRSs, newRS], newRS, d);
    }

    /// <summary>checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed (never over a timeout).</summary>
    private async Task CheckPausedConditions(V1Deployment d)
    {
        if (!HasProgressDeadline(d)) return;
        var cond = GetCondition(d.Status, Progressing);
        if (cond?.Reason == TimedOutReason) return; // a reported lack of progress stays
        var pausedCondExists = cond?.Reason == PausedDeployReason;
        V1DeploymentCondition? condition = null;
        if (d.Spec.Paused == true && !pausedCondExists)
            condition = NewCondition(Progressing, "Unknown", PausedDeployReason, "Deployment is paused", Time.GetUtcNow());
        else if (d.Spec.Paused != true && pausedCondExists)
            condition = NewCondition(Progressing, "Unknown", ResumedDeployReason, "Deployment is resumed", Time.GetUtcNow());
        if (condition is null) return;
        d.Status ??= new V1DeploymentStatus();
        SetCondition(d.Status, condition);
        await UpdateStatus(d);
    }

    /// <summary>getRollbackTo: the revision of the deprecated rollbackTo annotation (apps/v1 clients roll back themselves).</summary>
    private static long? GetRollbackTo(V1Deployment d) =>
        d.Metadata.Annotations?.TryGetValue(DeprecatedRollbackTo, out var text) == true &&
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var revision)
            ? revision
            : null;

    /// <summary>
    /// getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked and missing) with its
    /// revision brought up to max(old) + 1 and copied to the Deployment, and all the old ones.
    /// </summary>
    private async Task<(V1ReplicaSet? NewRS, List<V1ReplicaSet> OldRSs)> GetAllReplicaSetsAndSyncRevision(
        V1Deployment d, List<V1ReplicaSet> rsList, bool createIfNotExisted)
    {
        var (_, allOldRSs) = FindOldReplicaSets(d, rsList);
        var newRS = await GetNewReplicaSet(d, rsList, allOldRSs, createIfNotExisted);
        return (newRS, allOldRSs);
    }

    /// <summary>
    /// getNewReplicaSet: the existing new ReplicaSet with its annotations (revision, copied
    /// annotations) and minReadySeconds brought up to date, or a new one named
    /// &lt;deployment&gt;-&lt;hash&gt;, created at the size the strategy allows. A name taken by a
    /// ReplicaSet of another template is a hash collision: collisionCount goes up and the sync is retried.
    /// </summary>
    private async Task<V1ReplicaSet?> GetNewReplicaSet(V1Deployment d, List<V1ReplicaSet> rsList, List<V1ReplicaSet> oldRSs, bool createIfNotExisted)
    {
        var existingNewRS = FindNewReplicaSet(d, rsList);
        var newRevision = (MaxRevision(oldRSs) + 1).ToString(CultureInfo.InvariantCulture);

        if (existingNewRS is not null)
        {
            var rsCopy = Copy(existingNewRS);
            var annotationsUpdated = SetNewReplicaSetAnnotations(d, rsCopy, newRevision, exists: true);
            var minReadySecondsNeedsUpdate = (rsCopy.Spec.MinReadySeconds ?? 0) != (d.Spec.MinReadySeconds ?? 0);
            if (annotationsUpdated || minReadySecondsNeedsUpdate)
            {
                rsCopy.Spec.MinReadySeconds = OmitZero(d.Spec.MinReadySeconds);
                return (await Api.Update(rsCopy)).Object;
            }

            // The revision in the ReplicaSet's annotation: it was set before.
            var needsUpdate = SetDeploymentRevision(d, rsCopy.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var r) == true ? r : "");
            // No Progressing condition yet: start measuring progress from the first time the new ReplicaSet was seen.
            if (HasProgressDeadline(d) && GetCondition(d.Status, Progressing) is null)
            {
                d.Status ??= new V1DeploymentStatus();
                SetCondition(d.Status, NewCondition(Progressing, "True", FoundNewRSReason,
                    $"Found new replica set \"{rsCopy.Metadata.Name}\"", Time.GetUtcNow()));
                needsUpdate = true;
            }
            if (needsUpdate) await UpdateStatus(d);
            return rsCopy;
        }

        if (!createIfNotExisted) return null;

        var template = Copy(d.Spec.Template);
        var hash = PodTemplateHash.Compute(template, d.Status?.CollisionCount);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = WithLabel(d.Spec.Template.Metadata?.Labels, PodTemplateHashLabel, hash);
        var selector = Copy(d.Spec.Selector);
        selector.MatchLabels = WithLabel(selector.MatchLabels, PodTemplateHashLabel, hash);

        var newRS = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                // Deterministic, for idempotence.
                Name = d.Metadata.Name + "-" + hash,
                NamespaceProperty = d.Metadata.NamespaceProperty,
                OwnerReferences = [ControllerRefs.For(d, "apps/v1", "Deployment")],
                Labels = new Dictionary<string, string>(template.Metadata.Labels),
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                MinReadySeconds = OmitZero(d.Spec.MinReadySeconds),
                Selector = selector,
                Template = template,
            },
        };
        var newReplicasCount = NewRSNewReplicas(d, [.. oldRSs, newRS], newRS);
        newRS.Spec.Replicas = newReplicasCount;
        SetNewReplicaSetAnnotations(d, newRS, newRevision, exists: false);

        var alreadyExists = false;
        V1ReplicaSet createdRS;
        var created = await Api.Create(newRS);
        if (created.IsAlreadyExists)
        {
            // A slow cache or a fast resync, or a hash collision.
            alreadyExists = true;
            var rs = _replicaSets.Get(newRS.Metadata.NamespaceProperty, newRS.Metadata.Name) ?? throw new ApiException(created.Error!);
            if (KubeModels.ControllerOf(rs) is { } controllerRef && controllerRef.Uid == d.Metadata.Uid &&
                PodTemplateHash.EqualIgnoreHash(d.Spec.Template, rs.Spec?.Template))
            {
                createdRS = rs;
            }
            else
            {
                // Someone else's template under our name: bump collisionCount and try again with another hash.
                d.Status ??= new V1DeploymentStatus();
                var before = d.Status.CollisionCount ?? 0;
                d.Status.CollisionCount = before + 1;
                if ((await Api.UpdateStatus(d)).Ok)
                    Log.Info("{0}: found a hash collision for deployment {1}/{2}, bumping collisionCount {3}->{4} to resolve it",
                        Name, d.Metadata.NamespaceProperty, d.Metadata.Name, before, before + 1);
                throw new ApiException(created.Error!);
            }
        }
        else if (!created.Ok)
        {
            if (created.Error!.Code == 403 && created.Error.Message.Contains("is being terminated", StringComparison.Ordinal))
                throw new ApiException(created.Error);
            var msg = $"Failed to create new replica set \"{newRS.Metadata.Name}\": {created.Error.Message}";
            if (HasProgressDeadline(d))
            {
                d.Status ??= new V1DeploymentStatus();
                SetCondition(d.Status, NewCondition(Progressing, "False", FailedRSCreateReason, msg, Time.GetUtcNow()));
                // A bigger problem to report: a failure here is ignored.
                await Api.UpdateStatus(d);
            }
            await Recorder.Event(d, EventRecorder.Warning, FailedRSCreateReason, msg);
            throw new ApiException(created.Error);
        }
        else createdRS = created.Object;

        if (!alreadyExists && newReplicasCount > 0)
            await Recorder.Event(d, EventRecorder.Normal, "ScalingReplicaSet",
                $"Scaled up replica set {createdRS.Metadata.Name} from 0 to {newReplicasCount}");

        var statusNeedsUpdate = SetDeploymentRevision(d, newRevision);
        if (!alreadyExists && HasProgressDeadline(d))
        {
            d.Status ??= new V1DeploymentStatus();
            SetCondition(d.Status, NewCondition(Progressing, "True", NewReplicaSetReason,
                $"Created new replica set \"{createdRS.Metadata.Name}\"", Time.GetUtcNow()));
            statusNeedsUpdate = true;
        }
        if (statusNeedsUpdate) await UpdateStatus(d);
        return createdRS;
    }

    /// <summary>
    /// cleanupDeployment: keeps revisionHistoryLimit old ReplicaSets; deletes the oldest revisions
    /// beyond it that are empty (spec and status) and whose latest spec their controller has seen.
    /// </summary>
    private async Task CleanupDeployment(List<V1ReplicaSet> oldRSs, V1Deployment d)
    {
        if (!HasRevisionHistoryLimit(d)) return;
        var cleanable = oldRSs.Where(rs => !KubeModels.IsDeleting(rs)).ToList();
        var diff = cleanable.Count - d.Spec.RevisionHistoryLimit!.Value;
        if (diff <= 0) return;
        cleanable.Sort(ByRevision);
        for (var i = 0; i < diff; i++)
        {
            var rs = cleanable[i];
            if ((rs.Status?.Replicas ?? 0) != 0 || Replicas(rs) != 0 ||
                (rs.Metadata.Generation ?? 0) > (rs.Status?.ObservedGeneration ?? 0) || KubeModels.IsDeleting(rs))
                continue;
            var error = await Api.Delete<V1ReplicaSet>(rs.Metadata.NamespaceProperty ?? "", rs.Metadata.Name);
            // Stop at the first failure rather than keep loading the API server.
            if (error is not null && error.Code != 404) throw new ApiException(error);
        }
    }

    /// <summary>syncDeploymentStatus: writes the status when it changed.</summary>
    private async Task SyncDeploymentStatus(IReadOnlyList<V1ReplicaSet?> allRSs, V1ReplicaSet? newRS, V1Deployment d)
    {
        var newStatus = CalculateStatus(allRSs, newRS, d);
        if (SameStatus(d.Status, newStatus)) return;
        d.Status = newStatus;
        await UpdateStatus(d);
    }

    /// <summary>
    /// calculateStatus: the counts over all ReplicaSets (updated ones: the new ReplicaSet's), the
    /// latest generation observed, and Available when at least replicas − maxUnavailable are.
    /// Zero counts are left out, as the API's omitempty does.
    /// </summary>
    internal static V1DeploymentStatus CalculateStatus(IReadOnlyList<V1ReplicaSet?> allRSs, V1ReplicaSet? newRS, V1Deployment d, DateTimeOffset now)
    {
        var availableReplicas = AvailableReplicaCount(allRSs);
        var totalReplicas = ReplicaCount(allRSs);
        // More available than desired while scaling down: none unavailable.
        var unavailableReplicas = Math.Max(0, totalReplicas - availableReplicas);
        var status = new V1DeploymentStatus
        {
            ObservedGeneration = d.Metadata.Generation is { } g && g != 0 ? g : null,
            Replicas = OmitZero(ActualReplicaCount(allRSs)),
            UpdatedReplicas = OmitZero(ActualReplicaCount([newRS])),
            ReadyReplicas = OmitZero(ReadyReplicaCount(allRSs)),
            AvailableReplicas = OmitZero(availableReplicas),
            UnavailableReplicas = OmitZero(unavailableReplicas),
            CollisionCount = d.Status?.CollisionCount,
            Conditions = d.Status?.Conditions?.Select(Copy).ToList(),
        };
        if (availableReplicas >= Replicas(d) - MaxUnavailable(d))
            SetCondition(status, NewCondition(Available, "True", MinimumReplicasAvailable, "Deployment has minimum availability.", now));
        else
            SetCondition(status, NewCondition(Available, "False", MinimumReplicasUnavailable, "Deployment does not have minimum availability.", now));
        return status;
    }

    private V1DeploymentStatus CalculateStatus(IReadOnlyList<V1ReplicaSet?> allRSs, V1ReplicaSet? newRS, V1Deployment d) =>
        CalculateStatus(allRSs, newRS, d, Time.GetUtcNow());

    /// <summary>isScalingEvent: an active ReplicaSet was last sized for another number of replicas than the Deployment's.</summary>
    private async Task<bool> IsScalingEvent(V1Deployment d, List<V1ReplicaSet> rsList)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        foreach (var rs in FilterActive(oldRSs.Append(newRS)))
        {
            if (GetIntAnnotation(rs, DesiredReplicasAnnotation) is not { } desired) continue;
            if (desired != Replicas(d)) return true;
        }
        return false;
    }

    // ---- rolling.go ----

    /// <summary>rolloutRolling: one step per sync: scale the new ReplicaSet up, or else old ones down, or else clean up; then status.</summary>
    private async Task<SyncResult> RolloutRolling(V1Deployment d, List<V1ReplicaSet> rsList)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: true);
        List<V1ReplicaSet?> allRSs = [.. oldRSs, newRS];

        if (await _scaler.ReconcileNewReplicaSet(allRSs, newRS!, d)) return await SyncRolloutStatus(allRSs, newRS, d);
        if (await _scaler.ReconcileOldReplicaSets(allRSs, FilterActive(oldRSs), newRS!, d)) return await SyncRolloutStatus(allRSs, newRS, d);

        if (DeploymentComplete(d, d.Status)) await CleanupDeployment(oldRSs, d);
        return await SyncRolloutStatus(allRSs, newRS, d);
    }

    // ---- recreate.go ----

    /// <summary>
    /// rolloutRecreate: every old ReplicaSet to 0; once no old pod runs, the new ReplicaSet
    /// (created only then, so nothing scales up before everything scaled down) to replicas.
    /// </summary>
    private async Task<SyncResult> RolloutRecreate(V1Deployment d, List<V1ReplicaSet> rsList, Dictionary<string, List<V1Pod>> podMap)
    {
        var (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: false);
        List<V1ReplicaSet?> allRSs = [.. oldRSs, newRS];
        var activeOldRSs = FilterActive(oldRSs);

        if (await _scaler.ScaleDownOldReplicaSetsForRecreate(activeOldRSs, d)) return await SyncRolloutStatus(allRSs, newRS, d);
        if (OldPodsRunning(newRS, oldRSs, podMap)) return await SyncRolloutStatus(allRSs, newRS, d);

        if (newRS is null)
        {
            (newRS, oldRSs) = await GetAllReplicaSetsAndSyncRevision(d, rsList, createIfNotExisted: true);
            allRSs = [.. oldRSs, newRS];
        }

        await _scaler.ScaleReplicaSetAndRecordEvent(newRS!, Replicas(d), d);

        if (DeploymentComplete(d, d.Status)) await CleanupDeployment(oldRSs, d);
        return await SyncRolloutStatus(allRSs, newRS, d);
    }

    /// <summary>oldPodsRunning: an old ReplicaSet still reports replicas, or a pod not of the new ReplicaSet is not terminal.</summary>
    internal static bool OldPodsRunning(V1ReplicaSet? newRS, IReadOnlyList<V1ReplicaSet> oldRSs, Dictionary<string, List<V1Pod>> podMap)
    {
        if (ActualReplicaCount(oldRSs) > 0) return true;
        foreach (var (rsUid, pods) in podMap)
        {
            if (newRS is not null && newRS.Metadata.Uid == rsUid) continue;
            // Failed and Succeeded pods do not run; Unknown ones (a lost node) may.
            if (pods.Any(p => p.Status?.Phase is not ("Failed" or "Succeeded"))) return true;
        }
        return false;
    }

    // ---- progress.go ----

    /// <summary>
    /// syncRolloutStatus: the status, plus the Progressing condition while a rollout is under way
    /// (NewReplicaSetAvailable, ReplicaSetUpdated on any progress, ProgressDeadlineExceeded after
    /// progressDeadlineSeconds without), and the ReplicaSets' ReplicaFailure. When nothing changed, a
    /// rollout that is not done comes back when its deadline passes.
    /// </summary>
    private async Task<SyncResult> SyncRolloutStatus(IReadOnlyList<V1ReplicaSet?> allRSs, V1ReplicaSet? newRS, V1Deployment d)
    {
        var now = Time.GetUtcNow();
        var newStatus = CalculateStatus(allRSs, newRS, d, now);
        if (!HasProgressDeadline(d)) RemoveCondition(newStatus, Progressing);

        var currentCond = GetCondition(d.Status, Progressing);
        var isCompleteDeployment = newStatus.Replicas == newStatus.UpdatedReplicas && currentCond?.Reason == NewRSAvailableReason;
        if (HasProgressDeadline(d) && !isCompleteDeployment)
        {
            if (DeploymentComplete(d, newStatus))
            {
                var msg = newRS is null ? $"Deployment \"{d.Metadata.Name}\" has successfully progressed." : $"ReplicaSet \"{newRS.Metadata.Name}\" has successfully progressed.";
                SetCondition(newStatus, NewCondition(Progressing, "True", NewRSAvailableReason, msg, now));
            }
            else if (DeploymentProgressing(d, newStatus))
            {
                var msg = newRS is null ? $"Deployment \"{d.Metadata.Name}\" is progressing." : $"ReplicaSet \"{newRS.Metadata.Name}\" is progressing.";
                var condition = NewCondition(Progressing, "True", ReplicaSetUpdatedReason, msg, now);
                // Progress moves lastUpdateTime even for the same reason; lastTransitionTime stays while True.
                if (currentCond is not null)
                {
                    if (currentCond.Status == "True") condition.LastTransitionTime = currentCond.LastTransitionTime;
                    RemoveCondition(newStatus, Progressing);
                }
                SetCondition(newStatus, condition);
            }
            else if (DeploymentTimedOut(d, newStatus, now))
            {
                var msg = newRS is null ? $"Deployment \"{d.Metadata.Name}\" has timed out progressing." : $"ReplicaSet \"{newRS.Metadata.Name}\" has timed out progressing.";
                SetCondition(newStatus, NewCondition(Progressing, "False", TimedOutReason, msg, now));
            }
        }

        if (GetReplicaFailures(allRSs, newRS) is { Count: > 0 } failures) SetCondition(newStatus, failures[0]);
        else RemoveCondition(newStatus, ReplicaFailure);

        if (SameStatus(d.Status, newStatus)) return RequeueStuckDeployment(d, newStatus, now);
        d.Status = newStatus;
        await UpdateStatus(d);
        return SyncResult.Done;
    }

    /// <summary>getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions, else the others'.</summary>
    private static List<V1DeploymentCondition> GetReplicaFailures(IReadOnlyList<V1ReplicaSet?> allRSs, V1ReplicaSet? newRS)
    {
        var conditions = newRS?.Status?.Conditions?.Where(c => c.Type == ReplicaFailure).Select(FromReplicaSetCondition).ToList() ?? [];
        if (conditions.Count > 0) return conditions;
        return allRSs.Where(rs => rs is not null)
            .SelectMany(rs => rs!.Status?.Conditions?.Where(c => c.Type == ReplicaFailure) ?? [])
            .Select(FromReplicaSetCondition).ToList();
    }

    /// <summary>
    /// requeueStuckDeployment: a rollout in progress comes back when its Progressing condition would
    /// time out (one second late, against clock skew in AddAfter), at once (rate-limited) when that
    /// is less than a second away.
    /// </summary>
    private static SyncResult RequeueStuckDeployment(V1Deployment d, V1DeploymentStatus newStatus, DateTimeOffset now)
    {
        var currentCond = GetCondition(d.Status, Progressing);
        if (!HasProgressDeadline(d) || currentCond?.LastUpdateTime is not { } lastUpdate) return SyncResult.Done;
        if (DeploymentComplete(d, newStatus) || currentCond.Reason == TimedOutReason) return SyncResult.Done;
        var after = DateTime.SpecifyKind(lastUpdate, DateTimeKind.Utc) + TimeSpan.FromSeconds(d.Spec.ProgressDeadlineSeconds!.Value) - now.UtcDateTime;
        if (after < TimeSpan.FromSeconds(1)) return SyncResult.Retry;
        return SyncResult.After(after + TimeSpan.FromSeconds(1));
    }

    // ---- helpers ----

    /// <summary>UpdateStatus of the Deployment (its revision annotation goes along, as deploymentStatusStrategy keeps it); <paramref name="d"/> takes the new resourceVersion.</summary>
    private async Task UpdateStatus(V1Deployment d)
    {
        var updated = (await Api.UpdateStatus(d)).Object;
        d.Metadata.ResourceVersion = updated.Metadata.ResourceVersion;
    }

    /// <summary>reflect.DeepEqual of two statuses, through their JSON.</summary>
    private static bool SameStatus(V1DeploymentStatus? a, V1DeploymentStatus? b) =>
        KubeModels.Encode(Normalize(a)).AsSpan().SequenceEqual(KubeModels.Encode(Normalize(b)));

    private static V1DeploymentStatus Normalize(V1DeploymentStatus? s)
    {
        if (s is null) return new V1DeploymentStatus();
        var copy = Copy(s);
        copy.ObservedGeneration = copy.ObservedGeneration is 0 ? null : copy.ObservedGeneration;
        copy.Replicas = OmitZero(copy.Replicas);
        copy.UpdatedReplicas = OmitZero(copy.UpdatedReplicas);
        copy.ReadyReplicas = OmitZero(copy.ReadyReplicas);
        copy.AvailableReplicas = OmitZero(copy.AvailableReplicas);
        copy.UnavailableReplicas = OmitZero(copy.UnavailableReplicas);
        if (copy.Conditions is { Count: 0 }) copy.Conditions = null;
        return copy;
    }

    private static int? OmitZero(int? value) => value is null or 0 ? null : value;

    /// <summary>CloneAndAddLabel / CloneSelectorAndAddLabel.</summary>
    private static Dictionary<string, string> WithLabel(IDictionary<string, string>? labels, string key, string value) =>
        new(labels ?? new Dictionary<string, string>()) { [key] = value };
}

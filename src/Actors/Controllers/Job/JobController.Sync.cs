using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Job;

public sealed partial class JobController
{
    /// <summary>What one sync knows about a Job (syncJobCtx).</summary>
    private sealed class JobContext
    {
        public required V1Job Job { get; set; }
        public required string Key { get; init; }
        public required List<V1Pod> Pods { get; init; }
        public required List<V1Pod> Active { get; set; }
        public int Terminating { get; set; }
        public int? Completions => Job.Spec.Completions;
        public int Parallelism => Job.Spec.Parallelism ?? 1;
        public bool Indexed => Job.Spec.CompletionMode == "Indexed";
        public bool PerIndex => Indexed && Job.Spec.BackoffLimitPerIndex is not null;
        public bool Suspended => Job.Spec.Suspend == true;
        public CompletedIndexes SucceededIndexes { get; set; } = new();
        public CompletedIndexes FailedIndexes { get; set; } = new();
        public int Succeeded { get; set; }
        public int Failed { get; set; }
        public V1JobCondition? Finishing { get; set; }
        public TimeSpan RequeueAfter { get; set; }

        /// <summary>Events told once the status that they announce is written (Suspended, Resumed).</summary>
        public List<(string Reason, string Message)> Announcements { get; } = [];

        public void Later(TimeSpan delay)
        {
            if (delay > TimeSpan.Zero && (RequeueAfter == TimeSpan.Zero || delay < RequeueAfter)) RequeueAfter = delay;
        }
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var cached = _jobs.Get(key);
        if (cached is null)
        {
            _expectations.DeleteExpectations(key);
            _finalizers.Forget(key);
            _backoff.Forget(key);
            _statusWritten.Forget(key);
            return SyncResult.Done;
        }
        // The cache has not caught up with this controller's own last status write: its counts and
        // uncountedTerminatedPods are older than the pods' finalizers, so a pod counted and released
        // by that write would count as neither, and be replaced by a pod too many. The key comes back
        // (rate-limited) until the cache has caught up, so a deadline timer that fired meanwhile is not lost.
        if (_statusWritten.IsAhead(key, cached)) return SyncResult.Retry;
        var pods = _pods.ByIndex(Indexers.ControllerUid, cached.Metadata.Uid).Where(p => Selects(cached, p)).ToList();
        if (JobConditions.IsFinished(cached))
        {
            // Finished elsewhere, or by an earlier sync whose finalizer removals failed: release what is left.
            foreach (var pod in pods.Where(JobPods.HasTrackingFinalizer)) await RemoveFinalizer(pod);
            return SyncResult.Done;
        }
        var satisfied = _expectations.SatisfiedExpectations(key);
        var job = KubeModels.Clone(cached);
        var baseline = cached;
        job.Status ??= new V1JobStatus();
        var now = Time.GetUtcNow();
        var nowTime = JobConditions.Now(Time);
        var ctx = new JobContext
        {
            Job = job,
            Key = key,
            Pods = pods,
            Active = pods.Where(JobPods.IsActive).ToList(),
            Terminating = pods.Count(JobPods.IsTerminating),
        };
        var completions = ctx.Completions ?? 0;
        if (ctx.Indexed)
        {
            ctx.SucceededIndexes = CompletedIndexes.Parse(job.Status.CompletedIndexes, completions);
            ctx.FailedIndexes = CompletedIndexes.Parse(job.Status.FailedIndexes, completions);
        }

        var uncounted = job.Status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        var uncountedSucceeded = new HashSet<string>(uncounted.Succeeded ?? [], StringComparer.Ordinal);
        var uncountedFailed = new HashSet<string>(uncounted.Failed ?? [], StringComparer.Ordinal);
        var failureTarget = JobConditions.Find(job, JobConditions.FailureTarget) is { Status: "True" } target ? target : null;

        // The pods that finished since the last sync (getNewFinishedPods): still tracked, not yet counted.
        var newSucceeded = new List<V1Pod>();
        var newFailed = new List<V1Pod>();
        var ignored = new List<V1Pod>();
        string? failJobMessage = null;
        var failIndex = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!JobPods.HasTrackingFinalizer(pod) || _finalizers.Pending(key, pod.Metadata.Uid)) continue;
            var uid = pod.Metadata.Uid;
            if (uncountedSucceeded.Contains(uid) || uncountedFailed.Contains(uid)) continue;
            if (pod.Status?.Phase == "Succeeded")
            {
                if (ctx.Indexed && JobPods.CompletionIndex(pod, completions) is null) ignored.Add(pod);
                else newSucceeded.Add(pod);
                continue;
            }
            var failed = JobPods.IsFailed(pod, job) && !(ctx.Suspended && pod.Status?.Phase != "Failed");
            if (!failed && !(failureTarget is not null && KubeModels.IsDeleting(pod) && !JobPods.IsTerminal(pod))) continue;
            var decision = PodFailurePolicies.Match(job.Spec.PodFailurePolicy, pod);
            if (decision.Action == PodFailurePolicies.FailJob) failJobMessage ??= decision.FailJobMessage;
            if (decision.Action == PodFailurePolicies.FailIndex) failIndex.Add(uid);
            if (decision.CountFailed) newFailed.Add(pod);
            else ignored.Add(pod);
        }

        var record = _backoff.Observe(key, newFailed.Select(p => JobPods.FinishedAt(p, now)).ToArray(),
            newSucceeded.Select(p => JobPods.FinishedAt(p, now)).ToArray());

        ctx.Succeeded = (job.Status.Succeeded ?? 0) + uncountedSucceeded.Count + newSucceeded.Count;
        ctx.Failed = (job.Status.Failed ?? 0) + uncountedFailed.Count + newFailed.Count;
        // Indexes: what succeeded or failed for good, counted or about to be.
        var podsByUid = pods.ToDictionary(p => p.Metadata.Uid, StringComparer.Ordinal);
        var succeededIndexes = new CompletedIndexes(ctx.SucceededIndexes.Values);
        var failedIndexes = new CompletedIndexes(ctx.FailedIndexes.Values);
        if (ctx.Indexed)
        {
            foreach (var pod in newSucceeded.Concat(uncountedSucceeded.Select(u => podsByUid.GetValueOrDefault(u)).OfType<V1Pod>()))
                if (JobPods.CompletionIndex(pod, completions) is { } index) succeededIndexes.Add(index);
            if (ctx.PerIndex)
                foreach (var pod in newFailed.Concat(uncountedFailed.Select(u => podsByUid.GetValueOrDefault(u)).OfType<V1Pod>()))
                    if (JobPods.CompletionIndex(pod, completions) is { } index && !succeededIndexes.Contains(index)
                        && (failIndex.Contains(pod.Metadata.Uid) || JobPods.IndexFailureCount(pod) + 1 > job.Spec.BackoffLimitPerIndex))
                        failedIndexes.Add(index);
        }

        // Is the Job failing (the interim FailureTarget condition)?
        if (failureTarget is not null)
            ctx.Finishing = JobConditions.New(JobConditions.Failed, failureTarget.Reason, failureTarget.Message, nowTime);
        else
        {
            V1JobCondition? target2 = null;
            if (failJobMessage is not null)
                target2 = JobConditions.New(JobConditions.FailureTarget, JobConditions.PodFailurePolicy, failJobMessage, nowTime);
            else if (ctx.PerIndex && job.Spec.MaxFailedIndexes is { } maxFailed && failedIndexes.Count > maxFailed)
                target2 = JobConditions.New(JobConditions.FailureTarget, JobConditions.MaxFailedIndexesExceeded, JobConditions.MaxFailedIndexesExceededMessage, nowTime);
            else if (ctx.Failed > (job.Spec.BackoffLimit ?? 6) || PastBackoffLimitOnFailure(job, pods))
                target2 = JobConditions.New(JobConditions.FailureTarget, JobConditions.BackoffLimitExceeded, JobConditions.BackoffLimitExceededMessage, nowTime);
            else if (PastActiveDeadline(job, now))
                target2 = JobConditions.New(JobConditions.FailureTarget, JobConditions.DeadlineExceeded, JobConditions.DeadlineExceededMessage, nowTime);
            else if (ctx.PerIndex && failedIndexes.Count > 0 && succeededIndexes.Count + failedIndexes.Count >= completions)
                target2 = JobConditions.New(JobConditions.FailureTarget, JobConditions.FailedIndexes, JobConditions.FailedIndexesMessage, nowTime);
            else if (job.Spec.ActiveDeadlineSeconds is { } deadline && !ctx.Suspended && PodStates.Utc(job.Status.StartTime) is { } started)
                ctx.Later(started + TimeSpan.FromSeconds(deadline) - now);
            if (target2 is not null)
            {
                (job.Status.Conditions ??= []).Add(target2);
                ctx.Finishing = JobConditions.New(JobConditions.Failed, target2.Reason, target2.Message, nowTime);
            }
        }

        if (job.Status.StartTime is null && !ctx.Suspended)
        {
            job.Status.StartTime = nowTime;
            if (job.Spec.ActiveDeadlineSeconds is { } deadline) ctx.Later(TimeSpan.FromSeconds(deadline));
        }

        // Act: a failing Job loses its active pods; a running one gets what it lacks.
        Exception? manageError = null;
        var succeededSoFar = ctx.Indexed ? succeededIndexes.Count : ctx.Succeeded;
        var complete = ctx.Finishing is null && IsComplete(ctx, succeededSoFar, succeededIndexes);
        if (ctx.Finishing is not null || complete)
            manageError = await DeleteActivePods(ctx, ctx.Active);
        else if (satisfied && !KubeModels.IsDeleting(job))
            manageError = await Manage(ctx, record, succeededSoFar, succeededIndexes, failedIndexes);

        if (complete)
        {
            if (JobConditions.Find(job, JobConditions.SuccessCriteriaMet) is not { Status: "True" })
                (job.Status.Conditions ??= []).Add(JobConditions.New(JobConditions.SuccessCriteriaMet, JobConditions.CompletionsReached,
                    JobConditions.CompletionsReachedMessage, nowTime));
            ctx.Finishing = JobConditions.New(JobConditions.Complete, JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage, nowTime);
        }

        SuspendConditions(ctx, nowTime);

        // Count the finished pods: into uncountedTerminatedPods, finalizers off, then into the counters.
        var added = false;
        foreach (var pod in newSucceeded)
            added |= Add(uncounted.Succeeded ??= [], pod.Metadata.Uid);
        foreach (var pod in newFailed)
            added |= Add(uncounted.Failed ??= [], pod.Metadata.Uid);
        if (added)
        {
            // The counters move only once the finalizers are off: this write records who is about to be counted.
            var (succeeded, failed) = (ctx.Succeeded, ctx.Failed);
            (ctx.Succeeded, ctx.Failed) = (job.Status.Succeeded ?? 0, job.Status.Failed ?? 0);
            WriteCounts(ctx);
            (ctx.Succeeded, ctx.Failed) = (succeeded, failed);
            var flushed = await Api.UpdateStatus(job);
            if (flushed.IsConflict) return SyncResult.Retry;
            job = flushed.Object;
            _statusWritten.Record(key, job);
            baseline = job;
            ctx.Job = job;
            uncounted = job.Status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        }

        var release = (uncounted.Succeeded ?? []).Concat(uncounted.Failed ?? [])
            .Select(u => podsByUid.GetValueOrDefault(u)).OfType<V1Pod>().Concat(ignored)
            .Where(p => JobPods.HasTrackingFinalizer(p) && !_finalizers.Pending(key, p.Metadata.Uid)).ToList();
        var finalizerError = await RemoveFinalizers(key, release);
        var released = release.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);

        bool Counted(string uid) =>
            released.Contains(uid) || !podsByUid.TryGetValue(uid, out var pod) || !JobPods.HasTrackingFinalizer(pod);
        var moveSucceeded = (uncounted.Succeeded ?? []).Where(Counted).ToList();
        var moveFailed = (uncounted.Failed ?? []).Where(Counted).ToList();
        var succeededCount = (job.Status.Succeeded ?? 0) + (finalizerError is null ? moveSucceeded.Count : 0);
        var failedCount = (job.Status.Failed ?? 0) + (finalizerError is null ? moveFailed.Count : 0);
        if (finalizerError is null)
        {
            uncounted.Succeeded = (uncounted.Succeeded ?? []).Except(moveSucceeded).ToList();
            uncounted.Failed = (uncounted.Failed ?? []).Except(moveFailed).ToList();
            if (ctx.Indexed)
            {
                foreach (var uid in moveSucceeded)
                    if (podsByUid.GetValueOrDefault(uid) is { } pod && JobPods.CompletionIndex(pod, completions) is { } index) ctx.SucceededIndexes.Add(index);
                foreach (var index in failedIndexes.Values)
                    if (!ctx.SucceededIndexes.Contains(index)) ctx.FailedIndexes.Add(index);
                succeededCount = ctx.SucceededIndexes.Count;
            }
        }
        ctx.Succeeded = succeededCount;
        ctx.Failed = failedCount;
        if (uncounted.Succeeded is { Count: 0 }) uncounted.Succeeded = null;
        if (uncounted.Failed is { Count: 0 }) uncounted.Failed = null;

        // enactJobFinished: the terminal condition once every pod is counted and none is terminating.
        var finished = false;
        if (ctx.Finishing is { } finishing && uncounted.Succeeded is null && uncounted.Failed is null && ctx.Terminating == 0 && ctx.Active.Count == 0)
        {
            JobConditions.Ensure(job.Status.Conditions ??= [], finishing.Type, "True", finishing.Reason, finishing.Message, nowTime);
            if (finishing.Type == JobConditions.Complete) job.Status.CompletionTime = nowTime;
            finished = true;
        }
        WriteCounts(ctx);
        if (!StatusEquals(baseline, job))
        {
            var written = await Api.UpdateStatus(job);
            if (written.IsConflict) return SyncResult.Retry;
            _statusWritten.Record(key, written.Object);
            foreach (var (reason, message) in ctx.Announcements) await Recorder.Event(job, EventRecorder.Normal, reason, message);
            if (finished) await RecordFinished(job, finishing: ctx.Finishing!);
        }

        if (manageError is not null) throw manageError;
        if (finalizerError is not null) throw finalizerError;
        return ctx.RequeueAfter > TimeSpan.Zero ? SyncResult.After(ctx.RequeueAfter) : SyncResult.Done;
    }

    private static bool Add(IList<string> list, string uid)
    {
        if (list.Contains(uid)) return false;
        list.Add(uid);
        return true;
    }

    /// <summary>The Job's selector matches the pod (pods relabelled away are not the Job's).</summary>
    private static bool Selects(V1Job job, V1Pod pod)
    {
        try
        {
            return LabelSelectors.FromModel(job.Spec?.Selector) is { } selector && selector.Matches(pod.Metadata.Labels);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Completions reached: enough pods (NonIndexed), every index (Indexed), or for a work queue any success with nothing left running.</summary>
    private static bool IsComplete(JobContext ctx, int succeeded, CompletedIndexes succeededIndexes)
    {
        if (ctx.Suspended) return false;
        if (ctx.Indexed) return ctx.Completions is { } c && succeededIndexes.Count >= c;
        if (ctx.Completions is { } completions) return succeeded >= completions;
        return succeeded > 0 && ctx.Active.Count == 0;
    }

    /// <summary>pastBackoffLimitOnFailure: with restartPolicy OnFailure the kubelet's restarts are the failures.</summary>
    private static bool PastBackoffLimitOnFailure(V1Job job, IEnumerable<V1Pod> pods)
    {
        if (job.Spec.Template?.Spec?.RestartPolicy != "OnFailure") return false;
        var restarts = pods.Sum(JobPods.Restarts);
        var limit = job.Spec.BackoffLimit ?? 6;
        return limit == 0 ? restarts > 0 : restarts >= limit;
    }

    private static bool PastActiveDeadline(V1Job job, DateTimeOffset now) =>
        job.Spec.ActiveDeadlineSeconds is { } deadline && job.Spec.Suspend != true && PodStates.Utc(job.Status.StartTime) is { } started
        && now - started >= TimeSpan.FromSeconds(deadline);

    /// <summary>The Suspended condition, its events, and startTime reset when the Job resumes.</summary>
    private static void SuspendConditions(JobContext ctx, DateTime now)
    {
        var job = ctx.Job;
        var conditions = job.Status.Conditions ??= [];
        if (ctx.Suspended && ctx.Finishing is null)
        {
            if (JobConditions.Ensure(conditions, JobConditions.Suspended, "True", "JobSuspended", "Job suspended", now))
                ctx.Announcements.Add(("Suspended", "Job suspended"));
        }
        else if (!ctx.Suspended && JobConditions.Ensure(conditions, JobConditions.Suspended, "False", "JobResumed", "Job resumed", now))
        {
            ctx.Announcements.Add(("Resumed", "Job resumed"));
            // activeDeadlineSeconds counts the time the Job is continuously active.
            job.Status.StartTime = now;
        }
        if (conditions.Count == 0) job.Status.Conditions = null;
    }

    /// <summary>active, ready, terminating, succeeded, failed and the index strings, as the status shows them.</summary>
    private static void WriteCounts(JobContext ctx)
    {
        var status = ctx.Job.Status;
        status.Active = ctx.Active.Count > 0 ? ctx.Active.Count : null;
        status.Ready = ctx.Active.Count(PodStates.IsReady);
        status.Terminating = ctx.Terminating;
        status.Succeeded = ctx.Succeeded > 0 ? ctx.Succeeded : null;
        status.Failed = ctx.Failed > 0 ? ctx.Failed : null;
        if (ctx.Indexed)
        {
            status.CompletedIndexes = ctx.SucceededIndexes.Count > 0 ? ctx.SucceededIndexes.ToString() : null;
            if (ctx.PerIndex) status.FailedIndexes = ctx.FailedIndexes.ToString();
        }
    }

    private static bool StatusEquals(V1Job a, V1Job b) =>
        KubeModels.ToJsonObject(a.Status ?? new V1JobStatus()).ToJsonString() == KubeModels.ToJsonObject(b.Status ?? new V1JobStatus()).ToJsonString();

    /// <summary>recordJobFinished: Completed "Job completed", or the failure's reason and message as a Warning.</summary>
    private async Task RecordFinished(V1Job job, V1JobCondition finishing)
    {
        if (finishing.Type == JobConditions.Complete)
        {
            if (job.Spec.Completions is { } c && (job.Status.Succeeded ?? 0) > c)
                await Recorder.Event(job, EventRecorder.Warning, "TooManySucceededPods", "Too many succeeded pods running after completion count reached");
            await Recorder.Event(job, EventRecorder.Normal, "Completed", "Job completed");
        }
        else await Recorder.Event(job, EventRecorder.Warning, finishing.Reason, finishing.Message);
    }

    /// <summary>Removes the tracking finalizer from pods in parallel; the first error is returned.</summary>
    private async Task<Exception?> RemoveFinalizers(string key, IReadOnlyList<V1Pod> pods)
    {
        var errors = await Task.WhenAll(pods.Select(async pod =>
        {
            _finalizers.Expect(key, pod.Metadata.Uid);
            try
            {
                await RemoveFinalizer(pod);
                return null;
            }
            catch (Exception e)
            {
                _finalizers.Observed(key, pod.Metadata.Uid);
                return e;
            }
        }));
        return errors.FirstOrDefault(e => e is not null);
    }
}

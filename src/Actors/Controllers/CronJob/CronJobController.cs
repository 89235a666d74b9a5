using System.Globalization;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Batch;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.Job;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.CronJob;

/// <summary>
/// kube-controller-manager's CronJob controller (pkg/controller/cronjob, CronJobControllerV2,
/// --concurrent-cron-job-syncs=5): creates a Job for each start time of a CronJob's schedule, in its
/// time zone, named &lt;cronjob&gt;-&lt;minutes since the epoch&gt; so that a start time is never run twice;
/// honours concurrencyPolicy, startingDeadlineSeconds and suspend; keeps status.active,
/// lastScheduleTime and lastSuccessfulTime; deletes finished Jobs beyond the history limits. Each
/// CronJob's key comes back at its next start time: no periodic pass over all CronJobs.
/// </summary>
public sealed class CronJobController : Controller
{
    public const int Workers = 5;

    public const string ScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp";

    private readonly Indexer<V1CronJob> _cronJobs;
    private readonly Indexer<V1Job> _jobs;

    /// <summary>This controller's last status write per CronJob: older cached CronJobs are not acted on.</summary>
    private readonly OwnStatusWrites _statusWritten = new();

    public CronJobController(ControllerContext context, int workers = Workers) : base(context, "cronjob-controller", workers)
    {
        var cronJobs = Informers.For<V1CronJob>();
        var jobs = Informers.For<V1Job>();
        _cronJobs = cronJobs.Indexer;
        _jobs = jobs.Indexer;
        Handle(cronJobs, added: Enqueue, updated: (_, cur) => Enqueue(cur), deleted: Enqueue);
        Handle(jobs, added: JobChanged, updated: (old, cur) =>
        {
            if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return;
            JobChanged(old);
            JobChanged(cur);
        }, deleted: JobChanged);
    }

    public static Props Props(ControllerContext context, int workers = Workers) =>
        Akka.Actor.Props.Create(() => new CronJobController(context, workers));

    private void JobChanged(V1Job job)
    {
        if (KubeModels.ControllerOf(job) is not { Kind: "CronJob" } owner) return;
        if (_cronJobs.Get(job.Metadata.NamespaceProperty, owner.Name) is { } cj && cj.Metadata.Uid == owner.Uid) Enqueue(cj);
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var cached = _cronJobs.Get(key);
        if (cached is null)
        {
            _statusWritten.Forget(key);
            return SyncResult.Done;
        }
        // The cache has not caught up with this controller's own last status write: its status.active
        // lacks the Job that write added, so Forbid would start another and the Job would look
        // unexpected. The key comes back (rate-limited) until the cache has caught up: waiting for the
        // write's event alone would drop a start time whose timer fired meanwhile.
        if (_statusWritten.IsAhead(key, cached)) return SyncResult.Retry;
        var cj = KubeModels.Clone(cached);
        cj.Status ??= new V1CronJobStatus();
        var jobs = _jobs.ByIndex(Indexers.ControllerUid, cj.Metadata.Uid).ToList();

        var (next, changed) = await SyncCronJob(cj, jobs);
        if (await CleanupFinishedJobs(cj, jobs)) changed = true;
        if (changed && !StatusEquals(cached, cj))
        {
            var result = await Api.UpdateStatus(cj);
            if (result.IsConflict) return SyncResult.Retry;
            _statusWritten.Record(key, result.Object);
        }
        // The delay from now, not from when the sync began: the key comes back at the start time itself.
        if (next is not { } at) return SyncResult.Done;
        var delay = at - Time.GetUtcNow();
        return SyncResult.After(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1));
    }

    /// <summary>syncCronJob: reconciles status.active with the Jobs, then starts the Job that is due, if any.</summary>
    private async Task<(DateTimeOffset? Next, bool Changed)> SyncCronJob(V1CronJob cj, List<V1Job> jobs)
    {
        var now = Time.GetUtcNow();
        var changed = false;
        var children = new HashSet<string>(StringComparer.Ordinal);
        foreach (var child in jobs)
        {
            children.Add(child.Metadata.Uid);
            var active = cj.Status.Active?.Any(r => r.Uid == child.Metadata.Uid) == true;
            var finished = JobConditions.IsFinished(child);
            if (!active && !finished)
                await Recorder.Event(cj, EventRecorder.Warning, "UnexpectedJob", $"Saw a job that the controller did not create or forgot: {child.Metadata.Name}");
            else if (active && finished)
            {
                var condition = JobConditions.IsTrue(child, JobConditions.Failed) ? JobConditions.Failed : JobConditions.Complete;
                RemoveActive(cj, child.Metadata.Uid);
                await Recorder.Event(cj, EventRecorder.Normal, "SawCompletedJob", $"Saw completed job: {child.Metadata.Name}, condition: {condition}");
                changed = true;
            }
            if (JobConditions.IsTrue(child, JobConditions.Complete) && child.Status?.CompletionTime is { } completed
                && (cj.Status.LastSuccessfulTime is not { } last || completed > last))
            {
                cj.Status.LastSuccessfulTime = completed;
                changed = true;
            }
        }
        // Active Jobs the cache does not know: gone, unless a fresh read still finds them (a slow watch).
        foreach (var reference in (cj.Status.Active ?? []).ToList())
        {
            if (children.Contains(reference.Uid)) continue;
            var fresh = await Api.Get<V1Job>(reference.NamespaceProperty ?? cj.Metadata.NamespaceProperty, reference.Name);
            if (!fresh.IsNotFound) continue;
            await Recorder.Event(cj, EventRecorder.Normal, "MissingJob", $"Active job went missing: {reference.Name}");
            RemoveActive(cj, reference.Uid);
            changed = true;
        }

        if (KubeModels.IsDeleting(cj)) return (null, changed);
        var zone = CronZones.Find(cj.Spec.TimeZone);
        if (zone is null)
        {
            await Recorder.Event(cj, EventRecorder.Warning, "UnknownTimeZone", $"invalid timeZone: \"{cj.Spec.TimeZone}\": unknown time zone {cj.Spec.TimeZone}");
            return (null, changed);
        }
        if (cj.Spec.Suspend == true) return (null, changed);
        if (cj.Spec.Schedule.Contains("TZ", StringComparison.Ordinal))
            await Recorder.Event(cj, EventRecorder.Warning, "UnsupportedSchedule",
                $"CRON_TZ or TZ used in schedule \"{cj.Spec.Schedule}\" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details");
        var (schedule, parseError) = CronSchedule.Parse(cj.Spec.Schedule);
        if (schedule is null)
        {
            await Recorder.Event(cj, EventRecorder.Warning, "UnparseableSchedule", $"unparseable schedule: \"{cj.Spec.Schedule}\" : {parseError}");
            return (null, changed);
        }
        zone = schedule.Zone ?? zone;

        var due = ScheduleTimes.MostRecent(cj, now, schedule, zone, includeStartingDeadline: true);
        if (due.Error is not null)
        {
            await Recorder.Event(cj, EventRecorder.Warning, "InvalidSchedule", $"invalid schedule: {cj.Spec.Schedule} : {due.Error}");
            return (null, changed);
        }
        DateTimeOffset? Next() => ScheduleTimes.NextAt(cj, now, schedule, zone);
        if (due.MostRecent is not { } scheduled || scheduled > now) return (Next(), changed);
        if (due.Missed > ScheduleTimes.ManyMissed)
            await Recorder.Event(cj, EventRecorder.Warning, "TooManyMissedTimes",
                "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");

        if (cj.Spec.StartingDeadlineSeconds is { } deadline && scheduled + TimeSpan.FromSeconds(deadline) < now)
        {
            await Recorder.Event(cj, EventRecorder.Warning, "MissSchedule",
                $"Missed scheduled time to start a job: {scheduled.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)}");
            return (Next(), changed);
        }
        var name = JobName(cj, scheduled);
        if (cj.Status.Active?.Any(r => r.Name == name) == true || PodStates.Utc(cj.Status.LastScheduleTime) == scheduled)
            return (Next(), changed);
        if (cj.Spec.ConcurrencyPolicy == "Forbid" && cj.Status.Active is { Count: > 0 })
        {
            await Recorder.Event(cj, EventRecorder.Normal, "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid");
            return (Next(), changed);
        }
        if (cj.Spec.ConcurrencyPolicy == "Replace")
            foreach (var reference in (cj.Status.Active ?? []).ToList())
            {
                var current = await Api.Get<V1Job>(reference.NamespaceProperty ?? cj.Metadata.NamespaceProperty, reference.Name);
                if (current.IsNotFound)
                {
                    RemoveActive(cj, reference.Uid);
                    changed = true;
                    continue;
                }
                if (!current.Ok)
                {
                    await Recorder.Event(cj, EventRecorder.Warning, "FailedGet", $"Get job: {current.Error!.Message}");
                    throw new InvalidOperationException(current.Error.Message);
                }
                if (!await DeleteJob(cj, current.Object)) throw new InvalidOperationException($"could not replace job {reference.NamespaceProperty}/{reference.Name}");
                changed = true;
            }

        var created = await Api.Create(JobFromTemplate(cj, scheduled, zone));
        V1Job job;
        if (created.IsAlreadyExists)
        {
            // Created by an earlier sync whose status write was lost: ours if we own it.
            var existing = await Api.Get<V1Job>(cj.Metadata.NamespaceProperty, name);
            if (!existing.Ok || KubeModels.ControllerOf(existing.Object)?.Uid != cj.Metadata.Uid) return (Next(), changed);
            job = existing.Object;
        }
        else if (!created.Ok)
        {
            await Recorder.Event(cj, EventRecorder.Warning, "FailedCreate", $"Error creating job: {created.Error!.Message}");
            throw new InvalidOperationException(created.Error.Message);
        }
        else
        {
            job = created.Object;
            await Recorder.Event(cj, EventRecorder.Normal, "SuccessfulCreate", $"Created job {job.Metadata.Name}");
        }
        (cj.Status.Active ??= []).Add(new V1ObjectReference
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Name = job.Metadata.Name,
            NamespaceProperty = job.Metadata.NamespaceProperty,
            Uid = job.Metadata.Uid,
            ResourceVersion = job.Metadata.ResourceVersion,
        });
        cj.Status.LastScheduleTime = scheduled.UtcDateTime;
        return (Next(), true);
    }

    /// <summary>getJobName: the start time in minutes since the epoch makes the name of a start time's Job.</summary>
    public static string JobName(V1CronJob cj, DateTimeOffset scheduled) =>
        $"{cj.Metadata.Name}-{(scheduled.ToUnixTimeSeconds() / 60).ToString(CultureInfo.InvariantCulture)}";

    /// <summary>getJobFromTemplate2: the jobTemplate with the start time's name and annotation, owned by the CronJob.</summary>
    private static V1Job JobFromTemplate(V1CronJob cj, DateTimeOffset scheduled, TimeZoneInfo zone)
    {
        var template = KubeModels.Clone(cj.Spec.JobTemplate);
        var annotations = template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a) : new Dictionary<string, string>();
        var local = TimeZoneInfo.ConvertTime(scheduled, zone);
        annotations[ScheduledTimestampAnnotation] = local.Offset == TimeSpan.Zero
            ? local.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = JobName(cj, scheduled),
                NamespaceProperty = cj.Metadata.NamespaceProperty,
                Labels = template.Metadata?.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
                Annotations = annotations,
                OwnerReferences = [ControllerRefs.For(cj, "batch/v1", "CronJob")],
            },
            Spec = template.Spec,
        };
    }

    /// <summary>cleanupFinishedJobs: the oldest finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit go.</summary>
    private async Task<bool> CleanupFinishedJobs(V1CronJob cj, List<V1Job> jobs)
    {
        if (cj.Spec.SuccessfulJobsHistoryLimit is null && cj.Spec.FailedJobsHistoryLimit is null) return false;
        var changed = false;
        var succeeded = jobs.Where(j => JobConditions.IsTrue(j, JobConditions.Complete)).ToList();
        var failed = jobs.Where(j => JobConditions.IsTrue(j, JobConditions.Failed)).ToList();
        if (cj.Spec.SuccessfulJobsHistoryLimit is { } keepSucceeded) changed |= await RemoveOldestJobs(cj, succeeded, keepSucceeded);
        if (cj.Spec.FailedJobsHistoryLimit is { } keepFailed) changed |= await RemoveOldestJobs(cj, failed, keepFailed);
        return changed;
    }

    private async Task<bool> RemoveOldestJobs(V1CronJob cj, List<V1Job> jobs, int keep)
    {
        var doomed = jobs.Count - keep;
        if (doomed <= 0) return false;
        var changed = false;
        // byJobStartTime: Jobs that never started last, then by start time, then by name.
        var order = jobs.Where(j => !KubeModels.IsDeleting(j))
            .OrderBy(j => j.Status?.StartTime is null ? 1 : 0).ThenBy(j => j.Status?.StartTime).ThenBy(j => j.Metadata.Name, StringComparer.Ordinal);
        foreach (var job in order.Take(doomed))
            changed |= await DeleteJob(cj, job);
        return changed;
    }

    /// <summary>deleteJob: background propagation (the garbage collector takes the pods), then out of status.active.</summary>
    private async Task<bool> DeleteJob(V1CronJob cj, V1Job job)
    {
        var error = await Api.Delete<V1Job>(job.Metadata.NamespaceProperty ?? "", job.Metadata.Name, new DeleteRequest(PropagationPolicy: "Background"));
        if (error is not null && error.Code != 404)
        {
            await Recorder.Event(cj, EventRecorder.Warning, "FailedDelete", $"Deleted job: {error.Message}");
            return false;
        }
        RemoveActive(cj, job.Metadata.Uid);
        await Recorder.Event(cj, EventRecorder.Normal, "SuccessfulDelete", $"Deleted job {job.Metadata.Name}");
        return true;
    }

    private static void RemoveActive(V1CronJob cj, string uid)
    {
        if (cj.Status.Active is null) return;
        cj.Status.Active = cj.Status.Active.Where(r => r.Uid != uid).ToList();
        if (cj.Status.Active.Count == 0) cj.Status.Active = null;
    }

    private static bool StatusEquals(V1CronJob a, V1CronJob b) =>
        KubeModels.ToJsonObject(a.Status ?? new V1CronJobStatus()).ToJsonString() == KubeModels.ToJsonObject(b.Status ?? new V1CronJobStatus()).ToJsonString();
}

using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Actors.Workqueue;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Job;

/// <summary>
/// kube-controller-manager's Job controller (pkg/controller/job, --concurrent-job-syncs=5): runs a
/// Job's pods to completion.
/// <list type="bullet">
/// <item>keeps at most spec.parallelism pods active, created in slow-start batches behind
/// expectations, each with the <c>batch.kubernetes.io/job-tracking</c> finalizer;</item>
/// <item>counts a finished pod through status.uncountedTerminatedPods, then removes its finalizer,
/// then moves it into succeeded/failed, so that no outcome is lost nor counted twice;</item>
/// <item>replaces failed pods after an exponential back-off, fails the Job past backoffLimit,
/// backoffLimitPerIndex, activeDeadlineSeconds or a FailJob rule of its podFailurePolicy (first the
/// interim FailureTarget condition, then Failed once its pods are gone), completes it
/// (SuccessCriteriaMet, then Complete) when enough pods or indexes succeeded;</item>
/// <item>suspends and resumes it.</item>
/// </list>
/// Pods left with the finalizer by a Job that is gone or finished are released through a second
/// queue (the orphan queue of Kubernetes).
/// </summary>
public sealed partial class JobController : Controller
{
    public const int Workers = 5;

    /// <summary>MaxPodCreateDeletePerSync.</summary>
    public const int BurstPods = 500;

    private readonly Indexer<V1Job> _jobs;
    private readonly Indexer<V1Pod> _pods;
    private readonly UidTrackingExpectations _expectations;
    private readonly FinalizerExpectations _finalizers = new();

    /// <summary>This controller's last status write per Job: older cached Jobs are not acted on.</summary>
    private readonly OwnStatusWrites _statusWritten = new();
    private readonly JobBackoff _backoff;
    private readonly RateLimitingQueue _orphans;

    public JobController(ControllerContext context, TimingProfile timing, int workers = Workers) : base(context, "job-controller", workers)
    {
        _expectations = new UidTrackingExpectations(Time);
        _backoff = new JobBackoff(timing.JobBackoffBase, timing.JobBackoffMax);
        var jobs = Informers.For<V1Job>();
        var pods = Informers.For<V1Pod>();
        _jobs = jobs.Indexer;
        _pods = pods.Indexer;
        Handle(jobs, added: Enqueue, updated: UpdateJob, deleted: DeleteJob);
        Handle(pods, added: AddPod, updated: UpdatePod, deleted: DeletePod);
        _orphans = AddQueue("orphan-pods", 1, SyncOrphanPod);
    }

    public static Props Props(ControllerContext context, TimingProfile timing, int workers = Workers) =>
        Akka.Actor.Props.Create(() => new JobController(context, timing, workers));

    // ---- event handlers (on the actor) ----

    private void UpdateJob(V1Job old, V1Job cur)
    {
        if (old.Metadata.Uid != cur.Metadata.Uid) DeleteJob(old);
        Enqueue(cur);
    }

    private void DeleteJob(V1Job job)
    {
        var key = KubeModels.Key(job);
        _expectations.DeleteExpectations(key);
        _finalizers.Forget(key);
        _backoff.Forget(key);
        // The pods keep their finalizer until someone removes it: the Job will not any more.
        foreach (var pod in _pods.ByIndex(Indexers.ControllerUid, job.Metadata.Uid))
            if (JobPods.HasTrackingFinalizer(pod)) _orphans.Add(KubeModels.Key(pod));
        Enqueue(key);
    }

    private void AddPod(V1Pod pod)
    {
        if (KubeModels.IsDeleting(pod))
        {
            DeletePod(pod);
            return;
        }
        if (JobOf(pod) is not { } job)
        {
            if (JobPods.HasTrackingFinalizer(pod)) _orphans.Add(KubeModels.Key(pod));
            return;
        }
        var key = KubeModels.Key(job);
        _expectations.CreationObserved(key);
        Enqueue(key);
    }

    private void UpdatePod(V1Pod old, V1Pod cur)
    {
        if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return;
        if (JobOf(cur) is not { } job)
        {
            if (JobPods.HasTrackingFinalizer(cur)) _orphans.Add(KubeModels.Key(cur));
            if (JobOf(old) is { } previous) Enqueue(previous);
            return;
        }
        var key = KubeModels.Key(job);
        if (!JobPods.HasTrackingFinalizer(cur)) _finalizers.Observed(key, cur.Metadata.Uid);
        if (KubeModels.IsDeleting(cur)) _expectations.DeletionObserved(key, KubeModels.Key(cur));
        // A finished Job still owns pods that may keep the finalizer: the orphan queue releases them.
        if (JobConditions.IsFinished(job) && JobPods.HasTrackingFinalizer(cur)) _orphans.Add(KubeModels.Key(cur));
        Enqueue(key);
    }

    private void DeletePod(V1Pod pod)
    {
        if (JobOf(pod) is not { } job)
        {
            if (JobPods.HasTrackingFinalizer(pod) && KubeModels.IsDeleting(pod)) _orphans.Add(KubeModels.Key(pod));
            return;
        }
        var key = KubeModels.Key(job);
        _expectations.DeletionObserved(key, KubeModels.Key(pod));
        if (_pods.Get(KubeModels.Key(pod)) is null || !JobPods.HasTrackingFinalizer(pod)) _finalizers.Observed(key, pod.Metadata.Uid);
        Enqueue(key);
    }

    /// <summary>resolveControllerRef: the Job a pod's controllerRef names, if it is still the same object.</summary>
    private V1Job? JobOf(V1Pod pod)
    {
        if (KubeModels.ControllerOf(pod) is not { Kind: "Job" } controllerRef) return null;
        var job = _jobs.Get(pod.Metadata.NamespaceProperty, controllerRef.Name);
        return job is not null && job.Metadata.Uid == controllerRef.Uid ? job : null;
    }

    // ---- the orphan queue (on a worker) ----

    /// <summary>
    /// syncOrphanPod: a pod with the tracking finalizer whose Job is gone, replaced or finished has
    /// nobody left to count it: the finalizer goes, so that the pod can be deleted.
    /// </summary>
    private async Task<SyncResult> SyncOrphanPod(string key)
    {
        var pod = _pods.Get(key);
        if (pod is null || !JobPods.HasTrackingFinalizer(pod)) return SyncResult.Done;
        if (JobOf(pod) is { } job && !JobConditions.IsFinished(job)) return SyncResult.Done;
        await RemoveFinalizer(pod);
        return SyncResult.Done;
    }

    /// <summary>removeTrackingFinalizerPatch: a strategic merge patch with the pod's uid as precondition.</summary>
    private async Task<bool> RemoveFinalizer(V1Pod pod)
    {
        var patch = $$$"""{"metadata":{"$deleteFromPrimitiveList/finalizers":["{{{JobPods.TrackingFinalizer}}}"],"uid":"{{{pod.Metadata.Uid}}}"}}""";
        var result = await Api.Patch<V1Pod>(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name, PatchDispatch.StrategicMergePatch, patch);
        if (result.IsNotFound || result.Error?.Code is 409 or 422) return true; // gone, or another pod under that name
        _ = result.Object;
        return true;
    }
}

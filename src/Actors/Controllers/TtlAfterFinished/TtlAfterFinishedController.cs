using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.Job;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.TtlAfterFinished;

/// <summary>
/// kube-controller-manager's TTL-after-finished controller (pkg/controller/ttlafterfinished,
/// --concurrent-ttl-after-finished-syncs=5): a finished Job with spec.ttlSecondsAfterFinished is
/// deleted, with background propagation (the garbage collector takes its pods), once that many
/// seconds have passed since it finished. Each Job's key comes back when its time is due; before
/// deleting, a fresh read checks it still expired (its TTL may have changed), and the delete is
/// conditional on that read's resourceVersion.
/// </summary>
public sealed class TtlAfterFinishedController : Controller
{
    public const int Workers = 5;

    private readonly Indexer<V1Job> _jobs;

    public TtlAfterFinishedController(ControllerContext context, int workers = Workers) : base(context, "ttl-after-finished-controller", workers)
    {
        var jobs = Informers.For<V1Job>();
        _jobs = jobs.Indexer;
        Handle(jobs, added: EnqueueIfNeeded, updated: (_, cur) => EnqueueIfNeeded(cur));
    }

    public static Props Props(ControllerContext context, int workers = Workers) =>
        Akka.Actor.Props.Create(() => new TtlAfterFinishedController(context, workers));

    private void EnqueueIfNeeded(V1Job job)
    {
        if (NeedsCleanup(job)) Enqueue(job);
    }

    private static bool NeedsCleanup(V1Job job) =>
        job.Spec?.TtlSecondsAfterFinished is not null && JobConditions.IsFinished(job) && !KubeModels.IsDeleting(job);

    protected override async Task<SyncResult> Sync(string key)
    {
        var job = _jobs.Get(key);
        if (job is null || !NeedsCleanup(job)) return SyncResult.Done;
        if (Remaining(job) is { } wait && wait > TimeSpan.Zero) return SyncResult.After(wait);

        // The cache may be stale: the TTL may have been changed or removed since.
        var (ns, name) = KubeModels.SplitKey(key);
        var fresh = await Api.Get<V1Job>(ns, name);
        if (fresh.IsNotFound) return SyncResult.Done;
        var current = fresh.Object;
        if (!NeedsCleanup(current)) return SyncResult.Done;
        if (Remaining(current) is { } again && again > TimeSpan.Zero) return SyncResult.After(again);

        var error = await Api.Delete<V1Job>(ns, name, new DeleteRequest(PropagationPolicy: "Background",
            PreconditionUid: current.Metadata.Uid, PreconditionResourceVersion: current.Metadata.ResourceVersion));
        if (error is null || error.Code == 404) return SyncResult.Done;
        if (error.Code == 409) return SyncResult.Retry;
        throw new InvalidOperationException(error.Message);
    }

    /// <summary>timeLeft: from when the Job finished (completionTime, or the Failed condition) plus its TTL.</summary>
    private TimeSpan? Remaining(V1Job job)
    {
        if (JobConditions.FinishedAt(job) is not { } finished) return null;
        var expireAt = finished + TimeSpan.FromSeconds(job.Spec.TtlSecondsAfterFinished ?? 0);
        return expireAt - Time.GetUtcNow();
    }
}

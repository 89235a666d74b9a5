using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Node.Kubelet;
using Akka.KubeEmu.Actors.Flowcontrol;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;

namespace Akka.KubeEmu.Actors.Node.Pods;

// Graceful termination (pod_workers.go terminating -> terminated -> finished): SIGTERM to every
// running container, SIGKILL at the end of the grace period, the final status, then the
// DELETE with grace period 0 that lets the API server remove the pod.
public sealed partial class PodWorker
{
    private Backoff? _deleteBackoff; // only pods whose writes fail need one
    private DateTimeOffset? _killDeadline;
    private bool _finalized;
    private bool _deleteInFlight;
    private bool _finished;

    private void SyncTermination(DateTimeOffset now)
    {
        // Deleted, or ended by the kubelet itself (active deadline): every container is stopped.
        var grace = Math.Max(0, (_pod.Deleting ? _pod.DeletionGracePeriodSeconds : null) ?? _pod.TerminationGracePeriodSeconds);
        var deadline = now + TimeSpan.FromSeconds(Math.Max(2, grace));
        if (_killDeadline is null)
        {
            _killDeadline = deadline;
            _startQueue.Clear();
            _starting = null;
            foreach (var c in All)
            {
                c.ClearRetryTimers();
                c.Pulling = false;
                BeginStop(c, now, grace);
            }
        }
        else if (deadline < _killDeadline)
        {
            // The deletion was repeated with a shorter grace period: SIGKILL comes sooner.
            _killDeadline = deadline;
            foreach (var c in All)
                if (c.Stage == ContainerStage.Running && c.ExitAt > deadline)
                {
                    c.ExitAt = deadline;
                    c.ExitCode = 137;
                    c.ExitReason = "Error";
                }
        }
        foreach (var c in All)
            if (c.Stage == ContainerStage.Running && c.ExitAt is { } at && at <= now) Exit(c, at, c.ExitCode, c.ExitReason);
        if (All.Any(c => c.Stage == ContainerStage.Running) || _finalized) return;

        _finalized = true;
        foreach (var c in All.Where(c => c.Stage == ContainerStage.Waiting))
        {
            // Never ran (or was between runs): the kubelet reports it as lost with the pod.
            c.Last ??= c.Terminated;
            c.Stage = ContainerStage.Terminated;
            c.Terminated = new TerminatedRun(137, "ContainerStatusUnknown", "The container could not be located when the pod was terminated", now, now, null);
        }
        foreach (var c in All) c.Done = true;
        BecomeTerminal(_eviction is not null ? "Failed" : _terminalPhase ?? (_main.All(c => c.Succeeded) ? "Succeeded" : "Failed"));
    }

    /// <summary>After the final status is written: the pod is deleted, or (not being deleted) left as it is.</summary>
    private void AfterFinalStatus()
    {
        if (_pod.Deleting && (_finalized || _rejection is not null)) TryDelete();
        else if (_terminalPhase is not null || _rejection is not null) Finish();
    }

    private void TryDelete()
    {
        if (_deleteInFlight || _finished) return;
        _deleteInFlight = true;
        _node.Api.Delete(ResourceCatalog.Pods, _pod.Namespace, _pod.Name, new DeleteRequest(GracePeriodSeconds: 0, PreconditionUid: _pod.Uid))
            .PipeTo(Self, success: r => new PodDeleted(r),
                failure: e => new PodDeleted(new StoreResult(null, ApiStatus.Internal(e.GetBaseException().Message))));
    }

    private void OnPodDeleted(PodDeleted deleted)
    {
        _deleteInFlight = false;
        var r = deleted.Result;
        // Gone already, or the name belongs to a new pod (uid precondition): either way, done.
        if (r.Ok || r.IsNotFound || r.IsConflict)
        {
            Finish();
            return;
        }
        Timers.StartSingleTimer("delete", RetryDelete.Instance, (_deleteBackoff ??= new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10))).NextDelay(_node.Now));
    }

    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        Timers.CancelAll();
        // A finished pod that stays (a Job's) keeps its logs on the node until it is deleted.
        Context.Parent.Tell(new PodWorkerDone(_pod.Uid, _pod.Deleting ? null : LogViews()));
        Context.Stop(Self);
    }

    private sealed record PodDeleted(StoreResult Result);

    private sealed class RetryDelete
    {
        public static readonly RetryDelete Instance = new();
    }
}

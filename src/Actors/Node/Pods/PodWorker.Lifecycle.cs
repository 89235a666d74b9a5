using Akka.Event;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Node.Pods.Lifecycle;

namespace Akka.KubeEmu.Actors.Node.Pods;

// Container lifecycle hooks (kuberuntime_container.go: startContainer's step 4, killContainer's
// executePreStopHook) and the pod's active deadline (pkg/kubelet/active_deadline.go).
public sealed partial class PodWorker
{
    private const string DeadlineExceededReason = "DeadlineExceeded";
    private const string DeadlineExceededMessage = "Pod was active on the node longer than the specified deadline";

    /// <summary>Why the kubelet itself ended the pod (phase Failed with this reason and message); null: it did not.</summary>
    private (string Reason, string Message)? _eviction;

    /// <summary>
    /// Right after the container started: a failed postStart hook kills it (event FailedPostStartHook,
    /// then Killing "FailedPostStartHook"), and it restarts as its restart policy says. The event does not
    /// carry the hook's message, so that secrets do not leak into events.
    /// </summary>
    private void RunPostStart(ContainerRecord c, DateTimeOffset now)
    {
        if (c.Spec.PostStart is not { } hook) return;
        var outcome = LifecycleHookRunner.Run(hook, c, All, _podIp ?? "", _pod.Formatted, HookLimit, now);
        if (outcome.Error is null) return;
        _log.Debug("Pod {0}: {1}", _pod.Formatted, outcome.Error);
        Event(EventRecorder.Warning, "FailedPostStartHook", "PostStartHook failed", c);
        BeginStop(c, now, _pod.TerminationGracePeriodSeconds, "FailedPostStartHook");
    }

    /// <summary>
    /// Before SIGTERM: the preStop hook runs first and uses up part of the grace period (what is left,
    /// 2 s at least, is SIGTERM's). Returns when SIGTERM is sent.
    /// </summary>
    private DateTimeOffset RunPreStop(ContainerRecord c, DateTimeOffset now, long graceSeconds)
    {
        if (c.Spec.PreStop is not { } hook || graceSeconds <= 0) return now;
        var outcome = LifecycleHookRunner.Run(hook, c, All, _podIp ?? "", _pod.Formatted, TimeSpan.FromSeconds(graceSeconds), now);
        if (outcome.Error is not null)
        {
            _log.Debug("Pod {0}: {1}", _pod.Formatted, outcome.Error);
            Event(EventRecorder.Warning, "FailedPreStopHook", "PreStopHook failed", c);
        }
        return now + outcome.Took;
    }

    /// <summary>A postStart hook that never ends would hold the pod; the simulated one gets this long at most.</summary>
    private static readonly TimeSpan HookLimit = TimeSpan.FromMinutes(5);

    /// <summary>When the pod's active deadline runs out, counted from its startTime; null: it has none.</summary>
    private DateTimeOffset? ActiveDeadline =>
        _pod.ActiveDeadlineSeconds is { } seconds && _eviction is null && !_pod.Deleting && _rejection is null && _terminalPhase is null
            ? _startTime + TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>Past its deadline the pod is killed with its grace period, then reported Failed with reason DeadlineExceeded.</summary>
    private bool CheckActiveDeadline(DateTimeOffset now)
    {
        if (ActiveDeadline is not { } deadline || now < deadline) return false;
        Event(EventRecorder.Normal, DeadlineExceededReason, DeadlineExceededMessage);
        _eviction = (DeadlineExceededReason, DeadlineExceededMessage);
        return true;
    }
}

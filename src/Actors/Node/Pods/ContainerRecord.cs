using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Flowcontrol;

namespace Akka.KubeEmu.Actors.Node.Pods;

public enum ContainerStage { Waiting, Running, Terminated }

/// <summary>A finished run of a container (state.terminated / lastState.terminated).</summary>
public sealed record TerminatedRun(int ExitCode, string Reason, string? Message, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? ContainerId);

/// <summary>
/// One container of a pod as the simulated runtime and the kubelet see it: its state machine
/// (Waiting -> Running -> Terminated, again on restart), the timed events of the current run
/// and its two backoffs. A plain object inside the PodWorker: no actor, no timer of its own.
/// </summary>
public sealed class ContainerRecord(ContainerModel spec, int key)
{
    public ContainerModel Spec { get; set; } = spec;

    /// <summary>Position in the pod: init containers first, then regular ones.</summary>
    public int Key { get; } = key;

    public string Name => Spec.Name;

    // ---- the status the kubelet reports ----
    public ContainerStage Stage { get; set; } = ContainerStage.Waiting;
    public string? WaitingReason { get; set; }
    public string? WaitingMessage { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public TerminatedRun? Terminated { get; set; }
    public TerminatedRun? Last { get; set; }
    public int RestartCount { get; set; }
    public string? ContainerId { get; set; }
    public ImageReference? Image { get; set; }
    public bool Ready { get; set; }
    public bool Started { get; set; }

    /// <summary>The container has been created at least once (a new start is a restart).</summary>
    public bool EverCreated { get; set; }

    /// <summary>The Service variables the current run started with (the kubelet computes them at each start).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServiceEnvironment { get; set; } = [];

    /// <summary>The environment the current run started with (makeEnvironmentVariables at its start).</summary>
    public Dictionary<string, string>? Environment { get; set; }

    // ---- the current run (times are absolute; null when not pending) ----
    public ProgramPlan? Plan { get; set; }
    public DateTimeOffset? ExitAt { get; set; }
    public int ExitCode { get; set; }
    public string ExitReason { get; set; } = "Completed";
    public DateTimeOffset? ReadyAt { get; set; }
    public DateTimeOffset? StartupDoneAt { get; set; }
    public DateTimeOffset? LivenessFailAt { get; set; }

    /// <summary>The running process of this instance; null when none runs.</summary>
    public ContainerProcess? Process { get; set; }

    /// <summary>The log of the current (or last) instance, and the one before it (--previous).</summary>
    public ContainerLog? Log { get; set; }

    public ContainerLog? PreviousLog { get; set; }

    public ProbeSet Probes { get; } = new();

    /// <summary>Its readiness delay has passed before it started: ready once the startup probe succeeds.</summary>
    public bool ReadyWhenStarted { get; set; }

    /// <summary>SIGTERM sent; the process ends at <see cref="ExitAt"/> (its own pace or SIGKILL).</summary>
    public bool Stopping { get; set; }

    // ---- restarts ----
    public Backoff CrashBackoff { get; } = Backoff.Container();

    /// <summary>When the kubelet notices the exit and decides about a restart (its next relist).</summary>
    public DateTimeOffset? DecideAt { get; set; }

    public DateTimeOffset? RestartAt { get; set; }

    /// <summary>Restart whatever the restart policy says (the spec changed, the kubelet killed it).</summary>
    public bool ForceRestart { get; set; }

    /// <summary>Finished and never to run again.</summary>
    public bool Done { get; set; }

    // ---- starting and images ----
    public bool StartRequested { get; set; }
    public bool Pulling { get; set; }
    public int Attempt { get; set; }
    public Backoff PullBackoff { get; } = Backoff.Container();
    public DateTimeOffset? LastPullFailure { get; set; }
    public DateTimeOffset? ShowPullBackOffAt { get; set; }
    public DateTimeOffset? PullRetryAt { get; set; }

    public bool Succeeded => Stage == ContainerStage.Terminated && Terminated?.ExitCode == 0;

    /// <summary>The earliest pending timed event of this container.</summary>
    public DateTimeOffset? NextDue()
    {
        DateTimeOffset? min = null;
        foreach (var t in (ReadOnlySpan<DateTimeOffset?>)[ExitAt, ReadyAt, StartupDoneAt, LivenessFailAt, DecideAt, RestartAt, ShowPullBackOffAt, PullRetryAt,
                     Stage == ContainerStage.Running ? Process?.NextDue : null, Stage == ContainerStage.Running && !Stopping ? Probes.NextDue : null])
            if (t is { } v && (min is null || v < min)) min = v;
        return min;
    }

    public void ClearRunTimers()
    {
        ExitAt = null;
        ReadyAt = null;
        StartupDoneAt = null;
        LivenessFailAt = null;
        Stopping = false;
        ReadyWhenStarted = false;
    }

    public void ClearRetryTimers()
    {
        DecideAt = null;
        RestartAt = null;
        ShowPullBackOffAt = null;
        PullRetryAt = null;
        StartRequested = false;
    }
}

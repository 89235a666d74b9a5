using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Node.Runtime;

public enum ContainerPhase { Waiting, Running, Terminated }

/// <summary>
/// One container as the simulated runtime knows it: the CRI state plus what the kubelet adds
/// (restart count, backoff, readiness). Rendered into a v1.ContainerStatus by <see cref="ToStatus"/>.
/// </summary>
public sealed class ContainerState(string name, string image, bool isInit, ContainerProgram program)
{
    public string Name { get; } = name;
    public string Image { get; } = image;
    public ImageReference Reference { get; } = ImageReference.Parse(image);
    public bool IsInit { get; } = isInit;
    public ContainerProgram Program { get; set; } = program;

    public ContainerPhase Phase { get; set; } = ContainerPhase.Waiting;
    public string WaitingReason { get; set; } = isInit ? "PodInitializing" : "ContainerCreating";
    public string? WaitingMessage { get; set; }
    public string? ContainerId { get; set; }
    public bool ImagePulled { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int ExitCode { get; set; }
    public string? TerminatedReason { get; set; }
    public JsonObject? LastTerminated { get; set; }
    public int RestartCount { get; set; }
    public bool Ready { get; set; }

    /// <summary>Increments on every start, so timers of an earlier run are recognised as stale.</summary>
    public int Run { get; set; }

    public TimeSpan CrashBackoff { get; set; }

    public bool Succeeded => Phase == ContainerPhase.Terminated && ExitCode == 0;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["name"] = Name,
            ["state"] = StateJson(),
            ["lastState"] = LastTerminated is null ? new JsonObject() : new JsonObject { ["terminated"] = LastTerminated.DeepClone() },
            ["ready"] = Ready,
            ["restartCount"] = RestartCount,
            ["image"] = ImagePulled ? Reference.FullName : Image,
            ["imageID"] = ImagePulled ? $"{Reference.Registry}/{Reference.Repository}@{ImageCatalog.Digest(Reference)}" : "",
        };
        if (ContainerId is not null) status["containerID"] = "containerd://" + ContainerId;
        status["started"] = Phase == ContainerPhase.Running;
        return status;
    }

    /// <summary>The terminated state of the run that just ended, kept as lastState after a restart.</summary>
    public JsonObject TerminatedJson()
    {
        var terminated = new JsonObject { ["exitCode"] = ExitCode };
        if (TerminatedReason is not null) terminated["reason"] = TerminatedReason;
        if (StartedAt is { } s) terminated["startedAt"] = KubeObject.Timestamp(s);
        if (FinishedAt is { } f) terminated["finishedAt"] = KubeObject.Timestamp(f);
        if (ContainerId is not null) terminated["containerID"] = "containerd://" + ContainerId;
        return terminated;
    }

    private JsonObject StateJson() => Phase switch
    {
        ContainerPhase.Running => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = KubeObject.Timestamp(StartedAt!.Value) } },
        ContainerPhase.Terminated => new JsonObject { ["terminated"] = TerminatedJson() },
        _ => new JsonObject
        {
            ["waiting"] = WaitingMessage is null
                ? new JsonObject { ["reason"] = WaitingReason }
                : new JsonObject { ["reason"] = WaitingReason, ["message"] = WaitingMessage },
        },
    };
}

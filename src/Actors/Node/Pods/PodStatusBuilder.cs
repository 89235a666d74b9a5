using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>Remembers since when each pod condition has had its status (lastTransitionTime).</summary>
public sealed class ConditionClock
{
    private readonly Dictionary<string, (string Status, DateTimeOffset Since)> _since = new(StringComparer.Ordinal);

    public DateTimeOffset Since(string type, string status, DateTimeOffset now)
    {
        if (_since.TryGetValue(type, out var known) && known.Status == status) return known.Since;
        _since[type] = (status, now);
        return now;
    }

    /// <summary>Takes over the times a previous kubelet wrote, so a restart does not move them.</summary>
    public void Seed(JsonArray? conditions)
    {
        if (conditions is null) return;
        foreach (var c in conditions.OfType<JsonObject>())
            if (KubeObject.String(c, "type") is { } type && KubeObject.String(c, "status") is { } status
                && KubeObject.ParseTimestamp(KubeObject.String(c, "lastTransitionTime")) is { } at)
                _since[type] = (status, at);
    }
}

/// <summary>Everything the pod status is computed from.</summary>
public sealed record PodStatusInput(
    PodModel Pod,
    JsonObject? StoredStatus,
    IReadOnlyList<ContainerRecord> Init,
    IReadOnlyList<ContainerRecord> Main,
    bool Initialized,
    bool SandboxReady,
    string? TerminalPhase,
    (string Reason, string Message)? Rejection,
    string HostIp,
    string? PodIp,
    DateTimeOffset StartTime,
    ConditionClock Clock,
    DateTimeOffset Now)
{
    /// <summary>Why the kubelet itself ended the pod (e.g. DeadlineExceeded): phase Failed with this reason and message.</summary>
    public (string Reason, string Message)? Eviction { get; init; }

    /// <summary>The ephemeral containers (kubectl debug), in the order the spec lists them.</summary>
    public IReadOnlyList<ContainerRecord> Ephemeral { get; init; } = [];
}

/// <summary>
/// The pod status the kubelet posts (kubelet_pods.go generateAPIPodStatus, getPhase and
/// pkg/kubelet/status generate.go): phase, the four kubelet-owned conditions, container
/// statuses. Fields other components own (PodScheduled, qosClass, nominatedNodeName) are kept
/// from the stored status.
/// </summary>
public static class PodStatusBuilder
{
    private static readonly string[] KubeletConditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"];

    public static string Phase(PodStatusInput s)
    {
        if (s.Rejection is not null || s.Eviction is not null) return "Failed";
        if (s.TerminalPhase is { } terminal) return terminal;
        if (!s.Initialized && !s.Main.Any(c => c.EverCreated)) return "Pending";
        int running = 0, waiting = 0, stopped = 0, succeeded = 0;
        foreach (var c in s.Main)
        {
            switch (c.Stage)
            {
                case ContainerStage.Running:
                    running++;
                    break;
                case ContainerStage.Terminated:
                    stopped++;
                    if (c.Terminated?.ExitCode == 0) succeeded++;
                    break;
                default:
                    if (c.Last is not null) stopped++;
                    else waiting++;
                    break;
            }
        }
        if (waiting > 0) return "Pending";
        if (running > 0) return "Running";
        if (stopped > 0)
        {
            if (s.Pod.RestartPolicy == "Always") return "Running";
            if (stopped == succeeded) return "Succeeded";
            if (s.Pod.RestartPolicy == "Never") return "Failed";
            return "Running";
        }
        return "Pending";
    }

    public static JsonObject Build(PodStatusInput s)
    {
        var status = s.StoredStatus?.DeepClone().AsObject() ?? new JsonObject();
        var phase = Phase(s);
        status["phase"] = phase;
        if (s.Rejection is { } rejected)
        {
            // rejectPod: only phase, reason and message (and the conditions others wrote).
            status["reason"] = rejected.Reason;
            status["message"] = "Pod was rejected: " + rejected.Message;
            return status;
        }
        if (s.Eviction is { } evicted)
        {
            status["reason"] = evicted.Reason;
            status["message"] = evicted.Message;
        }
        status["conditions"] = Conditions(s, phase, status["conditions"] as JsonArray);
        status["hostIP"] = s.HostIp;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = s.HostIp });
        if (s.PodIp is not null && (s.SandboxReady || status["podIP"] is not null))
        {
            status["podIP"] = s.PodIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = s.PodIp });
        }
        status["startTime"] = KubeObject.Timestamp(s.StartTime);
        // Containers not created yet wait in ContainerCreating, or PodInitializing while init containers exist.
        var defaultWaiting = s.Init.Count > 0 ? "PodInitializing" : "ContainerCreating";
        if (s.Init.Count > 0) status["initContainerStatuses"] = ContainerStatuses(s.Init, defaultWaiting);
        else status.Remove("initContainerStatuses");
        status["containerStatuses"] = ContainerStatuses(s.Main, defaultWaiting);
        if (s.Ephemeral.Count > 0) status["ephemeralContainerStatuses"] = ContainerStatuses(s.Ephemeral, "ContainerCreating", ephemeral: true);
        else status.Remove("ephemeralContainerStatuses");
        status["qosClass"] ??= QosClass(s.Pod);
        return status;
    }

    private static JsonArray Conditions(PodStatusInput s, string phase, JsonArray? stored)
    {
        var conditions = new JsonArray();
        var terminal = phase is "Succeeded" or "Failed";
        var completed = phase == "Succeeded";

        Add(conditions, s, "PodReadyToStartContainers", s.SandboxReady && !terminal, null, null);

        var incomplete = s.Init.Where(c => c.Spec.Restartable ? !c.Started : !c.Succeeded).Select(c => c.Name).ToArray();
        if (s.Init.Count == 0 || s.Initialized || incomplete.Length == 0)
            Add(conditions, s, "Initialized", true, completed && s.Init.Count > 0 ? "PodCompleted" : null, null);
        else
            Add(conditions, s, "Initialized", false, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', incomplete)}]");

        var unready = s.Init.Where(c => c.Spec.Restartable && !c.Ready).Concat(s.Main.Where(c => !c.Ready)).Select(c => c.Name).ToArray();
        foreach (var type in (string[])["Ready", "ContainersReady"])
        {
            if (completed) Add(conditions, s, type, false, "PodCompleted", null);
            else if (unready.Length == 0) Add(conditions, s, type, true, null, null);
            else Add(conditions, s, type, false, "ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
        }

        if (stored is not null)
            foreach (var other in stored.OfType<JsonObject>())
                if (!KubeletConditions.Contains(KubeObject.String(other, "type"))) conditions.Add(other.DeepClone());
        return conditions;
    }

    private static void Add(JsonArray conditions, PodStatusInput s, string type, bool value, string? reason, string? message)
    {
        var status = value ? "True" : "False";
        var condition = new JsonObject
        {
            ["type"] = type,
            ["status"] = status,
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = KubeObject.Timestamp(s.Clock.Since(type, status, s.Now)),
        };
        if (reason is not null) condition["reason"] = reason;
        if (message is not null) condition["message"] = message;
        conditions.Add(condition);
    }

    private static JsonArray ContainerStatuses(IReadOnlyList<ContainerRecord> containers, string defaultWaiting, bool ephemeral = false)
    {
        var list = new JsonArray();
        foreach (var c in containers)
        {
            var status = new JsonObject
            {
                ["name"] = c.Name,
                ["state"] = State(c, defaultWaiting),
                ["lastState"] = c.Last is { } last ? new JsonObject { ["terminated"] = Terminated(last) } : new JsonObject(),
                ["ready"] = c.Ready,
                ["restartCount"] = c.RestartCount,
                ["image"] = c.Image?.FullName ?? c.Spec.Image,
                ["imageID"] = c.Image is { } image ? ContainerRuntime.ImageCatalog.ImageId(image) : "",
                ["started"] = c.Started,
            };
            if (c.ContainerId is not null) status["containerID"] = "containerd://" + c.ContainerId;
            // No probes run in ephemeral containers: the kubelet reports no "started" for them.
            if (ephemeral) status.Remove("started");
            list.Add(status);
        }
        return list;
    }

    private static JsonObject State(ContainerRecord c, string defaultWaiting) => c.Stage switch
    {
        ContainerStage.Running => new JsonObject
        {
            ["running"] = new JsonObject { ["startedAt"] = KubeObject.Timestamp(c.StartedAt ?? default) },
        },
        ContainerStage.Terminated when c.Terminated is { } t => new JsonObject { ["terminated"] = Terminated(t) },
        _ => new JsonObject { ["waiting"] = Waiting(c, defaultWaiting) },
    };

    private static JsonObject Waiting(ContainerRecord c, string defaultWaiting)
    {
        var waiting = new JsonObject { ["reason"] = c.WaitingReason ?? defaultWaiting };
        if (c.WaitingMessage is not null) waiting["message"] = c.WaitingMessage;
        return waiting;
    }

    private static JsonObject Terminated(TerminatedRun t)
    {
        var terminated = new JsonObject
        {
            ["exitCode"] = t.ExitCode,
            ["reason"] = t.Reason,
            ["startedAt"] = KubeObject.Timestamp(t.StartedAt),
            ["finishedAt"] = KubeObject.Timestamp(t.FinishedAt),
        };
        if (t.Message is not null) terminated["message"] = t.Message;
        if (t.ContainerId is not null) terminated["containerID"] = "containerd://" + t.ContainerId;
        return terminated;
    }

    /// <summary>The QoS class kube-apiserver assigns at creation, for stores that did not.</summary>
    private static string QosClass(PodModel pod)
    {
        var all = pod.All.ToArray();
        if (all.All(c => c.CpuRequestMillis == 0 && c.MemoryRequestBytes == 0 && c.MemoryLimitBytes is null)) return "BestEffort";
        return "Burstable";
    }
}

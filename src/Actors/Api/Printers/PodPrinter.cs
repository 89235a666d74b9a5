using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>printPod: READY, the STATUS a person needs (Init:0/2, CrashLoopBackOff, Completed, Terminating...), RESTARTS "3 (2m ago)".</summary>
public static class PodPrinter
{
    public static readonly Printer Printer = new(
    [
        Column.NameColumn,
        new("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "The aggregate status of the containers in this pod."),
        new("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        Column.Age,
        new("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
        new("Node", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename", 1),
        new("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.", 1),
        new("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates", 1),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject json, DateTimeOffset now)
    {
        var pod = KubernetesJson.Deserialize<V1Pod>(json.ToJsonString());
        var spec = pod.Spec ?? new V1PodSpec();
        var status = pod.Status ?? new V1PodStatus();
        var restarts = 0;
        var sidecarRestarts = 0;
        var total = spec.Containers?.Count ?? 0;
        var ready = 0;
        DateTime? lastRestart = null, lastSidecarRestart = null;
        var reason = string.IsNullOrEmpty(status.Reason) ? status.Phase ?? "" : status.Reason;
        if (status.Conditions?.Any(c => c.Type == "PodScheduled" && c.Reason == "SchedulingGated") == true) reason = "SchedulingGated";

        var inits = (spec.InitContainers ?? []).ToDictionary(c => c.Name);
        total += inits.Values.Count(IsSidecar);
        var initializing = false;
        var initStatuses = status.InitContainerStatuses ?? [];
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var c = initStatuses[i];
            restarts += c.RestartCount;
            Later(ref lastRestart, c.LastState?.Terminated?.FinishedAt);
            var sidecar = inits.TryGetValue(c.Name, out var initSpec) && IsSidecar(initSpec);
            if (sidecar)
            {
                sidecarRestarts += c.RestartCount;
                Later(ref lastSidecarRestart, c.LastState?.Terminated?.FinishedAt);
            }
            if (c.State?.Terminated is { ExitCode: 0 }) continue;
            if (sidecar && c.Started == true)
            {
                if (c.Ready) ready++;
                continue;
            }
            if (c.State?.Terminated is { } t)
                reason = string.IsNullOrEmpty(t.Reason)
                    ? t.Signal is { } sig and not 0 ? $"Init:Signal:{sig}" : $"Init:ExitCode:{t.ExitCode}"
                    : "Init:" + t.Reason;
            else if (c.State?.Waiting is { Reason: { Length: > 0 } w } && w != "PodInitializing") reason = "Init:" + w;
            else reason = $"Init:{i}/{spec.InitContainers?.Count ?? 0}";
            initializing = true;
            break;
        }

        if (!initializing || status.Conditions?.Any(c => c.Type == "Initialized" && c.Status == "True") == true)
        {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            var hasRunning = false;
            var statuses = status.ContainerStatuses ?? [];
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var c = statuses[i];
                restarts += c.RestartCount;
                Later(ref lastRestart, c.LastState?.Terminated?.FinishedAt);
                if (c.State?.Waiting is { Reason: { Length: > 0 } waiting }) reason = waiting;
                else if (c.State?.Terminated is { Reason: { Length: > 0 } terminated }) reason = terminated;
                else if (c.State?.Terminated is { } t) reason = t.Signal is { } sig and not 0 ? $"Signal:{sig}" : $"ExitCode:{t.ExitCode}";
                else if (c.Ready && c.State?.Running is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }
            if (reason == "Completed" && hasRunning)
                reason = status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true ? "Running" : "NotReady";
        }

        if (pod.Metadata.DeletionTimestamp is not null && status.Reason == "NodeLost") reason = "Unknown";
        else if (pod.Metadata.DeletionTimestamp is not null && status.Phase is not ("Succeeded" or "Failed")) reason = "Terminating";

        var restartText = restarts != 0 && lastRestart is not null
            ? $"{restarts} ({HumanDuration.Since(lastRestart, now)} ago)"
            : restarts.ToString();

        var gates = "<none>";
        if (spec.ReadinessGates is { Count: > 0 } readinessGates)
        {
            var trueCount = readinessGates.Count(g => status.Conditions?.FirstOrDefault(c => c.Type == g.ConditionType)?.Status == "True");
            gates = $"{trueCount}/{readinessGates.Count}";
        }
        var ip = status.PodIPs is { Count: > 0 } ips ? ips[0].Ip : status.PodIP;
        return
        [
            pod.Metadata.Name, $"{ready}/{total}", reason, restartText, HumanDuration.Since(pod.Metadata.CreationTimestamp, now),
            string.IsNullOrEmpty(ip) ? "<none>" : ip,
            string.IsNullOrEmpty(spec.NodeName) ? "<none>" : spec.NodeName,
            string.IsNullOrEmpty(status.NominatedNodeName) ? "<none>" : status.NominatedNodeName,
            gates,
        ];
    }

    private static bool IsSidecar(V1Container c) => c.RestartPolicy == "Always";

    private static void Later(ref DateTime? latest, DateTime? candidate)
    {
        if (candidate is { } c && (latest is null || c > latest)) latest = c;
    }
}

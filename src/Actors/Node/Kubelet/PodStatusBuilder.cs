using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Runtime;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The pod status the kubelet's status manager would write (generateAPIPodStatus): phase,
/// the conditions in the kubelet's order, IPs, start time and container statuses.
/// lastTransitionTime moves only when a condition's status changes.
/// </summary>
public sealed class PodStatusBuilder
{
    private readonly Dictionary<string, (string Status, DateTimeOffset Since)> _conditions = new(StringComparer.Ordinal);

    public JsonObject Build(JsonObject pod, PodRuntime runtime, DateTimeOffset now)
    {
        var status = new JsonObject { ["phase"] = runtime.Phase };
        var conditions = new JsonArray();
        void Condition(string type, bool value, string? reason = null, string? message = null)
        {
            var s = value ? "True" : "False";
            if (!_conditions.TryGetValue(type, out var c) || c.Status != s) _conditions[type] = c = (s, now);
            var json = new JsonObject { ["type"] = type, ["status"] = s, ["lastProbeTime"] = null, ["lastTransitionTime"] = KubeObject.Timestamp(c.Since) };
            if (!value && reason is not null) json["reason"] = reason;
            if (!value && message is not null) json["message"] = message;
            conditions.Add(json);
        }

        Condition("PodReadyToStartContainers", runtime.SandboxReady);
        var pendingInit = runtime.Init.Where(c => !c.Succeeded).Select(c => c.Name).ToArray();
        Condition("Initialized", pendingInit.Length == 0, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(" ", pendingInit)}]");
        var unready = runtime.Main.Where(c => !c.Ready).Select(c => c.Name).ToArray();
        var completed = runtime.Phase is "Succeeded" or "Failed";
        var readyReason = completed ? "PodCompleted" : "ContainersNotReady";
        string? readyMessage = completed ? null : $"containers with unready status: [{string.Join(" ", unready)}]";
        Condition("Ready", unready.Length == 0 && !completed && !runtime.Terminating, readyReason, readyMessage);
        Condition("ContainersReady", unready.Length == 0 && !completed, readyReason, readyMessage);
        var scheduled = (KubeObject.At(pod, "status.conditions") as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => KubeObject.String(c, "type") == "PodScheduled");
        if (scheduled is not null) conditions.Add(scheduled.DeepClone());
        status["conditions"] = conditions;

        status["hostIP"] = runtime.HostIp;
        status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = runtime.HostIp });
        if (runtime.SandboxReady && runtime.PodIp is not null)
        {
            status["podIP"] = runtime.PodIp;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = runtime.PodIp });
        }
        status["startTime"] = KubeObject.Timestamp(runtime.StartTime);
        if (runtime.Init.Count > 0) status["initContainerStatuses"] = new JsonArray(runtime.Init.Select(c => (JsonNode)c.ToStatus()).ToArray());
        status["containerStatuses"] = new JsonArray(runtime.Main.Select(c => (JsonNode)c.ToStatus()).ToArray());
        if (KubeObject.ScalarAt(pod, "status.qosClass") is { } qos) status["qosClass"] = qos;
        if (runtime.Reason is not null)
        {
            status["reason"] = runtime.Reason;
            status["message"] = runtime.Message;
        }
        return status;
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

/// <summary>
/// tryUpdateNodeHealth's edit of a node nobody hears from: every condition the kubelet owns
/// becomes Unknown, keeping its last heartbeat time.
/// </summary>
public static class NodeConditionsUnknown
{
    public static readonly string[] KubeletConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];

    public static bool Apply(JsonObject node, DateTimeOffset now)
    {
        var status = KubeObject.EnsureObject(node, "status");
        if (status["conditions"] is not JsonArray conditions)
        {
            conditions = new JsonArray();
            status["conditions"] = conditions;
        }
        var changed = false;
        var time = KubeObject.Timestamp(now);
        foreach (var type in KubeletConditions)
        {
            var c = conditions.OfType<JsonObject>().FirstOrDefault(x => KubeObject.String(x, "type") == type);
            if (c is null)
            {
                conditions.Add(new JsonObject
                {
                    ["type"] = type,
                    ["status"] = "Unknown",
                    ["lastHeartbeatTime"] = time,
                    ["lastTransitionTime"] = time,
                    ["reason"] = "NodeStatusNeverUpdated",
                    ["message"] = "Kubelet never posted node status.",
                });
                changed = true;
            }
            else if (KubeObject.String(c, "status") != "Unknown")
            {
                c["status"] = "Unknown";
                c["reason"] = "NodeStatusUnknown";
                c["message"] = "Kubelet stopped posting node status.";
                c["lastTransitionTime"] = time;
                changed = true;
            }
        }
        return changed;
    }

    public static string? ReadyStatus(JsonObject node) =>
        (KubeObject.At(node, "status.conditions") as JsonArray)?.OfType<JsonObject>()
        .FirstOrDefault(c => KubeObject.String(c, "type") == "Ready") is { } ready
            ? KubeObject.String(ready, "status")
            : null;
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>status.conditions edits shared by the scheduler, binding and the node controller (podutil.UpdatePodCondition).</summary>
public static class PodConditions
{
    /// <summary>Sets a condition; lastTransitionTime changes only when the status does. Returns whether anything changed.</summary>
    public static bool Set(JsonObject obj, string type, string status, string? reason, string? message, DateTimeOffset now)
    {
        var conditions = KubeObject.EnsureObject(obj, "status")["conditions"] as JsonArray;
        if (conditions is null)
        {
            conditions = new JsonArray();
            obj["status"]!["conditions"] = conditions;
        }
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => KubeObject.String(c, "type") == type);
        var time = KubeObject.Timestamp(now);
        if (existing is null)
        {
            existing = new JsonObject { ["type"] = type };
            conditions.Add(existing);
        }
        else if (KubeObject.String(existing, "status") == status && KubeObject.String(existing, "reason") == reason
                 && KubeObject.String(existing, "message") == message)
        {
            return false;
        }
        if (KubeObject.String(existing, "status") != status) existing["lastTransitionTime"] = time;
        existing["status"] = status;
        existing["lastProbeTime"] = null;
        if (reason is null) existing.Remove("reason"); else existing["reason"] = reason;
        if (message is null) existing.Remove("message"); else existing["message"] = message;
        return true;
    }
}

using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// A PodDisruptionBudget's DisruptionAllowed condition (pkg/apis/policy/helper's
/// UpdateDisruptionAllowedCondition and apimachinery's meta.SetStatusCondition): True with
/// SufficientPods while disruptions are allowed, False with InsufficientPods otherwise; SyncFailed
/// when the disruption controller could not work the budget out.
/// </summary>
public static class DisruptionAllowedCondition
{
    public const string Type = "DisruptionAllowed";
    public const string SufficientPods = "SufficientPods";
    public const string InsufficientPods = "InsufficientPods";
    public const string SyncFailed = "SyncFailed";

    /// <summary>From status.disruptionsAllowed and status.observedGeneration.</summary>
    public static void Update(JsonObject pdb, DateTimeOffset now)
    {
        var allowed = KubeObject.Long(KubeObject.At(pdb, "status.disruptionsAllowed")) ?? 0;
        Set(pdb, allowed > 0 ? "True" : "False", allowed > 0 ? SufficientPods : InsufficientPods, "", now);
    }

    /// <summary>SetStatusCondition: lastTransitionTime moves only when the status does.</summary>
    public static void Set(JsonObject pdb, string status, string reason, string message, DateTimeOffset now)
    {
        var statusObject = KubeObject.EnsureObject(pdb, "status");
        if (statusObject["conditions"] is not JsonArray conditions)
        {
            conditions = new JsonArray();
            statusObject["conditions"] = conditions;
        }
        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => KubeObject.String(c, "type") == Type);
        if (existing is null)
        {
            existing = new JsonObject { ["type"] = Type };
            conditions.Add(existing);
        }
        if (KubeObject.String(existing, "status") != status || existing["lastTransitionTime"] is null)
            existing["lastTransitionTime"] = KubeObject.Timestamp(new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
        existing["status"] = status;
        existing["reason"] = reason;
        existing["message"] = message;
        existing["observedGeneration"] = KubeObject.Long(statusObject["observedGeneration"]) ?? 0;
    }
}

using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>pkg/registry/policy/poddisruptionbudget: a new budget starts with the zero status.</summary>
public static class PodDisruptionBudgetStrategy
{
    /// <summary>policy/v1's counters have no omitempty: a new budget shows them as 0.</summary>
    public static JsonObject ZeroStatus() => new()
    {
        ["disruptionsAllowed"] = 0, ["currentHealthy"] = 0, ["desiredHealthy"] = 0, ["expectedPods"] = 0,
    };
}

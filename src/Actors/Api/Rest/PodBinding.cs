using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>What binding does to a pod (pkg/registry/core/pod/storage assignPod): node name plus PodScheduled=True.</summary>
public static class PodBinding
{
    public static void Bind(JsonObject pod, string nodeName, DateTimeOffset now)
    {
        KubeObject.EnsureObject(pod, "spec")["nodeName"] = nodeName;
        PodConditions.Set(pod, "PodScheduled", "True", null, null, now);
    }
}

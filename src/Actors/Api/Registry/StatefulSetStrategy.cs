using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// statefulSetStrategy's dropStatefulSetDisabledFields: with the MaxUnavailableStatefulSet gate off
/// (alpha, its 1.32 default) spec.updateStrategy.rollingUpdate.maxUnavailable is dropped silently,
/// unless the stored set already uses it.
/// </summary>
public static class StatefulSetStrategy
{
    public static void DropDisabledFields(JsonObject obj, JsonObject? old)
    {
        if (old is not null && KubeObject.At(old, "spec.updateStrategy.rollingUpdate.maxUnavailable") is not null) return;
        if (KubeObject.At(obj, "spec.updateStrategy.rollingUpdate") is JsonObject rolling) rolling.Remove("maxUnavailable");
    }
}

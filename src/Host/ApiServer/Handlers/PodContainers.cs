using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>
/// Which container a pods/log, exec or attach request means (the pod registry's validateContainer):
/// errors as kube-apiserver words them.
/// </summary>
public static class PodContainers
{
    public static (string? Container, ApiStatus? Error) Choose(JsonObject pod, string name, string? requested)
    {
        var containers = Names(pod, "spec.containers");
        if (requested is null)
        {
            if (containers.Count == 1) return (containers[0], null);
            if (containers.Count == 0) return (null, ApiStatus.BadRequest($"a container name must be specified for pod {name}"));
            var message = $"a container name must be specified for pod {name}, choose one of: [{string.Join(' ', containers)}]";
            var init = Names(pod, "spec.initContainers");
            if (init.Count > 0) message += $" or one of the init containers: [{string.Join(' ', init)}]";
            return (null, ApiStatus.BadRequest(message));
        }
        var all = containers.Concat(Names(pod, "spec.initContainers")).Concat(Names(pod, "spec.ephemeralContainers"));
        return all.Contains(requested) ? (requested, null) : (null, ApiStatus.BadRequest($"container {requested} is not valid for pod {name}"));
    }

    private static IReadOnlyList<string> Names(JsonObject pod, string path) =>
        KubeObject.At(pod, path) is JsonArray a ? a.OfType<JsonObject>().Select(c => KubeObject.String(c, "name") ?? "").ToArray() : [];
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Controllers.Endpoint;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.EndpointSlice;

/// <summary>
/// podToEndpoint and the ports of each pod (getEndpointPorts): the endpoints a Service should have,
/// grouped by the ports they resolve (a named targetPort may differ from pod to pod).
/// </summary>
public static class SliceEndpoints
{
    public const string ZoneLabel = "topology.kubernetes.io/zone";

    /// <summary>Port set (as JSON text) to its ports and its endpoints, sorted by address.</summary>
    public static Dictionary<string, (JsonArray Ports, List<JsonObject> Endpoints)> Build(V1Service service, IEnumerable<V1Pod> pods,
        Func<string, IDictionary<string, string>?> nodeLabels)
    {
        var groups = new Dictionary<string, (JsonArray Ports, List<JsonObject> Endpoints)>(StringComparer.Ordinal);
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        foreach (var pod in pods.OrderBy(p => p.Status?.PodIP, StringComparer.Ordinal).ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            // Terminating pods stay, with their conditions saying so.
            if (!EndpointPods.ShouldBeInEndpoints(pod, includeTerminating: true)) continue;
            var ports = new JsonArray();
            foreach (var servicePort in service.Spec?.Ports ?? [])
            {
                if (EndpointPods.FindPort(pod, servicePort) is not { } number) continue;
                // In the order the typed model writes them, so that slices compare by their JSON.
                var port = new JsonObject();
                if (!string.IsNullOrEmpty(servicePort.AppProtocol)) port["appProtocol"] = servicePort.AppProtocol;
                port["name"] = servicePort.Name ?? "";
                port["port"] = number;
                port["protocol"] = servicePort.Protocol ?? "TCP";
                ports.Add(port);
            }
            var key = ports.ToJsonString();
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = (ports, []);
            group.Endpoints.Add(Endpoint(pod, service, publishNotReady, nodeLabels));
        }
        return groups;
    }

    private static JsonObject Endpoint(V1Pod pod, V1Service service, bool publishNotReady, Func<string, IDictionary<string, string>?> nodeLabels)
    {
        var serving = EndpointPods.IsReady(pod);
        var terminating = pod.Metadata?.DeletionTimestamp is not null;
        // "ready" is never true for a terminating pod, unless not-ready addresses are published.
        var ready = publishNotReady || (serving && !terminating);
        var endpoint = new JsonObject
        {
            ["addresses"] = new JsonArray(pod.Status.PodIP),
            ["conditions"] = new JsonObject { ["ready"] = ready, ["serving"] = serving, ["terminating"] = terminating },
        };
        if (EndpointPods.Hostname(pod, service) is { } hostname) endpoint["hostname"] = hostname;
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            endpoint["nodeName"] = pod.Spec.NodeName;
            if (nodeLabels(pod.Spec.NodeName) is { } labels && labels.TryGetValue(ZoneLabel, out var zone)) endpoint["zone"] = zone;
        }
        endpoint["targetRef"] = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = pod.Metadata!.NamespaceProperty,
            ["name"] = pod.Metadata.Name,
            ["uid"] = pod.Metadata.Uid,
        };
        return endpoint;
    }
}

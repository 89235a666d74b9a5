using System.Text.Json.Nodes;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Endpoint;

/// <summary>
/// The subsets of a Service's Endpoints (syncService + RepackSubsets): one address per pod, in the
/// subset of the ports it resolves, ready pods as addresses and the others as notReadyAddresses;
/// addresses sorted by IP as SortSubsets leaves them.
/// </summary>
public static class EndpointSubsets
{
    public static JsonArray Build(V1Service service, IEnumerable<V1Pod> pods)
    {
        var publishNotReady = service.Spec?.PublishNotReadyAddresses == true;
        var headlessWithoutPorts = service.Spec?.ClusterIP == "None" && service.Spec.Ports is not { Count: > 0 };
        var groups = new Dictionary<string, (JsonArray Ports, List<(string Ip, JsonObject Address)> Ready, List<(string Ip, JsonObject Address)> NotReady)>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!EndpointPods.ShouldBeInEndpoints(pod, includeTerminating: publishNotReady)) continue;
            var ports = new JsonArray();
            foreach (var servicePort in service.Spec?.Ports ?? [])
            {
                // A pod without the named port is left out of that port, not the others.
                if (EndpointPods.FindPort(pod, servicePort) is not { } number) continue;
                var port = new JsonObject();
                if (!string.IsNullOrEmpty(servicePort.Name)) port["name"] = servicePort.Name;
                port["port"] = number;
                port["protocol"] = servicePort.Protocol ?? "TCP";
                if (!string.IsNullOrEmpty(servicePort.AppProtocol)) port["appProtocol"] = servicePort.AppProtocol;
                ports.Add(port);
            }
            if (ports.Count == 0 && !headlessWithoutPorts) continue;
            var key = ports.ToJsonString();
            if (!groups.TryGetValue(key, out var group)) groups[key] = group = (ports, [], []);
            var address = Address(pod, service);
            if (publishNotReady || EndpointPods.IsReady(pod)) group.Ready.Add((pod.Status.PodIP, address));
            else group.NotReady.Add((pod.Status.PodIP, address));
        }
        var subsets = new JsonArray();
        foreach (var (_, (ports, ready, notReady)) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var subset = new JsonObject();
            if (ready.Count > 0) subset["addresses"] = Sorted(ready);
            if (notReady.Count > 0) subset["notReadyAddresses"] = Sorted(notReady);
            if (ports.Count > 0) subset["ports"] = ports;
            subsets.Add(subset);
        }
        return subsets;
    }

    private static JsonObject Address(V1Pod pod, V1Service service)
    {
        var address = new JsonObject { ["ip"] = pod.Status.PodIP };
        if (EndpointPods.Hostname(pod, service) is { } hostname) address["hostname"] = hostname;
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName)) address["nodeName"] = pod.Spec.NodeName;
        address["targetRef"] = new JsonObject
        {
            ["kind"] = "Pod",
            ["namespace"] = pod.Metadata.NamespaceProperty,
            ["name"] = pod.Metadata.Name,
            ["uid"] = pod.Metadata.Uid,
        };
        return address;
    }

    private static JsonArray Sorted(List<(string Ip, JsonObject Address)> addresses) =>
        new(addresses.OrderBy(a => a.Ip, StringComparer.Ordinal).ThenBy(a => a.Address["targetRef"]?["uid"]?.GetValue<string>(), StringComparer.Ordinal)
            .Select(a => (JsonNode?)a.Address).ToArray());
}

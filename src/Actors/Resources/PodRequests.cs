using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Resources;

/// <summary>
/// What a pod asks of its node, the one calculation the scheduler's fit, the kubelet's admission
/// (and later quotas) share: resourcehelper.PodRequests.
/// <list type="bullet">
/// <item>the regular containers and the restartable init containers (sidecars) run together: their requests add up;</item>
/// <item>init containers run one at a time, each beside the sidecars started before it: the pod needs at
/// least the largest of those moments (InitContainerUse(i) = sidecars before i + init container i);</item>
/// <item>plus spec.overhead (the RuntimeClass's cost of running the sandbox).</item>
/// </list>
/// A container's request for a resource defaults to its limit, as API defaulting does, so pods
/// written around the API count the same.
/// </summary>
public static class PodRequests
{
    /// <summary>One container's requests and whether it is a sidecar (an init container with restartPolicy Always).</summary>
    public readonly record struct Container(ResourceRequests Requests, bool Restartable);

    public static ResourceRequests Of(V1Pod pod) => Of(pod.Spec);

    public static ResourceRequests Of(V1PodSpec? spec) =>
        spec is null
            ? default
            : Aggregate(
                (spec.Containers ?? []).Select(c => Requests(c.Resources)),
                (spec.InitContainers ?? []).Select(c => new Container(Requests(c.Resources), c.RestartPolicy == "Always")),
                ResourceRequests.FromList(spec.Overhead));

    /// <summary>The same for a pod spec held as JSON (the kubelet's view).</summary>
    public static ResourceRequests Of(JsonObject? spec) =>
        spec is null
            ? default
            : Aggregate(
                Containers(spec["containers"]).Select(c => Requests(c)),
                Containers(spec["initContainers"]).Select(c => new Container(Requests(c), KubeObject.String(c, "restartPolicy") == "Always")),
                ResourceRequests.FromJson(spec["overhead"]));

    /// <summary>AggregateContainerRequests plus overhead.</summary>
    public static ResourceRequests Aggregate(IEnumerable<ResourceRequests> containers, IEnumerable<Container> initContainers, ResourceRequests overhead)
    {
        var requests = default(ResourceRequests);
        foreach (var c in containers) requests += c;
        var sidecars = default(ResourceRequests);
        var initUse = default(ResourceRequests);
        foreach (var init in initContainers)
        {
            ResourceRequests use;
            if (init.Restartable)
            {
                requests += init.Requests;
                sidecars += init.Requests;
                use = sidecars;
            }
            else use = init.Requests + sidecars;
            initUse = ResourceRequests.Max(initUse, use);
        }
        return ResourceRequests.Max(requests, initUse) + overhead;
    }

    private static ResourceRequests Requests(V1ResourceRequirements? r)
    {
        if (r is null) return default;
        var requests = ResourceRequests.FromList(r.Requests);
        var limits = ResourceRequests.FromList(r.Limits);
        return new ResourceRequests(
            r.Requests?.ContainsKey("cpu") == true ? requests.MilliCpu : limits.MilliCpu,
            r.Requests?.ContainsKey("memory") == true ? requests.Memory : limits.Memory,
            r.Requests?.ContainsKey("ephemeral-storage") == true ? requests.EphemeralStorage : limits.EphemeralStorage);
    }

    private static ResourceRequests Requests(JsonObject container)
    {
        var resources = container["resources"] as JsonObject;
        var requestList = resources?["requests"] as JsonObject;
        var requests = ResourceRequests.FromJson(requestList);
        var limits = ResourceRequests.FromJson(resources?["limits"]);
        return new ResourceRequests(
            requestList?["cpu"] is not null ? requests.MilliCpu : limits.MilliCpu,
            requestList?["memory"] is not null ? requests.Memory : limits.Memory,
            requestList?["ephemeral-storage"] is not null ? requests.EphemeralStorage : limits.EphemeralStorage);
    }

    private static IEnumerable<JsonObject> Containers(JsonNode? list) => list is JsonArray a ? a.OfType<JsonObject>() : [];
}

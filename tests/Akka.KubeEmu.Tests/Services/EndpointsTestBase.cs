using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Tests.Controllers;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Services;

/// <summary>What the endpoints specs share: a tomcat-like Service and pods the spec runs as the kubelet would.</summary>
public abstract class EndpointsTestBase : ControllerSpecBase
{
    protected static readonly TimeSpan Wait = TimeSpan.FromMinutes(1);

    protected JsonObject CreateService(string name, Action<JsonObject>? change = null)
    {
        var service = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["app"] = "demo" } },
            ["spec"] = new JsonObject
            {
                ["selector"] = new JsonObject { ["tier"] = "frontend" },
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 8080 }),
            },
        };
        change?.Invoke(service);
        var result = Await(Api.Create(ResourceCatalog.Services, service));
        if (!result.Ok) throw new Xunit.Sdk.XunitException(result.Error!.Message);
        return result.Object;
    }

    /// <summary>A pod with the selected labels, bound to a node, running with an IP (the scheduler's and kubelet's parts).</summary>
    protected V1Pod RunPod(string name, string ip, bool ready = true, string tier = "frontend", Action<V1Pod>? change = null)
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["tier"] = tier } },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "tomcat", Image = "tomcat", Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8080 }] }],
            },
        };
        change?.Invoke(pod);
        _ = Await(Api.Create(pod)).Object;
        Bind(name, "node-1");
        SetReady(name, ip, ready);
        return PodNamed(name);
    }

    protected void SetReady(string pod, string ip, bool ready)
    {
        for (var attempt = 0; ; attempt++)
        {
            var p = PodNamed(pod);
            p.Status.Phase = "Running";
            p.Status.PodIP = ip;
            p.Status.PodIPs = [new V1PodIP { Ip = ip }];
            p.Status.Conditions = (p.Status.Conditions ?? []).Where(c => c.Type is not ("Ready" or "ContainersReady")).ToList();
            foreach (var type in new[] { "Ready", "ContainersReady" })
                p.Status.Conditions.Add(new V1PodCondition { Type = type, Status = ready ? "True" : "False", LastTransitionTime = Time.GetUtcNow().UtcDateTime });
            var result = Await(Api.UpdateStatus(p));
            if (!result.IsConflict || attempt > 10)
            {
                _ = result.Object;
                return;
            }
        }
    }

    protected JsonObject? Endpoints(string name) => Get("endpoints", "default", name);

    protected static string Addresses(JsonObject? endpoints, string list = "addresses") =>
        string.Join(",", ((endpoints?["subsets"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .SelectMany(s => (s[list] as JsonArray)?.OfType<JsonObject>() ?? []).Select(a => KubeObject.String(a, "ip")));

    protected IReadOnlyList<JsonObject> Slices(string service) =>
        List("endpointslices.discovery.k8s.io", "default").Where(s => KubeObject.ScalarAt(s, "metadata.labels.kubernetes\\.io/service-name") == service
            || KubeObject.Labels(s).GetValueOrDefault("kubernetes.io/service-name") == service).ToArray();

    protected static string SliceAddresses(IEnumerable<JsonObject> slices, Func<JsonObject, bool>? where = null) =>
        string.Join(",", slices.SelectMany(s => (s["endpoints"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Where(e => where?.Invoke(e) ?? true)
            .Select(e => KubeObject.ScalarText((e["addresses"] as JsonArray)![0])).Order(StringComparer.Ordinal));
}

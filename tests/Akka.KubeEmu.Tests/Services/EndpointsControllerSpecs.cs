using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.Endpoint;
using Akka.KubeEmu.Actors.Workqueue;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

/// <summary>The endpoints controller in virtual time: what `kubectl get endpoints` would show as pods come and go.</summary>
public sealed class EndpointsControllerSpecs : EndpointsTestBase
{
    [Fact]
    public void Ready_pods_are_addresses_and_unready_ones_not_ready_addresses_with_their_node_and_pod()
    {
        StartController(c => EndpointsController.Props(c));
        CreateService("tomcat-service");
        RunPod("web-b", "10.244.1.3");
        RunPod("web-a", "10.244.1.2");
        RunPod("web-c", "10.244.1.4", ready: false);
        RunPod("other", "10.244.1.9", tier: "backend");

        Eventually(() => Addresses(Endpoints("tomcat-service")) == "10.244.1.2,10.244.1.3"
                         && Addresses(Endpoints("tomcat-service"), "notReadyAddresses") == "10.244.1.4", Wait, "two ready addresses and one not ready");
        var endpoints = Endpoints("tomcat-service")!;
        var subset = (JsonObject)(endpoints["subsets"] as JsonArray)![0]!;
        Assert.Equal("""[{"port":8080,"protocol":"TCP"}]""", subset["ports"]!.ToJsonString());
        var first = (JsonObject)(subset["addresses"] as JsonArray)![0]!;
        Assert.Equal("node-1", KubeObject.String(first, "nodeName"));
        Assert.Equal("Pod", KubeObject.ScalarAt(first, "targetRef.kind"));
        Assert.Equal("web-a", KubeObject.ScalarAt(first, "targetRef.name"));
        Assert.Equal("demo", KubeObject.Labels(endpoints)["app"]);
        Assert.NotNull(KubeObject.At(endpoints, "metadata.annotations")?[EndpointsController.TriggerTimeAnnotation]);

        // A pod that turns unready leaves the addresses; a deleted one leaves altogether.
        SetReady("web-b", "10.244.1.3", ready: false);
        Eventually(() => Addresses(Endpoints("tomcat-service")) == "10.244.1.2", Wait, "web-b not ready");
        Assert.Equal("10.244.1.3,10.244.1.4", Addresses(Endpoints("tomcat-service"), "notReadyAddresses"));
        Await(Api.Delete(ResourceCatalog.Pods, "default", "web-a", new Akka.KubeEmu.Actors.Api.Rest.DeleteRequest { GracePeriodSeconds = 0 }));
        Eventually(() => Addresses(Endpoints("tomcat-service")) == "", Wait, "no ready address left");
    }

    [Fact]
    public void Named_target_ports_resolve_per_pod_and_pods_without_the_port_are_left_out()
    {
        StartController(c => EndpointsController.Props(c));
        CreateService("named", s => s["spec"]!["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = "http" }));
        RunPod("eight", "10.244.1.2");
        RunPod("nine", "10.244.1.3", change: p => p.Spec.Containers[0].Ports[0].ContainerPort = 9090);
        RunPod("none", "10.244.1.4", change: p => p.Spec.Containers[0].Ports = null);

        Eventually(() => (Endpoints("named")?["subsets"] as JsonArray)?.Count == 2, Wait, "two subsets, one per resolved port");
        var subsets = (Endpoints("named")!["subsets"] as JsonArray)!.OfType<JsonObject>()
            .ToDictionary(s => KubeObject.Long(s["ports"]![0]!["port"])!.Value, s => Addresses(new JsonObject { ["subsets"] = new JsonArray(s.DeepClone()) }));
        Assert.Equal("10.244.1.2", subsets[8080]);
        Assert.Equal("10.244.1.3", subsets[9090]);
    }

    [Fact]
    public void PublishNotReadyAddresses_lists_every_pod_as_ready_and_a_headless_service_gives_hostnames()
    {
        StartController(c => EndpointsController.Props(c));
        CreateService("nginx", s =>
        {
            s["spec"]!["clusterIP"] = "None";
            s["spec"]!["publishNotReadyAddresses"] = true;
        });
        RunPod("web-0", "10.244.1.2", ready: false, change: p =>
        {
            p.Spec.Hostname = "web-0";
            p.Spec.Subdomain = "nginx";
        });
        Eventually(() => Addresses(Endpoints("nginx")) == "10.244.1.2", Wait, "the unready pod published");
        var endpoints = Endpoints("nginx")!;
        Assert.Equal("web-0", KubeObject.ScalarText(KubeObject.At(endpoints, "subsets")![0]!["addresses"]![0]!["hostname"]));
        Assert.Equal("", KubeObject.Labels(endpoints)[EndpointsController.HeadlessLabel]);
    }

    [Fact]
    public void A_service_without_selector_keeps_its_own_endpoints_and_a_deleted_service_loses_them()
    {
        StartController(c => EndpointsController.Props(c));
        CreateService("manual", s => s["spec"]!.AsObject().Remove("selector"));
        var manual = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject { ["name"] = "manual", ["namespace"] = "default" },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = "192.0.2.42" }),
                ["ports"] = new JsonArray(new JsonObject { ["port"] = 9376 }),
            }),
        };
        Assert.True(Await(Api.Create(ResourceCatalog.Endpoints, manual)).Ok);
        CreateService("tomcat-service");
        RunPod("web", "10.244.1.2");
        Eventually(() => Addresses(Endpoints("tomcat-service")) == "10.244.1.2", Wait, "the selected pod");
        Assert.Equal("192.0.2.42", Addresses(Endpoints("manual")));

        Await(Api.Delete(ResourceCatalog.Services, "default", "tomcat-service"));
        Eventually(() => Endpoints("tomcat-service") is null, Wait, "the endpoints deleted with their service");
    }

    [Fact]
    public void A_pod_event_syncs_only_the_services_that_select_it()
    {
        var metrics = new WorkqueueMetrics(perKey: true);
        StartController(c => EndpointsController.Props(c with { Metrics = metrics }));
        for (var i = 0; i < 20; i++) CreateService($"other-{i}", s => s["spec"]!["selector"] = new JsonObject { ["tier"] = $"t{i}" });
        CreateService("tomcat-service");
        RunPod("web", "10.244.1.2");
        Eventually(() => Addresses(Endpoints("tomcat-service")) == "10.244.1.2", Wait, "the pod's address");
        var before = metrics.Syncs("endpoint-controller", "default/other-3");
        SetReady("web", "10.244.1.2", ready: false);
        Eventually(() => Addresses(Endpoints("tomcat-service"), "notReadyAddresses") == "10.244.1.2", Wait, "the pod not ready");
        Assert.Equal(before, metrics.Syncs("endpoint-controller", "default/other-3"));
    }
}

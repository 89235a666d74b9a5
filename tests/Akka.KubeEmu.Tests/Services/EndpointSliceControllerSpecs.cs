using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.EndpointSlice;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

/// <summary>The endpointslice controller in virtual time: slices as `kubectl get endpointslices` shows them.</summary>
public sealed class EndpointSliceControllerSpecs : EndpointsTestBase
{
    [Fact]
    public void A_service_gets_an_owned_labelled_slice_with_the_conditions_of_its_pods()
    {
        StartController(c => EndpointSliceController.Props(c));
        var service = CreateService("tomcat-service");
        RunPod("web-a", "10.244.1.2");
        RunPod("web-b", "10.244.1.3", ready: false);

        Eventually(() => SliceAddresses(Slices("tomcat-service")) == "10.244.1.2,10.244.1.3", Wait, "both pods in the slice");
        var slice = Assert.Single(Slices("tomcat-service"));
        Assert.StartsWith("tomcat-service-", KubeObject.Name(slice));
        Assert.Equal("IPv4", KubeObject.String(slice, "addressType"));
        var labels = KubeObject.Labels(slice);
        Assert.Equal("tomcat-service", labels["kubernetes.io/service-name"]);
        Assert.Equal("endpointslice-controller.k8s.io", labels["endpointslice.kubernetes.io/managed-by"]);
        var owner = KubeObject.At(slice, "metadata.ownerReferences")![0]!;
        Assert.Equal(KubeObject.Uid(service), KubeObject.ScalarText(owner["uid"]));
        Assert.Equal("true", KubeObject.ScalarText(owner["controller"]));
        Assert.Equal("""[{"name":"","port":8080,"protocol":"TCP"}]""", slice["ports"]!.ToJsonString());
        Assert.Equal("10.244.1.2", SliceAddresses([slice], e => KubeObject.ScalarAt(e, "conditions.ready") == "true"));
        Assert.Equal("10.244.1.3", SliceAddresses([slice], e => KubeObject.ScalarAt(e, "conditions.ready") == "false"));
        var endpoint = (slice["endpoints"] as JsonArray)!.OfType<JsonObject>().First();
        Assert.Equal("node-1", KubeObject.String(endpoint, "nodeName"));
        Assert.Equal("web-a", KubeObject.ScalarAt(endpoint, "targetRef.name"));

        var row = EndpointSlicePrinter.Printer.Cells(slice, Time.GetUtcNow());
        Assert.Equal("IPv4", row[1]!.ToString());
        Assert.Equal("8080", row[2]!.ToString());
        Assert.Equal("10.244.1.2,10.244.1.3", row[3]!.ToString());

        // Turning ready changes the endpoint in place: still one slice, same name.
        SetReady("web-b", "10.244.1.3", ready: true);
        Eventually(() => SliceAddresses(Slices("tomcat-service"), e => KubeObject.ScalarAt(e, "conditions.ready") == "true") == "10.244.1.2,10.244.1.3", Wait, "web-b ready");
        Assert.Equal(KubeObject.Name(slice), KubeObject.Name(Assert.Single(Slices("tomcat-service"))));
    }

    [Fact]
    public void A_service_selecting_nothing_has_one_placeholder_slice()
    {
        StartController(c => EndpointSliceController.Props(c));
        CreateService("empty", s => s["spec"]!["selector"] = new JsonObject { ["app"] = "nothing" });
        var slice = Eventually(() => Slices("empty").SingleOrDefault(), Wait, "the placeholder slice");
        Assert.Equal("[]", (slice["endpoints"] ?? new JsonArray()).ToJsonString());
        Assert.Null(slice["ports"]);
        var row = EndpointSlicePrinter.Printer.Cells(slice, Time.GetUtcNow());
        Assert.Equal("<unset>", row[2]!.ToString());
        Assert.Equal("<unset>", row[3]!.ToString());
    }

    [Fact]
    public void More_than_a_hundred_endpoints_spread_over_several_slices()
    {
        StartController(c => EndpointSliceController.Props(c));
        CreateService("big");
        for (var i = 0; i < 105; i++) RunPod($"p{i}", $"10.244.{1 + i / 200}.{2 + i % 200}");
        Eventually(() => Slices("big").Sum(s => (s["endpoints"] as JsonArray)?.Count ?? 0) == 105, TimeSpan.FromMinutes(3), "105 endpoints");
        var slices = Slices("big");
        Assert.Equal(2, slices.Count);
        Assert.All(slices, s => Assert.True((s["endpoints"] as JsonArray)!.Count <= EndpointSliceController.MaxEndpointsPerSlice));
    }

    [Fact]
    public void A_terminating_pod_stays_not_ready_and_terminating()
    {
        StartController(c => EndpointSliceController.Props(c));
        CreateService("tomcat-service");
        RunPod("web", "10.244.1.2");
        Eventually(() => SliceAddresses(Slices("tomcat-service")) == "10.244.1.2", Wait, "the pod");
        Await(Api.Delete(ResourceCatalog.Pods, "default", "web"));
        Eventually(() => SliceAddresses(Slices("tomcat-service"), e => KubeObject.ScalarAt(e, "conditions.terminating") == "true"
                                                                      && KubeObject.ScalarAt(e, "conditions.ready") == "false"
                                                                      && KubeObject.ScalarAt(e, "conditions.serving") == "true") == "10.244.1.2",
            Wait, "the pod terminating, serving, not ready");
    }
}

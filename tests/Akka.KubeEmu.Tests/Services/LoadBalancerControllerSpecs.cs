using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.LoadBalancer;
using Akka.KubeEmu.Actors.Store.Allocation;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

/// <summary>LoadBalancer Services get their EXTERNAL-IP from the pool, or stay pending while it is empty.</summary>
public sealed class LoadBalancerControllerSpecs : EndpointsTestBase
{
    private static string External(JsonObject service) => ServicePrinter.Printer.Cells(service, DateTimeOffset.UtcNow)[3]!.ToString();

    private JsonObject? Service(string name) => Get("services", "default", name);

    [Fact]
    public void Services_get_the_pool_addresses_in_order_and_wait_pending_for_a_freed_one()
    {
        StartController(c => LoadBalancerController.Props(c, new ServiceNetworkSettings(LoadBalancerPool: "172.18.255.200-172.18.255.201")));
        CreateService("a", s => s["spec"]!["type"] = "LoadBalancer");
        Eventually(() => External(Service("a")!) == "172.18.255.200", Wait, "a's address");
        CreateService("b", s => s["spec"]!["type"] = "LoadBalancer");
        Eventually(() => External(Service("b")!) == "172.18.255.201", Wait, "b's address");
        CreateService("c", s => s["spec"]!["type"] = "LoadBalancer");
        WaitForEvents("c", "AllocationFailed", 1);
        Assert.Equal("<pending>", External(Service("c")!));
        Assert.Equal("Failed to allocate IP for \"default/c\": no available IPs", EventMessages("c", "AllocationFailed")[0]);
        Assert.Equal("Assigned IP [\"172.18.255.200\"]", EventMessages("a", "IPAllocated")[0]);

        Await(Api.Delete(ResourceCatalog.Services, "default", "a"));
        Eventually(() => External(Service("c")!) == "172.18.255.200", Wait, "c gets a's freed address");
        Assert.Equal("VIP", KubeObject.ScalarText(KubeObject.At(Service("c")!, "status.loadBalancer.ingress")![0]!["ipMode"]));
    }

    [Fact]
    public void A_requested_address_is_given_and_a_service_turned_ClusterIP_returns_it()
    {
        StartController(c => LoadBalancerController.Props(c, new ServiceNetworkSettings(LoadBalancerPool: "172.18.255.200-172.18.255.210")));
        CreateService("a", s =>
        {
            s["spec"]!["type"] = "LoadBalancer";
            s["spec"]!["loadBalancerIP"] = "172.18.255.205";
        });
        Eventually(() => External(Service("a")!) == "172.18.255.205", Wait, "the requested address");
        var lb = Service("a")!;
        Assert.NotNull(KubeObject.Long(KubeObject.At(lb, "spec.ports")![0]!["nodePort"]));

        lb["spec"]!["type"] = "ClusterIP";
        lb["spec"]!.AsObject().Remove("loadBalancerIP");
        lb["spec"]!.AsObject().Remove("allocateLoadBalancerNodePorts");
        lb["spec"]!.AsObject().Remove("externalTrafficPolicy");
        (KubeObject.At(lb, "spec.ports")![0] as JsonObject)!.Remove("nodePort");
        var updated = Await(Api.Update(ResourceCatalog.Services, lb));
        Assert.True(updated.Ok, updated.Error?.Message);
        Eventually(() => KubeObject.At(Service("a")!, "status.loadBalancer.ingress") is null, Wait, "the address taken back");
        Assert.Equal("<none>", External(Service("a")!));
    }
}

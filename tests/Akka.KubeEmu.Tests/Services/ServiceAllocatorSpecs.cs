using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store.Allocation;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

/// <summary>The allocation bitmaps on their own: bands, ranges, conflicts, release, exhaustion.</summary>
public sealed class ServiceAllocatorSpecs
{
    private static JsonObject Service(string name, string type = "ClusterIP", string? clusterIp = null, params (int Port, int NodePort, string Protocol)[] ports)
    {
        var spec = new JsonObject { ["type"] = type };
        if (clusterIp is not null) spec["clusterIP"] = clusterIp;
        spec["ports"] = new JsonArray((ports.Length == 0 ? [(80, 0, "TCP")] : ports)
            .Select(p => (JsonNode?)new JsonObject { ["port"] = p.Port, ["nodePort"] = p.NodePort == 0 ? null : p.NodePort, ["protocol"] = p.Protocol }).ToArray());
        return new JsonObject { ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" }, ["spec"] = spec };
    }

    private static JsonObject Committed(ServiceAllocator allocator, JsonObject service, JsonObject? old = null)
    {
        var error = allocator.Prepare(service, old);
        Assert.Null(error?.Message);
        allocator.Apply(old, service);
        return service;
    }

    [Fact]
    public void Dynamic_cluster_IPs_come_from_above_the_band_kept_for_requested_ones()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings());
        var cidr = ServiceCidr.Parse("10.96.0.0/12");
        for (var i = 0; i < 200; i++)
        {
            var ip = KubeObject.ScalarAt(Committed(allocator, Service($"s{i}")), "spec.clusterIP")!;
            Assert.True(cidr.IndexOf(ip) >= 256, $"{ip} is in the static band");
        }
        Assert.Equal(200, allocator.AllocatedIps);
        Assert.Equal("10.96.0.1", new ServiceNetworkSettings().KubernetesServiceIp);
        Assert.Equal("10.96.0.10", new ServiceNetworkSettings().DnsServiceIp);
    }

    [Fact]
    public void A_requested_IP_is_honoured_once_and_refused_the_second_time_with_kube_apiservers_message()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings());
        var first = Committed(allocator, Service("a", clusterIp: "10.96.0.5"));
        Assert.Equal("10.96.0.5", KubeObject.ScalarAt(first, "spec.clusterIP"));
        Assert.Equal("10.96.0.5", KubeObject.ScalarText((KubeObject.At(first, "spec.clusterIPs") as JsonArray)![0]));

        var second = Service("b", clusterIp: "10.96.0.5");
        second["spec"]!["clusterIPs"] = new JsonArray("10.96.0.5");
        Assert.Equal("Service \"b\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.5\"]: failed to allocate IP 10.96.0.5: provided IP is already allocated",
            allocator.Prepare(second, null)!.Message);
        Assert.Equal("Service \"c\" is invalid: spec.clusterIPs: Invalid value: [\"1.1.1.1\"]: failed to allocate IP 1.1.1.1: the provided IP (1.1.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12",
            allocator.Prepare(Service("c", clusterIp: "1.1.1.1"), null)!.Message);
    }

    [Fact]
    public void Deleting_a_service_frees_its_IP_and_node_port()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings());
        var svc = Committed(allocator, Service("a", "NodePort", "10.96.0.7", (80, 30080, "TCP")));
        Assert.True(allocator.HasIp("10.96.0.7"));
        Assert.True(allocator.HasPort(30080));
        allocator.Apply(svc, null);
        Assert.False(allocator.HasIp("10.96.0.7"));
        Assert.False(allocator.HasPort(30080));
        Committed(allocator, Service("b", "NodePort", "10.96.0.7", (80, 30080, "TCP")));
    }

    [Fact]
    public void A_taken_node_port_is_refused_and_an_out_of_range_one_names_the_range()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings());
        Committed(allocator, Service("a", "NodePort", null, (80, 30080, "TCP")));
        Assert.Equal("Service \"b\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
            allocator.Prepare(Service("b", "NodePort", null, (8080, 30080, "TCP")), null)!.Message);
        Assert.Equal("Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767",
            allocator.Prepare(Service("c", "NodePort", null, (8080, 40000, "TCP")), null)!.Message);
    }

    [Fact]
    public void Dynamic_node_ports_avoid_the_low_band_and_TCP_and_UDP_of_one_port_share_theirs()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings());
        var svc = Committed(allocator, Service("dns", "NodePort", null, (53, 0, "UDP"), (53, 0, "TCP"), (9153, 0, "TCP")));
        var ports = (KubeObject.At(svc, "spec.ports") as JsonArray)!.Select(p => KubeObject.Long(p!["nodePort"])!.Value).ToArray();
        Assert.Equal(ports[0], ports[1]);
        Assert.NotEqual(ports[0], ports[2]);
        Assert.All(ports, p => Assert.InRange(p, 30086, 32767));
        Assert.Equal(2, allocator.AllocatedPorts);
    }

    [Fact]
    public void An_update_keeps_the_IP_and_node_ports_and_a_change_to_ClusterIP_releases_the_ports()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings());
        var old = Committed(allocator, Service("a", "NodePort", null, (80, 0, "TCP")));
        var ip = KubeObject.ScalarAt(old, "spec.clusterIP");
        var nodePort = KubeObject.Long(KubeObject.At(old, "spec.ports")![0]!["nodePort"]);

        // kubectl apply of the manifest that named neither.
        var applied = Service("a", "NodePort", null, (80, 0, "TCP"));
        var updated = Committed(allocator, applied, old);
        Assert.Equal(ip, KubeObject.ScalarAt(updated, "spec.clusterIP"));
        Assert.Equal(nodePort, KubeObject.Long(KubeObject.At(updated, "spec.ports")![0]!["nodePort"]));
        Assert.Equal(1, allocator.AllocatedPorts);

        var clusterIp = Service("a", "ClusterIP", ip, (80, 0, "TCP"));
        Committed(allocator, clusterIp, updated);
        Assert.Equal(0, allocator.AllocatedPorts);
        Assert.True(allocator.HasIp(ip!));
    }

    [Fact]
    public void Headless_and_ExternalName_services_take_no_IP()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings());
        Committed(allocator, Service("headless", clusterIp: "None"));
        var external = Service("external", "ExternalName");
        Committed(allocator, external);
        Assert.Null(KubeObject.ScalarAt(external, "spec.clusterIP"));
        Assert.Equal(0, allocator.AllocatedIps);
    }

    [Fact]
    public void A_full_range_answers_as_the_apiserver_does()
    {
        var allocator = new ServiceAllocator(new ServiceNetworkSettings(ClusterIpRange: "10.0.0.0/29"));
        // 8 addresses less the network and broadcast ones.
        var ips = Enumerable.Range(0, 6).Select(i => KubeObject.ScalarAt(Committed(allocator, Service($"s{i}")), "spec.clusterIP")).ToHashSet();
        Assert.Equal(6, ips.Count);
        Assert.DoesNotContain("10.0.0.0", ips);
        Assert.DoesNotContain("10.0.0.7", ips);
        var full = allocator.Prepare(Service("s6"), null)!;
        Assert.Equal(500, full.Code);
        Assert.Equal("Internal error occurred: failed to allocate a serviceIP: range is full", full.Message);
    }

    [Fact]
    public void Rebuilding_from_stored_services_marks_what_they_hold()
    {
        var before = new ServiceAllocator(new ServiceNetworkSettings());
        var stored = Committed(before, Service("a", "LoadBalancer", "10.96.0.9", (80, 31000, "TCP")));
        var after = new ServiceAllocator(new ServiceNetworkSettings());
        after.Rebuild([stored]);
        Assert.True(after.HasIp("10.96.0.9"));
        Assert.True(after.HasPort(31000));
    }
}

using Akka.KubeEmu.Actors.Node.Proxy;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

public sealed class ServiceBackendsSpecs
{
    private static V1Endpoint Endpoint(string ip, string node, bool? ready = true, bool? terminating = null) =>
        new() { Addresses = [ip], NodeName = node, Conditions = new V1EndpointConditions { Ready = ready, Terminating = terminating } };

    private static V1EndpointSlice Slice(IList<Discoveryv1EndpointPort> ports, params V1Endpoint[] endpoints) =>
        new() { AddressType = "IPv4", Ports = ports, Endpoints = endpoints, Metadata = new V1ObjectMeta { Name = "web-abcde", NamespaceProperty = "default" } };

    [Fact]
    public void Only_ready_endpoints_that_are_not_terminating_take_traffic()
    {
        var slice = Slice([new Discoveryv1EndpointPort { Port = 8080, Protocol = "TCP" }],
            Endpoint("10.244.1.2", "node-1"),
            Endpoint("10.244.1.3", "node-1", ready: false),
            Endpoint("10.244.2.2", "node-2", ready: null),
            Endpoint("10.244.2.3", "node-2", ready: true, terminating: true));
        var backends = ServiceBackends.Ready(new V1ServicePort { Port = 80, Protocol = "TCP" }, [slice]);
        Assert.Equal(["10.244.1.2:8080", "10.244.2.2:8080"], backends.Select(b => b.ToString()));
    }

    [Fact]
    public void A_named_service_port_takes_the_slice_port_of_the_same_name()
    {
        var slice = Slice([new Discoveryv1EndpointPort { Name = "http", Port = 8080 }, new Discoveryv1EndpointPort { Name = "metrics", Port = 9090 }],
            Endpoint("10.244.1.2", "node-1"));
        Assert.Equal(9090, ServiceBackends.Ready(new V1ServicePort { Name = "metrics", Port = 9153 }, [slice]).Single().Port);
        Assert.Empty(ServiceBackends.Ready(new V1ServicePort { Name = "admin", Port = 1 }, [slice]));
    }

    [Fact]
    public void ExternalTrafficPolicy_Local_keeps_only_the_endpoints_of_the_receiving_node()
    {
        var slice = Slice([new Discoveryv1EndpointPort { Port = 80 }], Endpoint("10.244.1.2", "node-1"), Endpoint("10.244.2.2", "node-2"));
        var port = new V1ServicePort { Port = 80 };
        var ready = ServiceBackends.Ready(port, [slice]);
        var local = new V1Service { Spec = new V1ServiceSpec { ExternalTrafficPolicy = "Local" } };
        var cluster = new V1Service { Spec = new V1ServiceSpec { ExternalTrafficPolicy = "Cluster" } };
        Assert.Equal("10.244.2.2", ServiceBackends.ForNode(local, ready, "node-2").Single().Ip);
        Assert.Empty(ServiceBackends.ForNode(local, ready, "node-3"));
        Assert.Equal(2, ServiceBackends.ForNode(cluster, ready, "node-3").Count);
    }
}

using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Dns;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

public sealed class ClusterDnsSpecs
{
    private readonly Indexer<V1Service> _services = new();
    private readonly Indexer<V1EndpointSlice> _slices = new();
    private readonly ClusterDns _dns;

    public ClusterDnsSpecs()
    {
        _services.AddIndexer(Indexers.Namespace, Indexers.ByNamespace);
        _dns = new ClusterDns(_services, _slices);
        _services.Upsert(Service("default", "web", "10.96.12.34", new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP" }));
        _services.Upsert(Service("default", "nginx", "None", new V1ServicePort { Name = "web", Port = 80, Protocol = "TCP" }));
        _services.Upsert(Service("shop", "db", "10.96.0.77"));
        _services.Upsert(new V1Service { Metadata = Meta("default", "ext"), Spec = new V1ServiceSpec { Type = "ExternalName", ExternalName = "example.com" } });
        _slices.Upsert(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "nginx-abcde", NamespaceProperty = "default", ResourceVersion = "1", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = "nginx" } },
            AddressType = "IPv4",
            Ports = [new Discoveryv1EndpointPort { Name = "web", Port = 8080 }],
            Endpoints =
            [
                new V1Endpoint { Addresses = ["10.244.1.5"], Hostname = "web-0", Conditions = new V1EndpointConditions { Ready = true } },
                new V1Endpoint { Addresses = ["10.244.2.6"], Hostname = "web-1", Conditions = new V1EndpointConditions { Ready = true } },
                new V1Endpoint { Addresses = ["10.244.3.7"], Hostname = "web-2", Conditions = new V1EndpointConditions { Ready = false } },
            ],
        });
    }

    private static V1ObjectMeta Meta(string ns, string name) => new() { Name = name, NamespaceProperty = ns, ResourceVersion = "1" };

    private static V1Service Service(string ns, string name, string clusterIp, params V1ServicePort[] ports) =>
        new() { Metadata = Meta(ns, name), Spec = new V1ServiceSpec { ClusterIP = clusterIp, Ports = ports } };

    [Theory]
    [InlineData("web")]
    [InlineData("web.default")]
    [InlineData("web.default.svc")]
    [InlineData("web.default.svc.cluster.local")]
    [InlineData("web.default.svc.cluster.local.")]
    public void A_service_name_resolves_to_its_cluster_IP_through_the_search_list(string name)
    {
        var answer = _dns.Resolve(name, "default");
        Assert.Equal(("web.default.svc.cluster.local", "10.96.12.34"), (answer!.Name, Assert.Single(answer.Addresses)));
    }

    [Fact]
    public void Another_namespace_needs_its_name_and_unknown_names_are_not_found()
    {
        Assert.Null(_dns.Resolve("db", "default"));
        Assert.Equal("10.96.0.77", _dns.Resolve("db.shop", "default")!.Addresses[0]);
        Assert.Null(_dns.Resolve("nosuch", "default"));
        Assert.Null(_dns.Resolve("google.com", "default"));
    }

    [Fact]
    public void A_headless_service_answers_its_ready_pods_and_each_pod_by_hostname()
    {
        Assert.Equal(["10.244.1.5", "10.244.2.6"], _dns.Resolve("nginx", "default")!.Addresses);
        Assert.Equal("10.244.1.5", _dns.Resolve("web-0.nginx", "default")!.Addresses.Single());
        Assert.Equal("web-1.nginx.default.svc.cluster.local", _dns.Resolve("web-1.nginx.default.svc.cluster.local", "kube-system")!.Name);
        Assert.Null(_dns.Resolve("web-2.nginx", "default")); // not ready
        // PTR names, as old busybox nslookup prints them beside each address.
        Assert.Equal("web-0.nginx.default.svc.cluster.local", _dns.Reverse("10.244.1.5"));
        Assert.Equal("web.default.svc.cluster.local", _dns.Reverse("10.96.12.34"));
        Assert.Equal("kube-dns.kube-system.svc.cluster.local", _dns.Reverse("10.96.0.10"));
        Assert.Null(_dns.Reverse("192.0.2.1"));
    }

    [Fact]
    public void Named_ports_have_SRV_records_pods_have_dashed_names_and_ExternalName_is_a_CNAME()
    {
        Assert.Equal("0 100 80 web.default.svc.cluster.local.\n", DnsOutput.DigShort(_dns.Resolve("_http._tcp.web.default.svc.cluster.local", "default")));
        Assert.Equal("0 50 8080 web-0.nginx.default.svc.cluster.local.\n0 50 8080 web-1.nginx.default.svc.cluster.local.\n",
            DnsOutput.DigShort(_dns.Resolve("_web._tcp.nginx.default.svc.cluster.local", "default")));
        Assert.EndsWith("\n\n_web._tcp.nginx.default.svc.cluster.local\tservice = 0 50 8080 web-0.nginx.default.svc.cluster.local\n" +
            "_web._tcp.nginx.default.svc.cluster.local\tservice = 0 50 8080 web-1.nginx.default.svc.cluster.local\n\n",
            DnsOutput.Nslookup("_web._tcp.nginx", _dns.Resolve("_web._tcp.nginx.default.svc.cluster.local", "default")).Text);
        Assert.Equal("10.244.1.5", _dns.Resolve("10-244-1-5.default.pod.cluster.local", "default")!.Addresses.Single());
        Assert.Equal("example.com.\n", DnsOutput.DigShort(_dns.Resolve("ext", "default")));
    }

    [Fact]
    public void Tools_print_as_busybox_and_glibc_do()
    {
        Assert.Equal("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.12.34\n\n",
            DnsOutput.Nslookup("web", _dns.Resolve("web", "default")).Text);
        var (exit, text) = DnsOutput.Nslookup("nosuch", null);
        Assert.Equal(1, exit);
        Assert.EndsWith("** server can't find nosuch: NXDOMAIN\n\n", text);
        Assert.Equal((0, "10.96.12.34     web.default.svc.cluster.local\n"), DnsOutput.GetentHosts(_dns.Resolve("web", "default")));
        Assert.Equal("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", ClusterDns.ResolvConf("default"));
    }

    [Fact]
    public async Task Dig_on_the_udp_port_gets_the_records_CoreDNS_would_give()
    {
        int port;
        using (var probe = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0)))
            port = ((System.Net.IPEndPoint)probe.Client.LocalEndPoint!).Port;
        using var server = new DnsUdpServer(_dns, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
        var client = new ARSoft.Tools.Net.Dns.DnsClient([System.Net.IPAddress.Loopback],
            [new ARSoft.Tools.Net.Dns.UdpClientTransport(port)], false, 5000);
        async Task<ARSoft.Tools.Net.Dns.DnsMessage> Dig(string name, ARSoft.Tools.Net.Dns.RecordType type) =>
            (await client.ResolveAsync(ARSoft.Tools.Net.DomainName.Parse(name), type))!;

        var a = await Dig("web-0.nginx.default.svc.cluster.local", ARSoft.Tools.Net.Dns.RecordType.A);
        Assert.True(a.IsAuthoritiveAnswer);
        var record = Assert.IsType<ARSoft.Tools.Net.Dns.ARecord>(Assert.Single(a.AnswerRecords));
        Assert.Equal(("10.244.1.5", 5), (record.Address.ToString(), record.TimeToLive));
        var headless = await Dig("nginx.default.svc.cluster.local", ARSoft.Tools.Net.Dns.RecordType.A);
        Assert.Equal(["10.244.1.5", "10.244.2.6"], headless.AnswerRecords.OfType<ARSoft.Tools.Net.Dns.ARecord>().Select(r => r.Address.ToString()).Order());
        var srv = await Dig("_web._tcp.nginx.default.svc.cluster.local", ARSoft.Tools.Net.Dns.RecordType.Srv);
        Assert.Equal(["0 50 8080 web-0.nginx.default.svc.cluster.local.", "0 50 8080 web-1.nginx.default.svc.cluster.local."],
            srv.AnswerRecords.OfType<ARSoft.Tools.Net.Dns.SrvRecord>().Select(r => $"{r.Priority} {r.Weight} {r.Port} {r.Target}"));
        var ptr = await Dig("34.12.96.10.in-addr.arpa", ARSoft.Tools.Net.Dns.RecordType.Ptr);
        Assert.Equal("web.default.svc.cluster.local.", Assert.IsType<ARSoft.Tools.Net.Dns.PtrRecord>(Assert.Single(ptr.AnswerRecords)).PointerDomainName.ToString());
        var missing = await Dig("nosuch.default.svc.cluster.local", ARSoft.Tools.Net.Dns.RecordType.A);
        Assert.Equal(ARSoft.Tools.Net.Dns.ReturnCode.NxDomain, missing.ReturnCode);
    }
}

using Akka.Actor;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Controllers;
using Akka.KubeEmu.Tests.Node;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

/// <summary>
/// Services through the API pipeline into a real Store: the Store's single writer allocates, so
/// concurrent creates never share an IP, a restart keeps what is taken, updates keep their values.
/// </summary>
public sealed class ServiceStoreSpecs : ControllerSpecBase
{
    private static JsonObject Service(string name, string type = "ClusterIP", string? clusterIp = null, int? nodePort = null, int port = 80) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["type"] = type,
            ["clusterIP"] = clusterIp,
            ["selector"] = new JsonObject { ["app"] = name },
            ["ports"] = new JsonArray(new JsonObject { ["port"] = port, ["nodePort"] = nodePort }),
        },
    };

    private StoreResult Create(JsonObject service) => Await(Api.Create(ResourceCatalog.Services, service));

    private static string Ip(StoreResult result) => KubeObject.ScalarAt(result.Object, "spec.clusterIP")!;

    [Fact]
    public void Concurrent_creates_never_get_the_same_cluster_IP_or_node_port()
    {
        var results = Await(Task.WhenAll(Enumerable.Range(0, 60).Select(i => Api.Create(ResourceCatalog.Services, Service($"s{i}", "NodePort")))));
        Assert.All(results, r => Assert.True(r.Ok, r.Error?.Message));
        Assert.Equal(60, results.Select(Ip).Distinct().Count());
        Assert.Equal(60, results.Select(r => KubeObject.Long(KubeObject.At(r.Object, "spec.ports")![0]!["nodePort"])).Distinct().Count());
    }

    [Fact]
    public void A_taken_IP_stays_taken_after_a_store_restart_and_is_free_again_once_its_service_is_deleted()
    {
        Assert.True(Create(Service("a", clusterIp: "10.96.0.5")).Ok);
        Assert.True(Create(Service("np", "NodePort", nodePort: 30080)).Ok);

        Watch(Store);
        Sys.Stop(Store);
        ExpectTerminated(Store);
        var restarted = Sys.ActorOf(StoreActor.Props(new StoreSettings(), Time), "store-2");
        Proxy.Tell(new StoreProxy.Open(restarted));

        var refused = Create(Service("b", clusterIp: "10.96.0.5"));
        Assert.Equal(422, refused.Error?.Code);
        Assert.Equal("Service \"b\" is invalid: spec.clusterIPs: Invalid value: [\"10.96.0.5\"]: failed to allocate IP 10.96.0.5: provided IP is already allocated", refused.Error!.Message);
        Assert.Equal("Service \"np2\" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated",
            Create(Service("np2", "NodePort", nodePort: 30080)).Error?.Message);

        Assert.True(Await(Api.Delete(ResourceCatalog.Services, "default", "a")).Ok);
        Assert.Equal("10.96.0.5", Ip(Create(Service("b", clusterIp: "10.96.0.5"))));
    }

    [Fact]
    public void An_update_keeps_the_cluster_IP_and_refuses_to_change_it()
    {
        var created = Create(Service("a", "NodePort")).Object;
        var ip = KubeObject.ScalarAt(created, "spec.clusterIP")!;
        var nodePort = KubeObject.Long(KubeObject.At(created, "spec.ports")![0]!["nodePort"]);

        // A PUT without the allocated values (as kubectl replace of the first manifest) keeps them.
        var replaced = Service("a", "NodePort");
        KubeObject.Metadata(replaced)["resourceVersion"] = KubeObject.ResourceVersion(created);
        var updated = Await(Api.Update(ResourceCatalog.Services, replaced));
        Assert.True(updated.Ok, updated.Error?.Message);
        Assert.Equal(ip, Ip(updated));
        Assert.Equal(nodePort, KubeObject.Long(KubeObject.At(updated.Object, "spec.ports")![0]!["nodePort"]));

        var moved = updated.Object;
        moved["spec"]!["clusterIP"] = "10.96.0.77";
        moved["spec"]!["clusterIPs"] = new JsonArray("10.96.0.77");
        var refused = Await(Api.Update(ResourceCatalog.Services, moved));
        Assert.Equal("Service \"a\" is invalid: spec.clusterIPs[0]: Invalid value: [\"10.96.0.77\"]: may not change once set", refused.Error?.Message);
    }

    [Fact]
    public void A_dry_run_create_reserves_nothing()
    {
        var service = Service("a", clusterIp: "10.96.0.8");
        var dryRun = Await(Api.Rest.Create(ResourceCatalog.Services, "default", service, new Akka.KubeEmu.Actors.Api.Rest.WriteOptions(DryRun: true)));
        Assert.Equal("10.96.0.8", KubeObject.ScalarAt(KubeObject.Parse(dryRun.Body!.Utf8), "spec.clusterIP"));
        Assert.Equal("10.96.0.8", Ip(Create(Service("a", clusterIp: "10.96.0.8"))));
    }

    [Fact]
    public void Validation_answers_with_kubernetes_messages()
    {
        var bad = Service("bad");
        bad["spec"]!["ports"] = new JsonArray(new JsonObject { ["port"] = 80, ["targetPort"] = "HTTP_port" });
        bad["spec"]!["sessionAffinity"] = "ClientIP";
        bad["spec"]!["sessionAffinityConfig"] = new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = 100000 } };
        bad["spec"]!["externalTrafficPolicy"] = "Local";
        Assert.Equal("Service \"bad\" is invalid: [spec.ports[0].targetPort: Invalid value: \"HTTP_port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-), "
                     + "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400, "
                     + "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services]",
            Create(bad).Error?.Message);

        var clusterIpWithNodePort = Service("cip", nodePort: 30001);
        Assert.Equal("Service \"cip\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'", Create(clusterIpWithNodePort).Error?.Message);

        var wrongIp = Service("ip", clusterIp: "10.96.0.300");
        Assert.Equal("Service \"ip\" is invalid: spec.clusterIPs[0]: Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)", Create(wrongIp).Error?.Message);

        var external = Service("ext", "ExternalName");
        Assert.Equal("Service \"ext\" is invalid: spec.externalName: Required value", Create(external).Error?.Message);
    }

    [Fact]
    public void Defaults_are_those_of_a_single_stack_cluster()
    {
        var svc = Create(Service("a")).Object;
        Assert.Equal("SingleStack", KubeObject.ScalarAt(svc, "spec.ipFamilyPolicy"));
        Assert.Equal("[\"IPv4\"]", KubeObject.At(svc, "spec.ipFamilies")!.ToJsonString());

        var headless = Service("h", clusterIp: "None");
        headless["spec"]!.AsObject().Remove("selector");
        var stored = Create(headless).Object;
        Assert.Equal("RequireDualStack", KubeObject.ScalarAt(stored, "spec.ipFamilyPolicy"));
        Assert.Equal("[\"IPv4\",\"IPv6\"]", KubeObject.At(stored, "spec.ipFamilies")!.ToJsonString());
        Assert.Equal("None", KubeObject.ScalarAt(stored, "spec.clusterIP"));

        var affinity = Service("aff");
        affinity["spec"]!["sessionAffinity"] = "ClientIP";
        Assert.Equal(10800, KubeObject.Long(KubeObject.At(Create(affinity).Object, "spec.sessionAffinityConfig.clientIP.timeoutSeconds")));
    }
}

using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store.Allocation;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// The kube-system/kube-dns Service kubeadm's CoreDNS addon installs, at the tenth address of the
/// service range (10.96.0.10), so that the kubelet's resolv.conf and cluster DNS have their address.
/// Created once at start, as kubeadm does; until kube-system exists the create is retried with back-off.
/// </summary>
public sealed class KubeDnsService : Controller
{
    private const string Key = "kube-system/kube-dns";

    private readonly string _clusterIp;
    private readonly Indexer<V1Service> _services;

    public KubeDnsService(ControllerContext context, string clusterIp) : base(context, "kube-dns-service", workers: 1, fieldManager: "kubeadm")
    {
        _clusterIp = clusterIp;
        var services = Informers.For<V1Service>();
        _services = services.Indexer;
        // Registered so that the first sync waits for the cache; a deleted kube-dns stays deleted, as with kubeadm.
        Handle(services);
        Enqueue(Key);
    }

    public static Props Props(ControllerContext context, ServiceNetworkSettings network) =>
        Akka.Actor.Props.Create(() => new KubeDnsService(context, network.DnsServiceIp));

    protected override async Task<SyncResult> Sync(string key)
    {
        if (_services.Get(Key) is not null) return SyncResult.Done;
        (await Api.Create(ResourceCatalog.Services, Service(_clusterIp))).EnsureCreated();
        return SyncResult.Done;
    }

    public static JsonObject Service(string clusterIp) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject
        {
            ["name"] = "kube-dns",
            ["namespace"] = "kube-system",
            ["labels"] = new JsonObject { ["k8s-app"] = "kube-dns", ["kubernetes.io/cluster-service"] = "true", ["kubernetes.io/name"] = "CoreDNS" },
            ["annotations"] = new JsonObject { ["prometheus.io/port"] = "9153", ["prometheus.io/scrape"] = "true" },
        },
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = clusterIp,
            ["selector"] = new JsonObject { ["k8s-app"] = "kube-dns" },
            ["ports"] = new JsonArray(
                new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP", ["targetPort"] = 53 },
                new JsonObject { ["name"] = "dns-tcp", ["port"] = 53, ["protocol"] = "TCP", ["targetPort"] = 53 },
                new JsonObject { ["name"] = "metrics", ["port"] = 9153, ["protocol"] = "TCP", ["targetPort"] = 9153 }),
        },
    };
}

using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// The default/kubernetes Service (first IP of the service range, port 443) and its Endpoints,
/// which kube-apiserver's bootstrap controller keeps, so `kubectl get svc` shows what it shows
/// on any cluster. One key: synced at start and whenever either object changes or goes; until
/// the default namespace exists the create fails and is retried with the queue's back-off.
/// </summary>
public sealed class KubernetesService : Controller
{
    public const string ClusterIp = "10.96.0.1";

    /// <summary>The control plane's address on the emulated node network (nodes start at .3).</summary>
    public const string ControlPlaneIp = "172.18.0.2";

    private const string Key = "default/kubernetes";

    private readonly int _apiPort;
    private readonly Indexer<V1Service> _services;
    private readonly Indexer<V1Endpoints> _endpoints;

    public KubernetesService(ControllerContext context, int apiPort)
        : base(context, "kubernetes-service-controller", workers: 1, fieldManager: "kube-apiserver")
    {
        _apiPort = apiPort;
        var services = Informers.For<V1Service>();
        var endpoints = Informers.For<V1Endpoints>();
        _services = services.Indexer;
        _endpoints = endpoints.Indexer;
        Handle(services, added: Changed, updated: (_, s) => Changed(s), deleted: Changed);
        Handle(endpoints, added: Changed, updated: (_, e) => Changed(e), deleted: Changed);
        Enqueue(Key);
    }

    public static Props Props(ControllerContext context, int apiPort) =>
        Akka.Actor.Props.Create(() => new KubernetesService(context, apiPort));

    private void Changed(IKubernetesObject<V1ObjectMeta> obj)
    {
        if (KubeModels.Key(obj) == Key) Enqueue(Key);
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        if (_services.Get(Key) is null) (await Api.Create(ResourceCatalog.Services, Service())).EnsureCreated();

        var desired = Endpoints(_apiPort);
        var current = _endpoints.Get(Key);
        if (current is null)
        {
            (await Api.Create(ResourceCatalog.Endpoints, desired)).EnsureCreated();
            return SyncResult.Done;
        }
        // The reconciler puts the API server's address and port back when someone changed them.
        var subsets = KubeModels.ToJsonObject(current)["subsets"];
        if (JsonNode.DeepEquals(subsets, desired["subsets"])) return SyncResult.Done;
        KubeObject.Metadata(desired)["resourceVersion"] = current.Metadata.ResourceVersion;
        var updated = await Api.Update(ResourceCatalog.Endpoints, desired);
        if (updated.IsConflict) return SyncResult.Retry;
        _ = updated.Object;
        return SyncResult.Done;
    }

    private static JsonObject Service() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject
        {
            ["name"] = "kubernetes",
            ["namespace"] = "default",
            ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
        },
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = ClusterIp,
            ["clusterIPs"] = new JsonArray(ClusterIp),
            ["internalTrafficPolicy"] = "Cluster",
            ["ipFamilies"] = new JsonArray("IPv4"),
            ["ipFamilyPolicy"] = "SingleStack",
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
            ["sessionAffinity"] = "None",
            ["type"] = "ClusterIP",
        },
        ["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() },
    };

    private static JsonObject Endpoints(int apiPort) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Endpoints",
        ["metadata"] = new JsonObject
        {
            ["name"] = "kubernetes",
            ["namespace"] = "default",
            ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
        },
        ["subsets"] = new JsonArray(new JsonObject
        {
            ["addresses"] = new JsonArray(new JsonObject { ["ip"] = ControlPlaneIp }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = apiPort, ["protocol"] = "TCP" }),
        }),
    };
}

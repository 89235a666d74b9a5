using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Client;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// The default/kubernetes Service (first IP of the service range, port 443) and its Endpoints,
/// which kube-apiserver's bootstrap controller keeps, so `kubectl get svc` shows what it shows
/// on any cluster. Retries until the default namespace exists.
/// </summary>
public sealed class KubernetesService : ReceiveActor, IWithTimers
{
    public const string ClusterIp = "10.96.0.1";

    /// <summary>The control plane's address on the emulated node network (nodes start at .3).</summary>
    public const string ControlPlaneIp = "172.18.0.2";

    private readonly StoreClient _store;

    public KubernetesService(IActorRef store, int apiPort)
    {
        _store = new StoreClient(store, TimeSpan.FromSeconds(10));
        Receive<Ensure>(_ => EnsureAll(apiPort).PipeTo(Self, success: done => new Result(done), failure: _ => new Result(false)));
        Receive<Result>(r =>
        {
            if (r.Done) Context.Stop(Self);
            else Timers.StartSingleTimer("retry", Ensure.Instance, TimeSpan.FromSeconds(1));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store, int apiPort) => Akka.Actor.Props.Create(() => new KubernetesService(store, apiPort));

    protected override void PreStart() => Self.Tell(Ensure.Instance);

    private async Task<bool> EnsureAll(int apiPort)
    {
        foreach (var (resource, obj) in new[] { ("services", Service()), ("endpoints", Endpoints(apiPort)) })
        {
            var result = await _store.Create(resource, obj);
            if (!result.Ok && result.Error!.Code != 409) return false;
        }
        return true;
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

    private sealed record Result(bool Done);

    private sealed class Ensure
    {
        public static readonly Ensure Instance = new();
    }
}

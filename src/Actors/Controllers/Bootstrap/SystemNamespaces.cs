using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Client;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// Creates the namespaces every cluster has (default, kube-system, kube-public,
/// kube-node-lease), as kube-apiserver's system namespaces controller does; retries until the
/// store has them all.
/// </summary>
public sealed class SystemNamespaces : ReceiveActor, IWithTimers
{
    public static readonly string[] Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly StoreClient _store;

    public SystemNamespaces(IActorRef store)
    {
        _store = new StoreClient(store, TimeSpan.FromSeconds(10));
        Receive<Ensure>(_ => EnsureAll().PipeTo(Self, success: done => new Result(done), failure: _ => new Result(false)));
        Receive<Result>(r =>
        {
            if (r.Done) Context.Stop(Self);
            else Timers.StartSingleTimer("retry", Ensure.Instance, TimeSpan.FromSeconds(1));
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new SystemNamespaces(store));

    protected override void PreStart() => Self.Tell(Ensure.Instance);

    private async Task<bool> EnsureAll()
    {
        foreach (var name in Names)
        {
            var result = await _store.Create("namespaces", Namespace(name));
            if (!result.Ok && result.Error!.Code != 409) return false;
        }
        return true;
    }

    /// <summary>A namespace as the API server would store it after defaulting.</summary>
    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["labels"] = new JsonObject { ["kubernetes.io/metadata.name"] = name },
        },
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    private sealed record Result(bool Done);

    private sealed class Ensure
    {
        public static readonly Ensure Instance = new();
    }
}

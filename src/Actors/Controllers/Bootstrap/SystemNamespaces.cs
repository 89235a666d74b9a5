using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// kube-apiserver's system namespaces controller: default, kube-system, kube-public and
/// kube-node-lease exist, created through the API as kube-apiserver's loopback client creates them.
/// One key per namespace: synced at start and whenever one of them is deleted; a failed create is
/// retried with the queue's back-off.
/// </summary>
public sealed class SystemNamespaces : Controller
{
    public static readonly string[] Names = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly Indexer<V1Namespace> _namespaces;

    public SystemNamespaces(ControllerContext context) : base(context, "system-namespaces-controller", workers: 1, fieldManager: "kube-apiserver")
    {
        var namespaces = Informers.For<V1Namespace>();
        _namespaces = namespaces.Indexer;
        Handle(namespaces, deleted: ns =>
        {
            if (Names.Contains(ns.Metadata?.Name)) Enqueue(ns);
        });
        foreach (var name in Names) Enqueue(name);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new SystemNamespaces(context));

    protected override async Task<SyncResult> Sync(string key)
    {
        if (_namespaces.Get(key) is not null) return SyncResult.Done;
        var created = await Api.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = key } });
        if (created.IsAlreadyExists) return SyncResult.Done; // the cache is behind
        _ = created.Object; // any other failure: retried with back-off
        return SyncResult.Done;
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
}

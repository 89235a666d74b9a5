using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Membership;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.PodGC;

/// <summary>
/// kube-controller-manager's pod garbage collector for the pods no kubelet will ever finish:
/// <list type="bullet">
/// <item>gcOrphaned: pods bound to a node that does not exist, once the node has been missing for
/// the quarantine period (and the API confirms it): Failed with the DisruptionTarget condition
/// "PodGC: node no longer exists", then force-deleted;</item>
/// <item>gcTerminating: pods Terminating on a node whose process is confirmed down, that is removed
/// from the cluster (where Kubernetes waits for the out-of-service taint an operator puts on a node
/// known to be shut down): Failed, then force-deleted, so that what replaces them (a StatefulSet's
/// pod of the same name) can be created.</item>
/// </list>
/// Pods that are not Terminating on a dead node stay (their tolerations decide, as in Kubernetes).
/// <para>
/// The queue holds node names, looked at when the node is deleted, its process leaves the
/// cluster, or one of its pods starts terminating: no periodic pass over all pods.
/// </para>
/// </summary>
public sealed class PodGCController : Controller
{
    public const string ControllerName = "pod-garbage-collector";

    private readonly TimingProfile _timing;
    private readonly Indexer<V1Node> _nodes;
    private readonly Indexer<V1Pod> _pods;
    private readonly NodeHealthTracker _members = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);
    private volatile bool _membershipSynced;

    /// <param name="membership">Starts the membership monitor that feeds <see cref="MemberHealth"/> to this actor; null when someone else sends them (tests).</param>
    public PodGCController(ControllerContext context, TimingProfile timing, Func<IActorRef, Props>? membership, int workers = 2)
        : base(context, ControllerName, workers, "PodGC")
    {
        _timing = timing;
        var nodes = Informers.For<V1Node>();
        var pods = Informers.For<V1Pod>();
        _nodes = nodes.Indexer;
        _pods = pods.Indexer;
        NodeProcess.AddIndex(_nodes);

        Handle(nodes, added: n =>
        {
            if (ProcessGone(n)) Enqueue(n.Metadata.Name);
        }, deleted: n => Enqueue(n.Metadata.Name));
        Handle(pods, added: PodChanged, updated: (_, p) => PodChanged(p));
        if (membership is not null) Context.ActorOf(membership(Self), "membership");

        Receive<MemberHealth>(h =>
        {
            _members.OnMember(h, Time.GetUtcNow());
            if (h.Status != MemberHealthStatus.Removed) return;
            foreach (var node in _nodes.ByIndex(NodeProcess.AddressIndex, h.Address)) Enqueue(node.Metadata.Name);
            Pump();
        });
        Receive<MembershipSynced>(_ =>
        {
            // Processes that left before this controller started send no news: their nodes are looked at once now.
            _membershipSynced = true;
            foreach (var node in _nodes.List().Where(n => ProcessGone(n))) Enqueue(node.Metadata.Name);
            Pump();
        });
    }

    public static Props Props(ControllerContext context, TimingProfile timing, Func<IActorRef, Props>? membership = null) =>
        Akka.Actor.Props.Create(() => new PodGCController(context, timing, membership, 2));

    /// <summary>A pod that is Terminating, or bound to a node this controller has not seen, concerns its node.</summary>
    private void PodChanged(V1Pod pod)
    {
        if (pod.Spec?.NodeName is not { Length: > 0 } node) return; // the API server deletes unbound pods at once
        if (KubeModels.IsDeleting(pod) || _nodes.Get(node) is null) Enqueue(node);
    }

    protected override async Task<SyncResult> Sync(string nodeName)
    {
        var node = _nodes.Get(nodeName);
        if (node is null) return await CollectOrphans(nodeName);
        _missingSince.TryRemove(nodeName, out _);
        if (!ProcessGone(node)) return SyncResult.Done;
        foreach (var pod in PodsOn(nodeName).Where(KubeModels.IsDeleting).ToArray()) await ForceDelete(pod, null);
        return SyncResult.Done;
    }

    /// <summary>gcOrphaned: the node must have been missing for the quarantine period, and the API must agree.</summary>
    private async Task<SyncResult> CollectOrphans(string nodeName)
    {
        var pods = PodsOn(nodeName).ToArray();
        if (pods.Length == 0) return SyncResult.Done;
        var now = Time.GetUtcNow();
        var missingSince = _missingSince.GetOrAdd(nodeName, now);
        if (now - missingSince < _timing.PodGcOrphanQuarantine) return SyncResult.After(_timing.PodGcOrphanQuarantine - (now - missingSince));
        var exists = await Api.Get<V1Node>("", nodeName);
        if (exists.Ok) return SyncResult.Done; // it is back; the informer will tell
        if (!exists.IsNotFound) throw new ApiException(exists.Error!);
        _missingSince.TryRemove(nodeName, out _);
        foreach (var pod in pods)
            await ForceDelete(pod, new V1PodCondition
            {
                Type = "DisruptionTarget",
                Status = "True",
                Reason = "DeletionByPodGC",
                Message = "PodGC: node no longer exists",
            });
        return SyncResult.Done;
    }

    private IEnumerable<V1Pod> PodsOn(string nodeName) =>
        _pods.ByIndex(Indexers.NodeName, nodeName).Where(p => p.Spec?.NodeName == nodeName);

    /// <summary>Confirmed down: its process was removed from the cluster, or is not a member any more.</summary>
    private bool ProcessGone(V1Node node)
    {
        var address = NodeProcess.Address(node);
        if (address is null) return false;
        return _members.Member(address) switch
        {
            MemberHealthStatus.Removed => true,
            null => _membershipSynced,
            _ => false,
        };
    }

    /// <summary>markFailedAndDeletePodWithCondition: phase Failed (unless it already ended), then a delete with grace period 0.</summary>
    private async Task ForceDelete(V1Pod pod, V1PodCondition? condition)
    {
        var ns = pod.Metadata.NamespaceProperty ?? "";
        var name = pod.Metadata.Name;
        var uid = pod.Metadata.Uid ?? "";
        Log.Info("PodGC is force deleting Pod: {0}/{1}", ns, name);
        if (pod.Status?.Phase is not ("Succeeded" or "Failed"))
        {
            var status = new JsonObject { ["phase"] = "Failed" };
            if (condition is not null)
            {
                status["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = condition.Type,
                    ["status"] = condition.Status,
                    ["reason"] = condition.Reason,
                    ["message"] = condition.Message,
                    ["lastTransitionTime"] = KubeObject.Timestamp(Time.GetUtcNow()),
                });
            }
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["uid"] = uid }, ["status"] = status };
            var patched = await Api.Patch<V1Pod>(ns, name, PatchDispatch.StrategicMergePatch, patch.ToJsonString(), "status");
            if (patched.IsNotFound || patched.IsConflict) return; // gone, or another pod of that name now
            _ = patched.Object; // anything else: the sync is retried with back-off
        }
        var error = await Api.Delete<V1Pod>(ns, name, new DeleteRequest(GracePeriodSeconds: 0, PreconditionUid: uid));
        if (error is not null && error.Code is not (404 or 409)) throw new ApiException(error);
    }
}

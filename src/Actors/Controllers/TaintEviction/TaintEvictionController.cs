using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.TaintEviction;

/// <summary>
/// kube-controller-manager's taint eviction controller: pods on a node with NoExecute taints
/// they do not tolerate are deleted; tolerated-for-a-while pods (the 300 s not-ready and
/// unreachable tolerations every pod gets by default) are deleted when their time is up, and
/// spared if the taint goes away first.
/// <para>
/// The queue holds pod keys. A pod is looked at when it is bound or its tolerations change; a
/// node's pods (found through the pods' node index) only when the node's NoExecute taints change,
/// so a node heartbeat costs nothing. A timed eviction is the pod's key coming back after its
/// delay; a failed status write or delete is retried with the queue's back-off.
/// </para>
/// </summary>
public sealed class TaintEvictionController : Controller
{
    public const string ControllerName = "taint-eviction-controller";

    private readonly Indexer<V1Node> _nodes;
    private readonly Indexer<V1Pod> _pods;

    // When each pod's eviction is due (the taint eviction queue's work items), and the pods whose
    // eviction was announced but not yet done. Written by syncs: one key is never on two workers.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _scheduled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _marked = new(StringComparer.Ordinal);

    public TaintEvictionController(ControllerContext context, int workers = 8) : base(context, ControllerName, workers)
    {
        var nodes = Informers.For<V1Node>();
        var pods = Informers.For<V1Pod>();
        _nodes = nodes.Indexer;
        _pods = pods.Indexer;
        Handle(nodes, added: n => NodeUpdated(null, n), updated: NodeUpdated, deleted: n => NodeUpdated(n, null));
        Handle(pods, added: PodAdded, updated: PodUpdated, deleted: Enqueue);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new TaintEvictionController(context, 8));

    // ---- handlers: which pods a change concerns ----

    private void PodAdded(V1Pod pod)
    {
        if (!string.IsNullOrEmpty(pod.Spec?.NodeName)) Enqueue(pod);
    }

    /// <summary>PodUpdated: only a new node, new tolerations or the start of its deletion matter.</summary>
    private void PodUpdated(V1Pod old, V1Pod cur)
    {
        if (old.Spec?.NodeName == cur.Spec?.NodeName && EvictionPlan.SameTolerations(old.Spec?.Tolerations, cur.Spec?.Tolerations)
            && KubeModels.IsDeleting(old) == KubeModels.IsDeleting(cur) && old.Metadata.Uid == cur.Metadata.Uid)
            return;
        Enqueue(cur);
    }

    /// <summary>NodeUpdated: the node's pods, through the node index, and only when its NoExecute taints changed.</summary>
    private void NodeUpdated(V1Node? old, V1Node? cur)
    {
        var oldTaints = EvictionPlan.NoExecuteTaints(old);
        var newTaints = EvictionPlan.NoExecuteTaints(cur);
        if (EvictionPlan.SameTaints(oldTaints, newTaints)) return;
        var name = (cur ?? old)!.Metadata.Name;
        foreach (var pod in _pods.ByIndex(Indexers.NodeName, name)) Enqueue(pod);
    }

    // ---- sync (on a worker) ----

    /// <summary>processPodOnNode, then the eviction itself when its time has come.</summary>
    protected override async Task<SyncResult> Sync(string key)
    {
        var pod = _pods.Get(key);
        if (pod is null || KubeModels.IsDeleting(pod) || string.IsNullOrEmpty(pod.Spec?.NodeName))
        {
            await Cancel(key, pod is null || KubeModels.IsDeleting(pod) ? null : pod);
            return SyncResult.Done;
        }
        var now = Time.GetUtcNow();
        var at = EvictionPlan.EvictAt(pod, EvictionPlan.NoExecuteTaints(_nodes.Get(pod.Spec.NodeName)), now);
        if (at is null)
        {
            await Cancel(key, pod);
            return SyncResult.Done;
        }
        if (at > now)
        {
            _scheduled[key] = at.Value;
            return SyncResult.After(at.Value - now);
        }
        return await Evict(key, pod);
    }

    /// <summary>The eviction is off (the taint went, a toleration came): "Cancelling deletion".</summary>
    private async Task Cancel(string key, V1Pod? pod)
    {
        _marked.TryRemove(key, out _);
        if (!_scheduled.TryRemove(key, out _) || pod is null) return;
        await Recorder.Event(pod, EventRecorder.Normal, "TaintManagerEviction", $"Cancelling deletion of Pod {key}");
    }

    /// <summary>deletePodHandler: the event, the DisruptionTarget condition, the DELETE (this pod, not a successor of its name).</summary>
    private async Task<SyncResult> Evict(string key, V1Pod pod)
    {
        _scheduled.TryRemove(key, out _);
        var uid = pod.Metadata.Uid ?? "";
        if (!_marked.TryGetValue(key, out var marked) || marked != uid)
        {
            _marked[key] = uid;
            await Recorder.Event(pod, EventRecorder.Normal, "TaintManagerEviction", $"Marking for deletion Pod {key}");
        }

        var ns = pod.Metadata.NamespaceProperty ?? "";
        var name = pod.Metadata.Name;
        if (pod.Status?.Conditions?.Any(c => c.Type == "DisruptionTarget" && c.Status == "True") != true)
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["uid"] = uid },
                ["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "DisruptionTarget",
                        ["status"] = "True",
                        ["reason"] = "DeletionByTaintManager",
                        ["message"] = "Taint manager: deleting due to NoExecute taint",
                        ["lastTransitionTime"] = KubeObject.Timestamp(Time.GetUtcNow()),
                    }),
                },
            };
            var patched = await Api.Patch<V1Pod>(ns, name, PatchDispatch.StrategicMergePatch, patch.ToJsonString(), "status");
            if (patched.IsNotFound || patched.IsConflict) return Gone(key);
            _ = patched.Object; // anything else: retried with back-off
        }

        var error = await Api.Delete<V1Pod>(ns, name, new DeleteRequest(PreconditionUid: uid));
        if (error is not null && error.Code is not (404 or 409)) throw new Client.ApiException(error);
        return Gone(key);
    }

    private SyncResult Gone(string key)
    {
        _marked.TryRemove(key, out _);
        return SyncResult.Done;
    }
}

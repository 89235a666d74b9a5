using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;
using static Akka.KubeEmu.Actors.Controllers.Deployment.DeploymentUtil;

namespace Akka.KubeEmu.Actors.Controllers.Deployment;

/// <summary>
/// kube-controller-manager's deployment controller (pkg/controller/deployment): a Deployment is
/// rolled out through ReplicaSets named &lt;deployment&gt;-&lt;pod-template-hash&gt;, one per
/// template. It adopts and releases ReplicaSets by selector, creates the new one, resizes new and
/// old ones step by step (RollingUpdate within maxSurge/maxUnavailable, or Recreate), spreads
/// scaling events proportionally, keeps revisions and the revision history, and reports progress
/// in the Deployment's status and conditions (the fields kubectl rollout status reads). It never
/// creates pods (the ReplicaSet controller does); it reads them only to know, for Recreate, that
/// no old pod still runs.
/// </summary>
public sealed partial class DeploymentController : Controller
{
    public const string ControllerName = "deployment-controller";

    private static readonly V1OwnerReference KindOnly = new() { ApiVersion = "apps/v1", Kind = "Deployment" };

    private readonly Indexer<V1Deployment> _deployments;
    private readonly Indexer<V1ReplicaSet> _replicaSets;
    private readonly Indexer<V1Pod> _pods;
    private readonly ApiScaler _scaler;

    public DeploymentController(ControllerContext context) : base(context, ControllerName, workers: 5)
    {
        var deployments = Informers.For<V1Deployment>();
        var replicaSets = Informers.For<V1ReplicaSet>();
        var pods = Informers.For<V1Pod>();
        _deployments = deployments.Indexer;
        _replicaSets = replicaSets.Indexer;
        _pods = pods.Indexer;
        _scaler = new ApiScaler(Api, Recorder);

        Handle(deployments, added: Enqueue, updated: (_, d) => Enqueue(d), deleted: Enqueue);
        Handle(replicaSets, added: AddReplicaSet, updated: UpdateReplicaSet, deleted: DeleteReplicaSet);
        Handle(pods, deleted: DeletePod);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new DeploymentController(context));

    // ---- event handlers (on the actor): which Deployment to look at ----

    /// <summary>addReplicaSet: its controller, or for an orphan every Deployment that selects it (one may adopt it).</summary>
    private void AddReplicaSet(V1ReplicaSet rs)
    {
        if (KubeModels.IsDeleting(rs))
        {
            // Seen for the first time already being deleted (a restart of the controller manager).
            DeleteReplicaSet(rs);
            return;
        }
        if (KubeModels.ControllerOf(rs) is { } controllerRef)
        {
            if (ResolveControllerRef(rs.Metadata.NamespaceProperty, controllerRef) is { } d) Enqueue(d);
            return;
        }
        foreach (var d in GetDeploymentsForReplicaSet(rs)) Enqueue(d);
    }

    /// <summary>updateReplicaSet: the old and new controllers when the controllerRef changed; matching Deployments for an orphan whose labels changed.</summary>
    private void UpdateReplicaSet(V1ReplicaSet old, V1ReplicaSet cur)
    {
        if (cur.Metadata.ResourceVersion == old.Metadata.ResourceVersion) return; // a resync
        var curRef = KubeModels.ControllerOf(cur);
        var oldRef = KubeModels.ControllerOf(old);
        var controllerRefChanged = !SameRef(curRef, oldRef);
        if (controllerRefChanged && oldRef is not null && ResolveControllerRef(old.Metadata.NamespaceProperty, oldRef) is { } previous)
            Enqueue(previous);
        if (curRef is not null)
        {
            if (ResolveControllerRef(cur.Metadata.NamespaceProperty, curRef) is { } d) Enqueue(d);
            return;
        }
        if (!SameLabels(cur.Metadata.Labels, old.Metadata.Labels) || controllerRefChanged)
            foreach (var d in GetDeploymentsForReplicaSet(cur)) Enqueue(d);
    }

    private void DeleteReplicaSet(V1ReplicaSet rs)
    {
        if (KubeModels.ControllerOf(rs) is { } controllerRef && ResolveControllerRef(rs.Metadata.NamespaceProperty, controllerRef) is { } d)
            Enqueue(d);
    }

    /// <summary>deletePod: a Recreate Deployment whose last pod went away may now create its new ReplicaSet.</summary>
    private void DeletePod(V1Pod pod)
    {
        if (GetDeploymentForPod(pod) is not { } d) return;
        if (d.Spec?.Strategy?.Type != RecreateStrategy) return;
        LabelSelector? selector;
        try { selector = LabelSelectors.FromModel(d.Spec.Selector); }
        catch (FormatException) { return; }
        var rsList = _replicaSets.ByIndex(Indexers.ControllerUid, d.Metadata.Uid).Where(rs => selector.Matches(rs.Metadata.Labels)).ToList();
        if (GetPodMapForDeployment(d, rsList).Values.Sum(p => p.Count) == 0) Enqueue(d);
    }

    private V1Deployment? GetDeploymentForPod(V1Pod pod)
    {
        if (KubeModels.ControllerOf(pod) is not { Kind: "ReplicaSet" } podRef) return null;
        var rs = _replicaSets.Get(pod.Metadata.NamespaceProperty, podRef.Name);
        if (rs is null || rs.Metadata.Uid != podRef.Uid) return null;
        return KubeModels.ControllerOf(rs) is { } rsRef ? ResolveControllerRef(rs.Metadata.NamespaceProperty, rsRef) : null;
    }

    /// <summary>resolveControllerRef: the Deployment a controllerRef names, if it is still that one (same uid).</summary>
    private V1Deployment? ResolveControllerRef(string? ns, V1OwnerReference controllerRef)
    {
        if (controllerRef.Kind != KindOnly.Kind) return null;
        var d = _deployments.Get(ns, controllerRef.Name);
        return d is not null && d.Metadata.Uid == controllerRef.Uid ? d : null;
    }

    /// <summary>GetDeploymentsForReplicaSet: the Deployments of its namespace whose (non-empty) selector matches its labels.</summary>
    private List<V1Deployment> GetDeploymentsForReplicaSet(V1ReplicaSet rs)
    {
        if (rs.Metadata.Labels is not { Count: > 0 } labels) return [];
        var found = new List<V1Deployment>();
        foreach (var d in _deployments.InNamespace(rs.Metadata.NamespaceProperty ?? ""))
        {
            LabelSelector? selector;
            try { selector = LabelSelectors.FromModel(d.Spec?.Selector); }
            catch (FormatException) { continue; }
            // A nil or empty selector matches nothing here, not everything.
            if (selector is null || selector.IsEmpty || !selector.Matches(labels)) continue;
            found.Add(d);
        }
        return found;
    }

    private static bool SameRef(V1OwnerReference? a, V1OwnerReference? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Uid == b.Uid && a.Name == b.Name && a.Kind == b.Kind && a.ApiVersion == b.ApiVersion &&
              a.Controller == b.Controller && a.BlockOwnerDeletion == b.BlockOwnerDeletion;

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));

    // ---- what a Deployment owns ----

    /// <summary>
    /// getReplicaSetsForDeployment: its ReplicaSets and the orphans of its namespace (through the
    /// controller-uid index), claimed with a ControllerRefManager: matching orphans are adopted,
    /// owned ones that stopped matching released.
    /// </summary>
    private async Task<List<V1ReplicaSet>> GetReplicaSetsForDeployment(V1Deployment d)
    {
        var ns = d.Metadata.NamespaceProperty ?? "";
        var candidates = _replicaSets.ByIndex(Indexers.ControllerUid, d.Metadata.Uid)
            .Concat(_replicaSets.ByIndex(Indexers.ControllerUid, Indexers.Orphans(ns)))
            .OrderBy(rs => rs, ByCreationTimestamp);
        LabelSelector? selector;
        try { selector = LabelSelectors.FromModel(d.Spec?.Selector); }
        catch (FormatException e) { throw new InvalidOperationException($"deployment {ns}/{d.Metadata.Name} has invalid label selector: {e.Message}"); }
        var manager = new ControllerRefManager<V1ReplicaSet>(Api, d, ControllerRefs.For(d, "apps/v1", "Deployment"), selector,
            ControllerRefs.RecheckOwner(Api, d));
        return await manager.Claim(candidates);
    }

    /// <summary>
    /// getPodMapForDeployment: the pods the Deployment selects, by the ReplicaSet (of
    /// <paramref name="rsList"/>) controlling them; terminal ones included (Recreate checks them).
    /// </summary>
    private Dictionary<string, List<V1Pod>> GetPodMapForDeployment(V1Deployment d, IReadOnlyList<V1ReplicaSet> rsList)
    {
        var selector = LabelSelectors.FromModel(d.Spec?.Selector);
        var map = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var rs in rsList)
        {
            map[rs.Metadata.Uid] = _pods.ByIndex(Indexers.ControllerUid, rs.Metadata.Uid)
                .Where(p => p.Metadata.NamespaceProperty == d.Metadata.NamespaceProperty && selector.Matches(p.Metadata.Labels))
                .ToList();
        }
        return map;
    }

    /// <summary>The ReplicaSet writes of this controller: PUTs through the API, events about the Deployment.</summary>
    private sealed class ApiScaler(ApiClient api, EventRecorder recorder) : ReplicaSetScaler
    {
        protected override async Task<V1ReplicaSet> Update(V1ReplicaSet rs) => (await api.Update(rs)).Object;

        protected override Task Event(V1Deployment d, string type, string reason, string message) => recorder.Event(d, type, reason, message);
    }
}

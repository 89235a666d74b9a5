using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Disruption;

/// <summary>
/// pkg/controller/disruption (kube-controller-manager's "disruption-controller"): keeps every
/// PodDisruptionBudget's status (currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed,
/// disruptedPods, observedGeneration, the DisruptionAllowed condition) in line with its pods.
/// <para>
/// The queue holds budget keys. A pod change wakes only the budget selecting it (the budgets of the
/// pod's namespace, from the namespace index); a sync reads the budget's pods from the namespace
/// index and their owners' scale from the owners' caches. An eviction the API granted is waited
/// for until it happens or <see cref="DisruptionStatus.DeletionTimeout"/> passes: the key comes
/// back when the oldest such entry runs out. A budget whose pods cannot be accounted for gets
/// disruptionsAllowed 0 and the SyncFailed condition (failSafe), and is tried again with back-off.
/// </para>
/// </summary>
public sealed class DisruptionController : Controller
{
    public const string ControllerName = "disruption-controller";

    private readonly Indexer<V1PodDisruptionBudget> _budgets;
    private readonly Indexer<V1Pod> _pods;
    private readonly ExpectedScale _scale;

    public DisruptionController(ControllerContext context, int workers = 5) : base(context, ControllerName, workers)
    {
        var budgets = Informers.For<V1PodDisruptionBudget>();
        var pods = Informers.For<V1Pod>();
        var rcs = Informers.For<V1ReplicationController>();
        var rss = Informers.For<V1ReplicaSet>();
        var deployments = Informers.For<V1Deployment>();
        var statefulSets = Informers.For<V1StatefulSet>();
        _budgets = budgets.Indexer;
        _pods = pods.Indexer;
        _scale = new ExpectedScale(rcs.Indexer, rss.Indexer, deployments.Indexer, statefulSets.Indexer);

        Handle(budgets, added: Enqueue, updated: (_, cur) => Enqueue(cur), deleted: Enqueue);
        Handle(pods, added: PodChanged, updated: PodUpdated, deleted: PodChanged);
        // The owners are read, not followed (as in Kubernetes): a scale change shows through the pods it makes or removes.
        Handle(rcs);
        Handle(rss);
        Handle(deployments);
        Handle(statefulSets);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new DisruptionController(context, 5));

    // ---- handlers ----

    private void PodChanged(V1Pod pod)
    {
        if (BudgetFor(pod) is { } budget) Enqueue(budget);
    }

    private void PodUpdated(V1Pod old, V1Pod cur)
    {
        if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return;
        PodChanged(cur);
    }

    /// <summary>getPdbForPod: the budget whose selector matches the pod; with several, the first by name (and a warning).</summary>
    private V1PodDisruptionBudget? BudgetFor(V1Pod pod)
    {
        if (pod.Metadata.Labels is not { Count: > 0 } labels) return null;
        var matching = BudgetsSelecting(pod.Metadata.NamespaceProperty, labels);
        if (matching.Count == 0) return null;
        if (matching.Count > 1)
            _ = Recorder.Event(pod, EventRecorder.Warning, "MultiplePodDisruptionBudgets",
                $"Pod \"{pod.Metadata.NamespaceProperty}\"/\"{pod.Metadata.Name}\" matches multiple PodDisruptionBudgets.  Chose \"{matching[0].Metadata.Name}\" arbitrarily.");
        return matching[0];
    }

    private List<V1PodDisruptionBudget> BudgetsSelecting(string ns, IDictionary<string, string> labels)
    {
        var result = new List<V1PodDisruptionBudget>();
        foreach (var pdb in _budgets.InNamespace(ns))
        {
            // A nil or empty selector matches nothing; an invalid one is skipped.
            if (Selector(pdb) is not { IsEmpty: false } selector) continue;
            if (selector.Matches(labels)) result.Add(pdb);
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name));
        return result;
    }

    private static LabelSelector? Selector(V1PodDisruptionBudget pdb)
    {
        try
        {
            return LabelSelectors.FromModel(pdb.Spec?.Selector);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    // ---- sync (on a worker) ----

    protected override async Task<SyncResult> Sync(string key)
    {
        var pdb = _budgets.Get(key);
        if (pdb is null) return SyncResult.Done;
        var (result, failure) = await TrySync(pdb);
        if (failure is null) return result;
        // failSafe: no disruption is allowed while the budget cannot be worked out.
        var json = KubeModels.ToJsonObject(pdb);
        var status = KubeObject.EnsureObject(json, "status");
        status["disruptionsAllowed"] = 0;
        DisruptionAllowedCondition.Set(json, "False", DisruptionAllowedCondition.SyncFailed, failure, Time.GetUtcNow());
        var written = await Api.Update(ResourceCatalog.PodDisruptionBudgets, json, "status");
        if (written.IsNotFound) return SyncResult.Done;
        return SyncResult.Retry; // with back-off: an owner may show up, a selector may be fixed
    }

    /// <summary>trySync; the failure text when the budget's pods cannot be accounted for.</summary>
    private async Task<(SyncResult Result, string? Failure)> TrySync(V1PodDisruptionBudget pdb)
    {
        var pods = PodsOf(pdb);
        if (pods.Count == 0) await Recorder.Event(pdb, EventRecorder.Normal, "NoPods", "No matching pods found");

        var spec = pdb.Spec ?? new V1PodDisruptionBudgetSpec();
        var expectedCount = pods.Count;
        if (DisruptionStatus.NeedsScale(spec))
        {
            var scale = _scale.Of(pods);
            if (scale.Error is not null)
            {
                await Recorder.Event(pdb, EventRecorder.Warning, "CalculateExpectedPodCountFailed",
                    $"Failed to calculate the number of expected pods: {scale.Error}");
                return (SyncResult.Retry, scale.Error);
            }
            expectedCount = scale.ExpectedCount;
            if (scale.UnmanagedPods.Count > 0)
                await Recorder.Event(pdb, EventRecorder.Warning, "UnmanagedPods",
                    $"Pods selected by this PodDisruptionBudget (selector: {SelectorText(spec.Selector)}) were found to be unmanaged. " +
                    "As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. " +
                    "To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.");
        }
        var (desiredHealthy, error) = DisruptionStatus.DesiredHealthy(spec, expectedCount);
        if (error is not null)
        {
            await Recorder.Event(pdb, EventRecorder.Warning, "CalculateExpectedPodCountFailed", $"Failed to calculate the number of expected pods: {error}");
            return (SyncResult.Retry, error);
        }

        var now = Time.GetUtcNow();
        var (disrupted, recheckAt, notDeleted) = DisruptionStatus.DisruptedPods(pods, pdb.Status?.DisruptedPods, now);
        foreach (var pod in notDeleted)
            // Kubernetes names the budget "namespace/namespace" in this message; so do we.
            await Recorder.Event(pod, EventRecorder.Warning, "NotDeleted",
                $"Pod was expected by PDB {pdb.Metadata.NamespaceProperty}/{pdb.Metadata.NamespaceProperty} to be deleted but it wasn't");
        var currentHealthy = DisruptionStatus.CountHealthy(pods, disrupted, now);

        var updated = DisruptionStatus.Updated(pdb, currentHealthy, desiredHealthy, expectedCount, disrupted, now);
        if (updated is not null)
        {
            var written = await Api.Update(ResourceCatalog.PodDisruptionBudgets, updated, "status");
            if (written.IsNotFound) return (SyncResult.Done, null);
            if (written.IsConflict) return (SyncResult.Retry, null); // stale cache: no failSafe for a conflict
            _ = written.Object;
        }
        return (recheckAt is { } at ? SyncResult.After(at - now) : SyncResult.Done, null);
    }

    /// <summary>getPodsForPdb: the pods of the budget's namespace its selector matches (none for an empty selector).</summary>
    private List<V1Pod> PodsOf(V1PodDisruptionBudget pdb)
    {
        if (Selector(pdb) is not { IsEmpty: false } selector) return [];
        var pods = new List<V1Pod>();
        foreach (var pod in _pods.InNamespace(pdb.Metadata.NamespaceProperty))
            if (selector.Matches(pod.Metadata.Labels)) pods.Add(pod);
        return pods;
    }

    /// <summary>The selector as Go's generated String() prints a *metav1.LabelSelector.</summary>
    private static string SelectorText(V1LabelSelector? selector)
    {
        if (selector is null) return "nil";
        var labels = string.Join("", (selector.MatchLabels ?? new Dictionary<string, string>())
            .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value},"));
        var expressions = string.Join("", (selector.MatchExpressions ?? []).Select(e =>
            $"LabelSelectorRequirement{{Key:{e.Key},Operator:{e.OperatorProperty},Values:[{string.Join(" ", e.Values ?? [])}],}},"));
        return $"&LabelSelector{{MatchLabels:map[string]string{{{labels}}},MatchExpressions:[]LabelSelectorRequirement{{{expressions}}},}}";
    }
}

using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.DaemonSet;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Workqueue;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Controllers.DaemonSet;

/// <summary>
/// The DaemonSet controller on its own against a real Store, in virtual time (see
/// <see cref="ControllerSpecBase"/>): the specs create the Nodes and play the scheduler's and the
/// kubelet's parts (binding each pod to the node its affinity names, running it, finishing deletions).
/// </summary>
public abstract class DaemonSetTestBase : ControllerSpecBase
{
    protected WorkqueueMetrics Metrics { get; } = new(perKey: true);

    protected Manager StartController(FailedPodsBackoff? backoff = null) =>
        StartController(context => DaemonSetsController.Props(context with { Metrics = Metrics }, failedPodsBackoff: backoff));

    protected static V1DaemonSet NewDaemonSet(string name, Action<V1DaemonSet>? change = null)
    {
        var ds = new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["name"] = name } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["name"] = name } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "agent", Image = "nginx:1.14.2" }] },
                },
            },
        };
        change?.Invoke(ds);
        return ds;
    }

    protected V1DaemonSet CreateDaemonSet(V1DaemonSet ds) => Await(Api.Create(ds)).Object;

    protected V1DaemonSet DaemonSet(string name) => Await(Api.Get<V1DaemonSet>("default", name)).Object;

    /// <summary>Changes a DaemonSet as kubectl would (a PUT, again on a conflict with the controller's status writes).</summary>
    protected V1DaemonSet UpdateDaemonSet(string name, Action<V1DaemonSet> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var ds = DaemonSet(name);
            change(ds);
            var result = Await(Api.Update(ds));
            if (!result.IsConflict || attempt > 10) return result.Object;
        }
    }

    protected V1Node CreateNode(string name, IDictionary<string, string>? labels = null, params V1Taint[] taints) =>
        Await(Api.Create(new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
            Spec = new V1NodeSpec { Taints = taints.Length == 0 ? null : taints.ToList() },
        })).Object;

    protected V1Node UpdateNode(string name, Action<V1Node> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var node = Await(Api.Get<V1Node>("", name)).Object;
            change(node);
            var result = Await(Api.Update(node));
            if (!result.IsConflict || attempt > 10) return result.Object;
        }
    }

    /// <summary>The DaemonSet's pods not being deleted, by the node their affinity names.</summary>
    protected IReadOnlyDictionary<string, V1Pod> PodsByNode(V1DaemonSet ds) =>
        AllPods().Where(p => KubeModels.ControllerOf(p)?.Uid == ds.Metadata.Uid && p.Metadata.DeletionTimestamp is null)
            .GroupBy(p => DaemonPods.TargetNodeName(p) ?? "")
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.Metadata.CreationTimestamp).Last());

    protected IReadOnlyList<V1Pod> LivePods(V1DaemonSet ds) =>
        AllPods().Where(p => KubeModels.ControllerOf(p)?.Uid == ds.Metadata.Uid && p.Metadata.DeletionTimestamp is null).ToArray();

    /// <summary>Waits until the DaemonSet has one live pod on exactly these nodes.</summary>
    protected IReadOnlyDictionary<string, V1Pod> WaitForPodsOn(V1DaemonSet ds, params string[] nodes) =>
        Eventually(() => LivePods(ds) is { } pods && pods.Count == nodes.Length
                         && pods.Select(p => DaemonPods.TargetNodeName(p)).Order().SequenceEqual(nodes.Order())
            ? PodsByNode(ds)
            : null, Budget, $"pods of {ds.Metadata.Name} on {string.Join(", ", nodes)}");

    /// <summary>The scheduler and the kubelet: every pending pod of the DaemonSet is bound to its node, running and ready.</summary>
    protected void RunPods(V1DaemonSet ds)
    {
        foreach (var pod in LivePods(ds))
        {
            if (string.IsNullOrEmpty(pod.Spec.NodeName)) Bind(pod.Metadata.Name, DaemonPods.TargetNodeName(pod)!);
            if (!PodStates.IsReady(PodNamed(pod.Metadata.Name))) SetRunning(pod.Metadata.Name, ready: true);
        }
    }

    /// <summary>The kubelet finishing a graceful deletion: the pods being deleted go.</summary>
    protected void FinishDeletions()
    {
        foreach (var pod in AllPods().Where(p => p.Metadata.DeletionTimestamp is not null))
            DeletePod(pod.Metadata.Name, gracePeriodSeconds: 0);
    }

    protected V1DaemonSet WaitForStatus(string name, Func<V1DaemonSetStatus, bool> condition, string what) =>
        Eventually(() => DaemonSet(name) is { Status: { } s } ds && condition(s) ? ds : null, Budget, what);

    protected IReadOnlyList<V1ControllerRevision> Revisions() => Await(Api.List<V1ControllerRevision>("default")).Object;

    protected static V1Taint Taint(string key, string effect, string? value = null) => new() { Key = key, Value = value, Effect = effect };
}

using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Scheduling;

/// <summary>Nodes and pods as Kubernetes' plugin tests build them (st.MakeNode / st.MakePod), for table-driven plugin specs.</summary>
internal static class SchedulingFixtures
{
    public static V1Node MakeNode(string name, string cpu = "4", string memory = "8Gi", int pods = 110,
        IDictionary<string, string>? labels = null, IList<V1Taint>? taints = null, bool unschedulable = false)
    {
        var allLabels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = name };
        foreach (var (k, v) in labels ?? new Dictionary<string, string>()) allLabels[k] = v;
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = allLabels },
            Spec = new V1NodeSpec { Taints = taints, Unschedulable = unschedulable },
            Status = new V1NodeStatus
            {
                Allocatable = new Dictionary<string, ResourceQuantity>
                {
                    ["cpu"] = new(cpu), ["memory"] = new(memory), ["pods"] = new(pods.ToString()),
                },
            },
        };
    }

    public static V1Pod Pod(string name, string? cpu = null, string? memory = null, IDictionary<string, string>? labels = null,
        string? node = null, int? priority = null, string ns = "default", V1Affinity? affinity = null,
        IList<V1TopologySpreadConstraint>? spread = null, IList<V1ContainerPort>? ports = null, IList<V1Toleration>? tolerations = null,
        DateTime? started = null, string? preemptionPolicy = null)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null) requests["cpu"] = new ResourceQuantity(cpu);
        if (memory is not null) requests["memory"] = new ResourceQuantity(memory);
        return new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name, NamespaceProperty = ns, Uid = "uid-" + name, Labels = labels ?? new Dictionary<string, string>(),
                CreationTimestamp = started ?? new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc),
            },
            Spec = new V1PodSpec
            {
                NodeName = node, Priority = priority, Affinity = affinity, TopologySpreadConstraints = spread,
                Tolerations = tolerations, PreemptionPolicy = preemptionPolicy, SchedulerName = "default-scheduler",
                Containers = [new V1Container { Name = "c", Image = "nginx", Ports = ports, Resources = new V1ResourceRequirements { Requests = requests } }],
            },
            Status = new V1PodStatus { StartTime = started },
        };
    }

    /// <summary>A snapshot of these nodes with these pods on the nodes they name.</summary>
    public static Snapshot Snapshot(IEnumerable<V1Node> nodes, IEnumerable<V1Pod>? pods = null,
        IDictionary<string, IDictionary<string, string>>? namespaceLabels = null)
    {
        var snapshot = new Snapshot();
        foreach (var n in nodes) snapshot.Add(n);
        foreach (var p in pods ?? []) snapshot.Get(p.Spec.NodeName)!.AddPod(PodInfo.From(p));
        if (namespaceLabels is not null) snapshot.NamespaceLabels = ns => namespaceLabels.TryGetValue(ns, out var l) ? l : null;
        return snapshot;
    }

    public static V1PodAffinityTerm Term(string topologyKey, string key, string value, IList<string>? namespaces = null,
        V1LabelSelector? namespaceSelector = null) => new()
    {
        TopologyKey = topologyKey,
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [key] = value } },
        Namespaces = namespaces,
        NamespaceSelector = namespaceSelector,
    };

    public static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    /// <summary>Runs a score plugin as the framework does: PreScore, Score each node, NormalizeScore.</summary>
    public static long[] Scores(IScorePlugin plugin, PodInfo pod, Snapshot snapshot, IReadOnlyList<NodeInfo>? feasible = null)
    {
        feasible ??= snapshot.Nodes;
        if (plugin is ICyclePlugin cycle) cycle.BeginCycle(pod, snapshot);
        plugin.PreScore(pod, feasible, snapshot);
        var scores = feasible.Select(n => plugin.Score(pod, n)).ToArray();
        plugin.Normalize(pod, scores);
        return scores;
    }
}

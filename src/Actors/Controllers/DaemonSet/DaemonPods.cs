using System.Globalization;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.History;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

/// <summary>
/// pkg/controller/daemon/util: what a daemon pod carries (the revision hash and the deprecated
/// template generation as labels, the tolerations every daemon pod gets, the node-affinity term
/// that pins it to its node) and how the controller tells which node a pod is for and whether it
/// is up to date.
/// </summary>
public static class DaemonPods
{
    /// <summary>apps DefaultDaemonSetUniqueLabelKey (= ControllerRevisionHashLabelKey): on pods and on the DaemonSet's revisions.</summary>
    public const string HashLabel = ControllerHistory.PodRevisionLabel;

    /// <summary>extensions DaemonSetTemplateGenerationKey: deprecated, still set.</summary>
    public const string TemplateGenerationLabel = "pod-template-generation";

    /// <summary>apps DeprecatedTemplateGeneration: the v1 form of the internal spec.templateGeneration.</summary>
    public const string TemplateGenerationAnnotation = "deprecated.daemonset.template.generation";

    /// <summary>metav1.ObjectNameField: the field a node-affinity matchFields term may name.</summary>
    public const string ObjectNameField = "metadata.name";

    /// <summary>The taints daemon pods tolerate, with the effect each is tolerated for (AddOrUpdateDaemonPodTolerations).</summary>
    public static readonly IReadOnlyList<(string Key, string Effect)> Tolerated =
    [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];

    /// <summary>Tolerated by pods on the host network only: they need no pod network.</summary>
    public static readonly (string Key, string Effect) NetworkUnavailable = ("node.kubernetes.io/network-unavailable", "NoSchedule");

    /// <summary>GetTemplateGeneration: the annotation, null when absent or not a number.</summary>
    public static long? TemplateGeneration(V1DaemonSet ds) =>
        ds.Metadata?.Annotations?.TryGetValue(TemplateGenerationAnnotation, out var text) == true
        && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var generation)
            ? generation
            : null;

    /// <summary>
    /// AddOrUpdateDaemonPodTolerations: node problems never evict nor keep out a daemon pod (no
    /// tolerationSeconds: it stays on a NotReady or unreachable node for good). A toleration of the
    /// same key, operator, value and effect is replaced, so a user's tolerationSeconds goes.
    /// </summary>
    public static void AddOrUpdateTolerations(V1PodSpec spec)
    {
        var wanted = Tolerated.ToList();
        if (spec.HostNetwork == true) wanted.Add(NetworkUnavailable);
        spec.Tolerations ??= new List<V1Toleration>();
        foreach (var (key, effect) in wanted)
        {
            var toleration = new V1Toleration { Key = key, OperatorProperty = "Exists", Effect = effect };
            var index = spec.Tolerations.ToList().FindIndex(t =>
                t.Key == key && t.OperatorProperty == "Exists" && (t.Value ?? "") == "" && t.Effect == effect);
            if (index < 0) spec.Tolerations.Add(toleration);
            else spec.Tolerations[index] = toleration;
        }
    }

    /// <summary>
    /// CreatePodTemplate: a copy of the template with the daemon tolerations, the template
    /// generation (when the DaemonSet has one) and the revision hash as labels.
    /// </summary>
    public static V1PodTemplateSpec CreatePodTemplate(V1PodTemplateSpec template, long? generation, string hash)
    {
        var copy = KubeModels.Clone(template);
        copy.Spec ??= new V1PodSpec();
        AddOrUpdateTolerations(copy.Spec);
        copy.Metadata ??= new V1ObjectMeta();
        copy.Metadata.Labels ??= new Dictionary<string, string>();
        if (generation is { } g) copy.Metadata.Labels[TemplateGenerationLabel] = g.ToString(CultureInfo.InvariantCulture);
        if (hash.Length > 0) copy.Metadata.Labels[HashLabel] = hash;
        return copy;
    }

    /// <summary>
    /// ReplaceDaemonSetPodNodeNameNodeAffinity: the pod's required node affinity becomes the one term
    /// <c>matchFields metadata.name In [node]</c>, so the default scheduler places it on that node and
    /// nowhere else (the controller never sets spec.nodeName). The template's own required terms were
    /// already checked against the node; its preferred terms stay.
    /// </summary>
    public static void PinToNode(V1PodSpec spec, string nodeName)
    {
        var term = new V1NodeSelectorTerm
        {
            MatchFields = [new V1NodeSelectorRequirement { Key = ObjectNameField, OperatorProperty = "In", Values = [nodeName] }],
        };
        spec.Affinity ??= new V1Affinity();
        spec.Affinity.NodeAffinity ??= new V1NodeAffinity();
        spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution ??= new V1NodeSelector();
        spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms = [term];
    }

    /// <summary>
    /// GetTargetNodeName: spec.nodeName once bound, before that the node its matchFields term names;
    /// null for a pod that names no single node (the controller leaves it out).
    /// </summary>
    public static string? TargetNodeName(V1Pod pod)
    {
        if (pod.Spec?.NodeName is { Length: > 0 } bound) return bound;
        var terms = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms;
        foreach (var term in terms ?? [])
            foreach (var field in term.MatchFields ?? [])
                if (field.Key == ObjectNameField && field.OperatorProperty == "In")
                    return field.Values is [var only] ? only : null;
        return null;
    }

    /// <summary>IsPodUpdated: the pod carries the current revision's hash, or the current template generation.</summary>
    public static bool IsUpdated(V1Pod pod, string hash, long? generation)
    {
        var labels = pod.Metadata?.Labels;
        var templateMatches = generation is { } g && labels?.TryGetValue(TemplateGenerationLabel, out var podGeneration) == true
                              && podGeneration == g.ToString(CultureInfo.InvariantCulture);
        var hashMatches = hash.Length > 0 && labels?.TryGetValue(HashLabel, out var podHash) == true && podHash == hash;
        return hashMatches || templateMatches;
    }

    /// <summary>Terminal (Succeeded or Failed).</summary>
    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    /// <summary>podByCreationTimestampAndPhase: scheduled pods first, then the oldest, then by name.</summary>
    public static readonly IComparer<V1Pod> ByCreationTimestampAndPhase = Comparer<V1Pod>.Create((a, b) =>
    {
        var aBound = !string.IsNullOrEmpty(a.Spec?.NodeName);
        var bBound = !string.IsNullOrEmpty(b.Spec?.NodeName);
        if (aBound != bBound) return aBound ? -1 : 1;
        var at = a.Metadata?.CreationTimestamp ?? DateTime.MinValue;
        var bt = b.Metadata?.CreationTimestamp ?? DateTime.MinValue;
        return at == bt ? string.CompareOrdinal(a.Metadata?.Name, b.Metadata?.Name) : at.CompareTo(bt);
    });
}

using System.Globalization;
using System.Text.RegularExpressions;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.History;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// stateful_set_utils.go: a pod's identity (name, ordinal, labels, hostname/subdomain), its storage
/// (volumes pointing at the claims of the set's volumeClaimTemplates), the pod states the controller
/// waits on, and the status arithmetic. Pure functions over the models.
/// </summary>
public static partial class StatefulSetUtils
{
    /// <summary>apps StatefulSetPodNameLabel: lets a Service select one pod of the set.</summary>
    public const string PodNameLabel = "statefulset.kubernetes.io/pod-name";

    /// <summary>apps PodIndexLabel (PodIndexLabel feature, on by default since 1.28).</summary>
    public const string PodIndexLabel = "apps.kubernetes.io/pod-index";

    public const string OrderedReady = "OrderedReady";
    public const string Parallel = "Parallel";
    public const string RollingUpdate = "RollingUpdate";
    public const string OnDelete = "OnDelete";
    public const string Retain = "Retain";
    public const string Delete = "Delete";

    [GeneratedRegex("^(.*)-([0-9]+)$")]
    private static partial Regex StatefulPodName();

    /// <summary>getParentNameAndOrdinal: "web-3" is ("web", 3); a name without a number suffix is ("", -1).</summary>
    public static (string Parent, int Ordinal) ParentAndOrdinal(V1Pod pod)
    {
        var match = StatefulPodName().Match(pod.Metadata?.Name ?? "");
        if (!match.Success) return ("", -1);
        return (match.Groups[1].Value,
            int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1);
    }

    public static int Ordinal(V1Pod pod) => ParentAndOrdinal(pod).Ordinal;

    /// <summary>getStartOrdinal: spec.ordinals.start, 0 when not set.</summary>
    public static int StartOrdinal(V1StatefulSet set) => set.Spec?.Ordinals?.Start ?? 0;

    public static int Replicas(V1StatefulSet set) => set.Spec?.Replicas ?? 1;

    /// <summary>getEndOrdinal (inclusive).</summary>
    public static int EndOrdinal(V1StatefulSet set) => StartOrdinal(set) + Replicas(set) - 1;

    public static bool InOrdinalRange(V1Pod pod, V1StatefulSet set)
    {
        var ordinal = Ordinal(pod);
        return ordinal >= StartOrdinal(set) && ordinal <= EndOrdinal(set);
    }

    public static string PodName(V1StatefulSet set, int ordinal) => $"{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>getPersistentVolumeClaimName: &lt;claim template&gt;-&lt;set&gt;-&lt;ordinal&gt;, e.g. www-web-0.</summary>
    public static string ClaimName(V1StatefulSet set, V1PersistentVolumeClaim template, int ordinal) =>
        $"{template.Metadata?.Name}-{set.Metadata.Name}-{ordinal.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>isMemberOf: the pod's name says it belongs to the set (a pod named otherwise is never claimed).</summary>
    public static bool IsMemberOf(V1StatefulSet set, V1Pod pod) => ParentAndOrdinal(pod).Parent == set.Metadata.Name;

    /// <summary>identityMatches: name, namespace and the pod-name label are the set's.</summary>
    public static bool IdentityMatches(V1StatefulSet set, V1Pod pod)
    {
        var (parent, ordinal) = ParentAndOrdinal(pod);
        return ordinal >= 0 && parent == set.Metadata.Name && pod.Metadata.Name == PodName(set, ordinal)
               && pod.Metadata.NamespaceProperty == set.Metadata.NamespaceProperty
               && pod.Metadata.Labels?.TryGetValue(PodNameLabel, out var label) == true && label == pod.Metadata.Name;
    }

    /// <summary>storageMatches: every claim template has a volume of the pod pointing at the pod's claim.</summary>
    public static bool StorageMatches(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        if (ordinal < 0) return false;
        var volumes = (pod.Spec?.Volumes ?? []).GroupBy(v => v.Name).ToDictionary(g => g.Key, g => g.First());
        foreach (var template in set.Spec?.VolumeClaimTemplates ?? [])
        {
            if (!volumes.TryGetValue(template.Metadata?.Name ?? "", out var volume)
                || volume.PersistentVolumeClaim?.ClaimName != ClaimName(set, template, ordinal)) return false;
        }
        return true;
    }

    /// <summary>
    /// getPersistentVolumeClaims: the claims of the pod by template name. Each carries the template's
    /// labels plus the set's selector matchLabels (these win), in the set's namespace.
    /// </summary>
    public static IReadOnlyList<(string Template, V1PersistentVolumeClaim Claim)> Claims(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        var claims = new List<(string, V1PersistentVolumeClaim)>();
        foreach (var template in set.Spec?.VolumeClaimTemplates ?? [])
        {
            var claim = Akka.KubeEmu.Actors.Api.Objects.KubeModels.Clone(template);
            claim.ApiVersion = "v1";
            claim.Kind = "PersistentVolumeClaim";
            claim.Metadata ??= new V1ObjectMeta();
            claim.Metadata.Name = ClaimName(set, template, ordinal);
            claim.Metadata.NamespaceProperty = set.Metadata.NamespaceProperty;
            var labels = claim.Metadata.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(claim.Metadata.Labels);
            foreach (var (k, v) in set.Spec?.Selector?.MatchLabels ?? new Dictionary<string, string>()) labels[k] = v;
            claim.Metadata.Labels = labels.Count == 0 ? null : labels;
            // The template's status (defaulted to Pending) is the API server's to set.
            claim.Status = null;
            claims.Add((template.Metadata?.Name ?? "", claim));
        }
        return claims;
    }

    /// <summary>updateStorage: volumes named after the claim templates point at the pod's claims; other volumes stay.</summary>
    public static void UpdateStorage(V1StatefulSet set, V1Pod pod)
    {
        var claims = Claims(set, pod);
        var names = claims.Select(c => c.Template).ToHashSet(StringComparer.Ordinal);
        var volumes = claims.Select(c => new V1Volume
        {
            Name = c.Template,
            PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = c.Claim.Metadata.Name },
        }).ToList();
        volumes.AddRange((pod.Spec.Volumes ?? []).Where(v => !names.Contains(v.Name)));
        pod.Spec.Volumes = volumes.Count == 0 ? null : volumes;
    }

    /// <summary>initIdentity: the identity, plus hostname and subdomain, which are only set when the pod is created.</summary>
    public static void InitIdentity(V1StatefulSet set, V1Pod pod)
    {
        UpdateIdentity(set, pod);
        pod.Spec.Hostname = pod.Metadata.Name;
        pod.Spec.Subdomain = string.IsNullOrEmpty(set.Spec?.ServiceName) ? null : set.Spec.ServiceName;
    }

    /// <summary>updateIdentity: name, namespace, pod-name and pod-index labels.</summary>
    public static void UpdateIdentity(V1StatefulSet set, V1Pod pod)
    {
        var ordinal = Ordinal(pod);
        pod.Metadata.Name = PodName(set, ordinal);
        pod.Metadata.NamespaceProperty = set.Metadata.NamespaceProperty;
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Labels[PodNameLabel] = pod.Metadata.Name;
        pod.Metadata.Labels[PodIndexLabel] = ordinal.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>newStatefulSetPod: the pod of an ordinal from the set's template, controlled by the set.</summary>
    public static V1Pod NewPod(V1StatefulSet set, int ordinal)
    {
        var pod = PodTemplates.PodFrom(set.Spec.Template, set.Metadata.NamespaceProperty ?? "", set.Metadata.Name,
            ControllerRefs.For(set, "apps/v1", "StatefulSet"));
        pod.Metadata.GenerateName = null;
        pod.Metadata.Name = PodName(set, ordinal);
        InitIdentity(set, pod);
        UpdateStorage(set, pod);
        return pod;
    }

    /// <summary>
    /// newVersionedStatefulSetPod: ordinals below the partition (counted from the start ordinal) are
    /// created at the current revision, the others at the update revision (OnDelete: always the update one).
    /// </summary>
    public static V1Pod NewVersionedPod(V1StatefulSet currentSet, V1StatefulSet updateSet, string currentRevision, string updateRevision, int ordinal)
    {
        var strategy = currentSet.Spec?.UpdateStrategy;
        var atCurrent = strategy?.Type == RollingUpdate && strategy.RollingUpdate is null
                        && ordinal < StartOrdinal(currentSet) + (currentSet.Status?.CurrentReplicas ?? 0)
                        || strategy?.RollingUpdate is { } rolling && ordinal < StartOrdinal(currentSet) + (rolling.Partition ?? 0);
        var pod = NewPod(atCurrent ? currentSet : updateSet, ordinal);
        SetRevision(pod, atCurrent ? currentRevision : updateRevision);
        return pod;
    }

    public static void SetRevision(V1Pod pod, string revision)
    {
        pod.Metadata.Labels ??= new Dictionary<string, string>();
        pod.Metadata.Labels[ControllerHistory.PodRevisionLabel] = revision;
    }

    /// <summary>getPodRevision: the controller-revision-hash label ("" when missing).</summary>
    public static string Revision(V1Pod pod) =>
        pod.Metadata?.Labels?.TryGetValue(ControllerHistory.PodRevisionLabel, out var r) == true ? r : "";

    // ---- pod states ----

    /// <summary>isCreated: the API server gave it a phase (a pod this sync only planned has none).</summary>
    public static bool IsCreated(V1Pod pod) => !string.IsNullOrEmpty(pod.Status?.Phase);

    public static bool IsPending(V1Pod pod) => pod.Status?.Phase == "Pending";

    public static bool IsFailed(V1Pod pod) => pod.Status?.Phase == "Failed";

    public static bool IsSucceeded(V1Pod pod) => pod.Status?.Phase == "Succeeded";

    public static bool IsTerminating(V1Pod pod) => pod.Metadata?.DeletionTimestamp is not null;

    public static bool IsRunningAndReady(V1Pod pod) => pod.Status?.Phase == "Running" && PodStates.IsReady(pod);

    public static bool IsRunningAndAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        PodStates.IsAvailable(pod, minReadySeconds, now);

    public static bool IsHealthy(V1Pod pod) => IsRunningAndReady(pod) && !IsTerminating(pod);

    /// <summary>isUnavailable: not created yet, being deleted, or not available for minReadySeconds.</summary>
    public static bool IsUnavailable(V1Pod pod, int minReadySeconds, DateTimeOffset now) =>
        !IsCreated(pod) || IsTerminating(pod) || !IsRunningAndAvailable(pod, minReadySeconds, now);

    /// <summary>allowsBurst: Parallel pod management.</summary>
    public static bool AllowsBurst(V1StatefulSet set) => set.Spec?.PodManagementPolicy == Parallel;

    /// <summary>getStatefulSetMaxUnavailable: int or percent of replicas rounded down, at least 1; 1 when unset.</summary>
    public static int MaxUnavailable(IntOrString? value, int replicas) =>
        value is null ? 1 : Math.Max(1, Deployment.DeploymentUtil.ScaledValue(value, replicas, roundUp: false));
}

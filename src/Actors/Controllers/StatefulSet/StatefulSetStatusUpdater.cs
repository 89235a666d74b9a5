using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// updateStatefulSetStatus and the real StatefulSetStatusUpdater: a rolling update that reached every
/// replica is completed (currentRevision becomes the update revision), and the status is written with
/// a PUT of /status only when it changed, retried on conflicts against the cached set.
/// </summary>
public sealed class StatefulSetStatusUpdater(ApiClient api, Indexer<V1StatefulSet> sets)
{
    private const int MaxRetries = 10;

    public async Task Update(V1StatefulSet set, V1StatefulSetStatus status)
    {
        CompleteRollingUpdate(set, status);
        if (!Inconsistent(set, status)) return;
        var target = KubeModels.Clone(set);
        for (var attempt = 0; ; attempt++)
        {
            target.Status = Wire(status);
            var result = await api.UpdateStatus(target);
            if (result.Ok || result.IsNotFound) return;
            if (!result.IsConflict || attempt >= MaxRetries) throw new ApiException(result.Error!);
            if (sets.Get(set.Metadata.NamespaceProperty, set.Metadata.Name) is not { } fresh) return;
            target = KubeModels.Clone(fresh);
        }
    }

    /// <summary>completeRollingUpdate: every replica updated and ready: the update revision is now current.</summary>
    public static void CompleteRollingUpdate(V1StatefulSet set, V1StatefulSetStatus status)
    {
        var replicas = StatefulSetUtils.Replicas(set);
        if (set.Spec?.UpdateStrategy?.Type == StatefulSetUtils.RollingUpdate && (status.UpdatedReplicas ?? 0) == replicas
            && (status.ReadyReplicas ?? 0) == replicas && status.Replicas == replicas)
        {
            status.CurrentReplicas = status.UpdatedReplicas;
            status.CurrentRevision = status.UpdateRevision;
        }
    }

    /// <summary>inconsistentStatus: a newer generation observed, or any count or revision differs.</summary>
    public static bool Inconsistent(V1StatefulSet set, V1StatefulSetStatus status)
    {
        var s = set.Status ?? new V1StatefulSetStatus();
        return (status.ObservedGeneration ?? 0) > (s.ObservedGeneration ?? 0)
               || status.Replicas != s.Replicas
               || (status.CurrentReplicas ?? 0) != (s.CurrentReplicas ?? 0)
               || (status.ReadyReplicas ?? 0) != (s.ReadyReplicas ?? 0)
               || (status.UpdatedReplicas ?? 0) != (s.UpdatedReplicas ?? 0)
               || (status.CurrentRevision ?? "") != (s.CurrentRevision ?? "")
               || (status.AvailableReplicas ?? 0) != (s.AvailableReplicas ?? 0)
               || (status.UpdateRevision ?? "") != (s.UpdateRevision ?? "")
               || (status.CollisionCount ?? 0) != (s.CollisionCount ?? 0);
    }

    /// <summary>The status as Go's omitempty writes it: replicas and availableReplicas always, other zero counts left out.</summary>
    private static V1StatefulSetStatus Wire(V1StatefulSetStatus status) => new()
    {
        Replicas = status.Replicas,
        AvailableReplicas = status.AvailableReplicas ?? 0,
        ReadyReplicas = OmitZero(status.ReadyReplicas),
        CurrentReplicas = OmitZero(status.CurrentReplicas),
        UpdatedReplicas = OmitZero(status.UpdatedReplicas),
        ObservedGeneration = status.ObservedGeneration is 0 ? null : status.ObservedGeneration,
        CurrentRevision = string.IsNullOrEmpty(status.CurrentRevision) ? null : status.CurrentRevision,
        UpdateRevision = string.IsNullOrEmpty(status.UpdateRevision) ? null : status.UpdateRevision,
        CollisionCount = status.CollisionCount,
    };

    private static int? OmitZero(int? n) => n is null or 0 ? null : n;
}

using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using k8s.Models;
using static Akka.KubeEmu.Actors.Controllers.Deployment.DeploymentUtil;

namespace Akka.KubeEmu.Actors.Controllers.Deployment;

/// <summary>
/// The scaling decisions of the deployment controller (rolling.go, recreate.go and sync.go's
/// scale): each step resizes one ReplicaSet through <see cref="Update"/> and records a
/// ScalingReplicaSet event about the Deployment. The writes are abstract so that the arithmetic can
/// be checked against an in-memory fake, as Kubernetes' unit tests do with a fake clientset.
/// </summary>
public abstract class ReplicaSetScaler
{
    /// <summary>Writes the ReplicaSet (a PUT with its resourceVersion); returns what was stored. Failures throw.</summary>
    protected abstract Task<V1ReplicaSet> Update(V1ReplicaSet rs);

    protected abstract Task Event(V1Deployment d, string type, string reason, string message);

    /// <summary>scaleReplicaSetAndRecordEvent: resizes when the size differs.</summary>
    public Task<(bool Scaled, V1ReplicaSet Rs)> ScaleReplicaSetAndRecordEvent(V1ReplicaSet rs, int newScale, V1Deployment d)
    {
        if (Replicas(rs) == newScale) return Task.FromResult((false, rs));
        return ScaleReplicaSet(rs, newScale, d, Replicas(rs) < newScale ? "up" : "down");
    }

    /// <summary>scaleReplicaSet: writes the size and the replicas annotations when either is out of date; an event when the size changed.</summary>
    public async Task<(bool Scaled, V1ReplicaSet Rs)> ScaleReplicaSet(V1ReplicaSet rs, int newScale, V1Deployment d, string operation)
    {
        var sizeNeedsUpdate = Replicas(rs) != newScale;
        var maxReplicas = Replicas(d) + MaxSurge(d);
        var annotationsNeedUpdate = ReplicasAnnotationsNeedUpdate(rs, Replicas(d), maxReplicas);
        if (!sizeNeedsUpdate && !annotationsNeedUpdate) return (false, rs);

        var oldScale = Replicas(rs);
        var copy = Copy(rs);
        copy.Spec.Replicas = newScale;
        SetReplicasAnnotations(copy, Replicas(d), maxReplicas);
        var updated = await Update(copy);
        if (!sizeNeedsUpdate) return (false, updated);
        await Event(d, EventRecorder.Normal, "ScalingReplicaSet",
            $"Scaled {operation} replica set {updated.Metadata.Name} from {oldScale} to {newScale}");
        return (true, updated);
    }

    // ---- rolling.go ----

    /// <summary>reconcileNewReplicaSet: grows the new ReplicaSet as far as maxSurge allows (or shrinks it to replicas).</summary>
    public async Task<bool> ReconcileNewReplicaSet(IReadOnlyList<V1ReplicaSet?> allRSs, V1ReplicaSet newRS, V1Deployment d)
    {
        if (Replicas(newRS) == Replicas(d)) return false;
        if (Replicas(newRS) > Replicas(d)) return (await ScaleReplicaSetAndRecordEvent(newRS, Replicas(d), d)).Scaled;
        var newReplicasCount = NewRSNewReplicas(d, allRSs, newRS);
        return (await ScaleReplicaSetAndRecordEvent(newRS, newReplicasCount, d)).Scaled;
    }

    /// <summary>
    /// reconcileOldReplicaSets: shrinks old ReplicaSets as far as availability allows: at most
    /// allPods − minAvailable − (new pods not yet available), unhealthy replicas first.
    /// </summary>
    public async Task<bool> ReconcileOldReplicaSets(IReadOnlyList<V1ReplicaSet?> allRSs, List<V1ReplicaSet> oldRSs, V1ReplicaSet newRS, V1Deployment d)
    {
        if (ReplicaCount(oldRSs) == 0) return false;
        var allPodsCount = ReplicaCount(allRSs);
        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var newRSUnavailablePodCount = Replicas(newRS) - (newRS.Status?.AvailableReplicas ?? 0);
        var maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
        if (maxScaledDown <= 0) return false;

        // Unhealthy replicas first: otherwise they block the rollout (kubernetes#16737).
        int cleanupCount;
        try
        {
            (oldRSs, cleanupCount) = await CleanupUnhealthyReplicas(oldRSs, d, maxScaledDown);
        }
        catch (Exception e) when (e is ApiException or InvalidOperationException)
        {
            return false;
        }

        int scaledDownCount;
        try
        {
            scaledDownCount = await ScaleDownOldReplicaSetsForRollingUpdate([.. oldRSs, newRS], oldRSs, d);
        }
        catch (Exception e) when (e is ApiException or InvalidOperationException)
        {
            return false;
        }
        return cleanupCount + scaledDownCount > 0;
    }

    /// <summary>cleanupUnhealthyReplicas: scales old ReplicaSets down by their unavailable replicas, oldest first, up to <paramref name="maxCleanupCount"/>.</summary>
    public async Task<(List<V1ReplicaSet> OldRSs, int ScaledDown)> CleanupUnhealthyReplicas(List<V1ReplicaSet> oldRSs, V1Deployment d, int maxCleanupCount)
    {
        var sorted = oldRSs.OrderBy(rs => rs, ByCreationTimestamp).ToList();
        var total = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (total >= maxCleanupCount) break;
            var rs = sorted[i];
            if (Replicas(rs) == 0) continue;
            var available = rs.Status?.AvailableReplicas ?? 0;
            if (Replicas(rs) == available) continue;
            var scaledDownCount = Math.Min(maxCleanupCount - total, Replicas(rs) - available);
            var newReplicasCount = Replicas(rs) - scaledDownCount;
            if (newReplicasCount > Replicas(rs))
                throw new InvalidOperationException(
                    $"when cleaning up unhealthy replicas, got invalid request to scale down {rs.Metadata.NamespaceProperty}/{rs.Metadata.Name} {Replicas(rs)} -> {newReplicasCount}");
            var (_, updated) = await ScaleReplicaSetAndRecordEvent(rs, newReplicasCount, d);
            total += scaledDownCount;
            sorted[i] = updated;
        }
        return (sorted, total);
    }

    /// <summary>scaleDownOldReplicaSetsForRollingUpdate: scales old ReplicaSets down, oldest first, by the available pods above minAvailable.</summary>
    public async Task<int> ScaleDownOldReplicaSetsForRollingUpdate(IReadOnlyList<V1ReplicaSet?> allRSs, List<V1ReplicaSet> oldRSs, V1Deployment d)
    {
        var minAvailable = Replicas(d) - MaxUnavailable(d);
        var availablePodCount = AvailableReplicaCount(allRSs);
        if (availablePodCount <= minAvailable) return 0;

        var total = 0;
        var totalScaleDownCount = availablePodCount - minAvailable;
        foreach (var rs in oldRSs.OrderBy(rs => rs, ByCreationTimestamp))
        {
            if (total >= totalScaleDownCount) break;
            if (Replicas(rs) == 0) continue;
            var scaleDownCount = Math.Min(Replicas(rs), totalScaleDownCount - total);
            var newReplicasCount = Replicas(rs) - scaleDownCount;
            if (newReplicasCount > Replicas(rs))
                throw new InvalidOperationException(
                    $"when scaling down old RS, got invalid request to scale down {rs.Metadata.NamespaceProperty}/{rs.Metadata.Name} {Replicas(rs)} -> {newReplicasCount}");
            await ScaleReplicaSetAndRecordEvent(rs, newReplicasCount, d);
            total += scaleDownCount;
        }
        return total;
    }

    // ---- recreate.go ----

    /// <summary>scaleDownOldReplicaSetsForRecreate: every old ReplicaSet to 0.</summary>
    public async Task<bool> ScaleDownOldReplicaSetsForRecreate(List<V1ReplicaSet> oldRSs, V1Deployment d)
    {
        var scaled = false;
        for (var i = 0; i < oldRSs.Count; i++)
        {
            if (Replicas(oldRSs[i]) == 0) continue;
            var (scaledRS, updated) = await ScaleReplicaSetAndRecordEvent(oldRSs[i], 0, d);
            if (!scaledRS) continue;
            oldRSs[i] = updated;
            scaled = true;
        }
        return scaled;
    }

    // ---- sync.go: scale ----

    /// <summary>
    /// scale: a scaling event (or a paused Deployment). One active ReplicaSet takes the new size;
    /// a saturated new one empties the old ones; otherwise, rolling, the difference to replicas +
    /// maxSurge is spread over the active ReplicaSets in proportion to their size (scaling up the
    /// newer first, down the older first), the leftover going to the largest.
    /// </summary>
    public async Task Scale(V1Deployment d, V1ReplicaSet? newRS, List<V1ReplicaSet> oldRSs)
    {
        if (FindActiveOrLatest(newRS, oldRSs) is { } activeOrLatest)
        {
            if (Replicas(activeOrLatest) == Replicas(d)) return;
            await ScaleReplicaSetAndRecordEvent(activeOrLatest, Replicas(d), d);
            return;
        }

        if (IsSaturated(d, newRS))
        {
            foreach (var old in FilterActive(oldRSs)) await ScaleReplicaSetAndRecordEvent(old, 0, d);
            return;
        }

        if (!IsRollingUpdate(d)) return;
        foreach (var (rs, size, operation) in ProportionalSizes(d, newRS, oldRSs))
            await ScaleReplicaSet(rs, size, d, operation);
    }

    /// <summary>The sizes <see cref="Scale"/> gives the active ReplicaSets when it scales proportionally, in the order it writes them.</summary>
    public static IReadOnlyList<(V1ReplicaSet Rs, int Size, string Operation)> ProportionalSizes(V1Deployment d, V1ReplicaSet? newRS, IEnumerable<V1ReplicaSet> oldRSs)
    {
        var allRSs = FilterActive(oldRSs.Append(newRS));
        var allowedSize = Replicas(d) > 0 ? Replicas(d) + MaxSurge(d) : 0;
        // Replicas to add (or, negative, to remove), spread in proportion over the active ReplicaSets.
        var toAdd = allowedSize - ReplicaCount(allRSs);
        var operation = "";
        if (toAdd > 0)
        {
            allRSs.Sort(BySizeNewer);
            operation = "up";
        }
        else if (toAdd < 0)
        {
            allRSs.Sort(BySizeOlder);
            operation = "down";
        }

        var added = 0;
        var sizes = new int[allRSs.Count];
        for (var i = 0; i < allRSs.Count; i++)
        {
            if (toAdd == 0)
            {
                sizes[i] = Replicas(allRSs[i]);
                continue;
            }
            var proportion = GetProportion(allRSs[i], d, toAdd, added);
            sizes[i] = Replicas(allRSs[i]) + proportion;
            added += proportion;
        }
        // The leftover goes to the largest ReplicaSet.
        if (allRSs.Count > 0 && toAdd != 0) sizes[0] = Math.Max(0, sizes[0] + toAdd - added);
        return allRSs.Select((rs, i) => (rs, sizes[i], operation)).ToList();
    }
}

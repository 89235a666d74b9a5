using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Controllers.History;
using k8s.Models;
using static Akka.KubeEmu.Actors.Controllers.StatefulSet.StatefulSetUtils;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// defaultStatefulSetControl (stateful_set_control.go): one pass over a set and its pods.
/// <list type="number">
/// <item>revisions: current and update revision (creating or renumbering one), then history truncation;</item>
/// <item>replicas (ordinals in [start, start+replicas)): a failed or succeeded pod is deleted and recreated
/// once its object is gone; a missing one is created (claims first); OrderedReady stops at the first pod
/// that is not Running, Ready and available, Parallel goes on (in slow-start batches);</item>
/// <item>condemned pods (ordinals out of range) are deleted from the highest ordinal, one at a time and
/// each gone before the next under OrderedReady, all at once under Parallel;</item>
/// <item>RollingUpdate: the highest-ordinal pod (down to the partition) not at the update revision is
/// deleted, and recreated at the update revision by a later pass, one at a time (maxUnavailable when
/// the MaxUnavailableStatefulSet gate is on); OnDelete leaves pods alone;</item>
/// <item>the status (counts, revisions, collisionCount, observedGeneration) is written when it changed.</item>
/// </list>
/// </summary>
public sealed class StatefulSetControl(
    StatefulPodControl podControl,
    StatefulSetRevisions history,
    StatefulSetStatusUpdater statusUpdater,
    StatefulSetExpectations expectations,
    TimeProvider time,
    bool maxUnavailableEnabled)
{
    /// <summary>UpdateStatefulSet: the pass, then the history truncated even when the pass failed.</summary>
    public async Task<V1StatefulSetStatus?> UpdateStatefulSet(V1StatefulSet set, LabelSelector selector, IReadOnlyList<V1Pod> pods)
    {
        set = KubeModels.Clone(set);
        var revisions = ControllerHistory.Sorted(history.List(set, selector));
        V1ControllerRevision? current = null, update = null;
        try
        {
            int collisionCount;
            (current, update, collisionCount) = await history.Get(set, revisions);
            var status = await UpdatePods(set, current, update, collisionCount, pods);
            await statusUpdater.Update(set, status.Status);
            if (status.Error is not null) throw status.Error;
            return status.Status;
        }
        finally
        {
            await history.Truncate(set, pods, revisions, current, update);
        }
    }

    /// <summary>updateStatefulSet: creates, deletes and updates pods; returns the status and the first error.</summary>
    private async Task<(V1StatefulSetStatus Status, Exception? Error)> UpdatePods(V1StatefulSet set, V1ControllerRevision currentRevision,
        V1ControllerRevision updateRevision, int collisionCount, IReadOnlyList<V1Pod> pods)
    {
        var key = KubeModels.Key(set);
        var currentSet = StatefulSetRevisions.Apply(set, currentRevision);
        var updateSet = StatefulSetRevisions.Apply(set, updateRevision);
        var minReady = set.Spec.MinReadySeconds ?? 0;
        var now = time.GetUtcNow();

        var status = new V1StatefulSetStatus
        {
            ObservedGeneration = set.Metadata.Generation,
            CurrentRevision = currentRevision.Metadata.Name,
            UpdateRevision = updateRevision.Metadata.Name,
            CollisionCount = collisionCount,
        };
        Count(status, minReady, currentRevision, updateRevision, now, pods);

        var start = StartOrdinal(set);
        var replicas = new V1Pod[Replicas(set)];
        var condemned = new List<V1Pod>();
        foreach (var pod in pods)
        {
            if (InOrdinalRange(pod, set)) replicas[Ordinal(pod) - start] = pod;
            else if (Ordinal(pod) >= 0) condemned.Add(pod);
        }
        for (var i = 0; i < replicas.Length; i++)
            replicas[i] ??= NewVersionedPod(currentSet, updateSet, currentRevision.Metadata.Name, updateRevision.Metadata.Name, start + i);
        condemned.Sort((a, b) => Ordinal(b).CompareTo(Ordinal(a)));

        V1Pod? firstUnavailable = replicas.FirstOrDefault(p => IsUnavailable(p, minReady, now))
                                  ?? condemned.LastOrDefault(p => IsUnavailable(p, minReady, now));

        // Being deleted: only the status.
        if (set.Metadata.DeletionTimestamp is not null) return (status, null);

        var monotonic = !AllowsBurst(set);
        var (exit, error) = await RunForAll(replicas.Length, i => ProcessReplica(key, set, updateSet, monotonic, replicas, i, now), monotonic);
        if (!exit)
            (exit, error) = await RunForAll(condemned.Count, async i =>
            {
                if (!podControl.ClaimsMatchRetentionPolicy(updateSet, condemned[i])) await podControl.UpdatePodClaimForRetentionPolicy(updateSet, condemned[i]);
                return false;
            }, monotonic);
        if (!exit)
            (exit, error) = await RunForAll(condemned.Count, i => ProcessCondemned(key, set, firstUnavailable, monotonic, condemned, i, now), monotonic);
        Count(status, minReady, currentRevision, updateRevision, now, replicas, condemned);
        if (exit || error is not null) return (status, error);

        if (set.Spec.UpdateStrategy?.Type == OnDelete) return (status, null);
        return await RollingUpdate(key, set, replicas, updateRevision, status, minReady, now);
    }

    /// <summary>
    /// The rolling update proper: without MaxUnavailableStatefulSet (its 1.32 default), the highest
    /// ordinal at or above the partition whose revision is not the update revision is deleted, and the
    /// pass waits until every pod above is available again; with it, up to maxUnavailable at once.
    /// </summary>
    private async Task<(V1StatefulSetStatus, Exception?)> RollingUpdate(string key, V1StatefulSet set, V1Pod[] replicas,
        V1ControllerRevision updateRevision, V1StatefulSetStatus status, int minReady, DateTimeOffset now)
    {
        var rolling = set.Spec.UpdateStrategy?.RollingUpdate;
        var updateMin = rolling?.Partition ?? 0;
        if (maxUnavailableEnabled)
        {
            var maxUnavailable = MaxUnavailable(rolling?.MaxUnavailable, replicas.Length);
            var unavailable = 0;
            for (var target = replicas.Length - 1; target >= updateMin; target--)
                if (IsUnavailable(replicas[target], minReady, now)) unavailable++;
            if (unavailable >= maxUnavailable) return (status, null);
            var deleted = 0;
            for (var target = replicas.Length - 1; target >= updateMin && deleted < maxUnavailable - unavailable; target--)
            {
                if (Revision(replicas[target]) == updateRevision.Metadata.Name || IsTerminating(replicas[target])) continue;
                await Delete(key, set, replicas[target]);
                deleted++;
                status.CurrentReplicas = Math.Max(0, (status.CurrentReplicas ?? 0) - 1);
            }
            return (status, null);
        }
        for (var target = replicas.Length - 1; target >= updateMin; target--)
        {
            if (Revision(replicas[target]) != updateRevision.Metadata.Name && !IsTerminating(replicas[target]))
            {
                await Delete(key, set, replicas[target]);
                status.CurrentReplicas = Math.Max(0, (status.CurrentReplicas ?? 0) - 1);
                return (status, null);
            }
            if (IsUnavailable(replicas[target], minReady, now)) return (status, null);
        }
        return (status, null);
    }

    /// <summary>processReplica: returns true when the pass must stop here (OrderedReady waiting, or an error).</summary>
    private async Task<bool> ProcessReplica(string key, V1StatefulSet set, V1StatefulSet updateSet, bool monotonic, V1Pod[] replicas, int i,
        DateTimeOffset now)
    {
        var pod = replicas[i];
        // Evicted, or stopped with its node: deleted now, recreated once its object is gone (never two pods of one ordinal).
        if (IsFailed(pod) || IsSucceeded(pod))
        {
            if (pod.Metadata.DeletionTimestamp is null) await Delete(key, set, pod);
            return true;
        }
        if (!IsCreated(pod))
        {
            // Its claim is about to be deleted with the pod that had it (whenScaled Delete): wait for the garbage collector.
            if (podControl.PodClaimIsStale(set, pod)) return true;
            expectations.ExpectCreation(key, pod.Metadata.Name);
            try
            {
                await podControl.CreateStatefulPod(set, pod);
            }
            catch
            {
                expectations.CreationObserved(key, pod.Metadata.Name);
                throw;
            }
            if (monotonic) return true;
            // Parallel: the pod is new, nothing more to check this pass.
            return false;
        }
        if (IsPending(pod)) await podControl.CreateMissingPersistentVolumeClaims(set, pod);
        if (IsTerminating(pod) && monotonic) return true;
        if (!IsRunningAndReady(pod) && monotonic) return true;
        if (!IsRunningAndAvailable(pod, set.Spec.MinReadySeconds ?? 0, now) && monotonic) return true;

        bool retentionMatch;
        try { retentionMatch = podControl.ClaimsMatchRetentionPolicy(updateSet, pod); }
        catch { retentionMatch = true; }
        if (IdentityMatches(set, pod) && StorageMatches(set, pod) && retentionMatch) return false;
        await podControl.UpdateStatefulPod(updateSet, KubeModels.Clone(pod));
        return false;
    }

    /// <summary>processCondemned: scale-down; OrderedReady waits for a terminating pod and for unhealthy pods but the first one.</summary>
    private async Task<bool> ProcessCondemned(string key, V1StatefulSet set, V1Pod? firstUnavailable, bool monotonic, List<V1Pod> condemned, int i,
        DateTimeOffset now)
    {
        var pod = condemned[i];
        if (IsTerminating(pod)) return monotonic;
        if (!IsRunningAndReady(pod) && monotonic && !ReferenceEquals(pod, firstUnavailable)) return true;
        if (!IsRunningAndAvailable(pod, set.Spec.MinReadySeconds ?? 0, now) && monotonic && !ReferenceEquals(pod, firstUnavailable)) return true;
        await Delete(key, set, pod);
        return true;
    }

    private async Task Delete(string key, V1StatefulSet set, V1Pod pod)
    {
        expectations.ExpectDeletion(key, pod.Metadata.Uid);
        try
        {
            await podControl.DeleteStatefulPod(set, pod);
        }
        catch
        {
            expectations.DeletionObserved(key, pod.Metadata.Uid);
            throw;
        }
    }

    /// <summary>
    /// runForAll: OrderedReady one by one, stopping at the first that asks to; Parallel in slow-start
    /// batches (1, 2, 4, ...), stopping after a batch with an error. Returns (stop, error).
    /// </summary>
    private static async Task<(bool Exit, Exception? Error)> RunForAll(int count, Func<int, Task<bool>> fn, bool monotonic)
    {
        if (monotonic)
        {
            for (var i = 0; i < count; i++)
            {
                try
                {
                    if (await fn(i)) return (true, null);
                }
                catch (Exception e)
                {
                    return (true, e);
                }
            }
            return (false, null);
        }
        var next = 0;
        for (var batch = Math.Min(count, 1); batch > 0; batch = Math.Min(Math.Min(2 * batch, count - next), 500))
        {
            var indexes = Enumerable.Range(next, batch).ToArray();
            next += batch;
            var results = await Task.WhenAll(indexes.Select(async i =>
            {
                try
                {
                    await fn(i);
                    return null;
                }
                catch (Exception e)
                {
                    return e;
                }
            }));
            if (results.FirstOrDefault(e => e is not null) is { } error) return (true, error);
        }
        return (false, null);
    }

    /// <summary>updateStatus/computeReplicaStatus: the counts over the given pods (planned pods, not created yet, count for nothing).</summary>
    private static void Count(V1StatefulSetStatus status, int minReady, V1ControllerRevision current, V1ControllerRevision update,
        DateTimeOffset now, params IEnumerable<V1Pod>[] lists)
    {
        int replicas = 0, ready = 0, available = 0, currentReplicas = 0, updated = 0;
        foreach (var pod in lists.SelectMany(l => l))
        {
            if (IsCreated(pod)) replicas++;
            if (IsRunningAndReady(pod))
            {
                ready++;
                if (IsRunningAndAvailable(pod, minReady, now)) available++;
            }
            if (IsCreated(pod) && !IsTerminating(pod))
            {
                var revision = Revision(pod);
                if (revision == current.Metadata.Name) currentReplicas++;
                if (revision == update.Metadata.Name) updated++;
            }
        }
        status.Replicas = replicas;
        status.ReadyReplicas = ready;
        status.AvailableReplicas = available;
        status.CurrentReplicas = currentReplicas;
        status.UpdatedReplicas = updated;
    }
}

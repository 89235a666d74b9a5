using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;
using static Akka.KubeEmu.Actors.Controllers.StatefulSet.StatefulSetUtils;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// stateful_pod_control.go: the writes of the StatefulSet controller about one pod: its claims created
/// before it, the pod itself, its identity and storage kept as the set wants them, the retention
/// policy's owner references on its claims, and its deletion. Every write is reported as an event on
/// the set, in Kubernetes' words ("create Pod web-0 in StatefulSet web successful").
/// </summary>
public sealed class StatefulPodControl(ApiClient api, EventRecorder recorder, Indexer<V1Pod> pods, Indexer<V1PersistentVolumeClaim> claims)
{
    /// <summary>CreateStatefulPod: the claims first (a pod never starts without its storage), then the pod.</summary>
    public async Task CreateStatefulPod(V1StatefulSet set, V1Pod pod)
    {
        try
        {
            await CreatePersistentVolumeClaims(set, pod);
        }
        catch (Exception e)
        {
            await RecordPodEvent("create", set, pod, e);
            throw;
        }
        var result = await api.Create(pod);
        // Someone else's pod of that name (or our own, not yet in the cache): nothing to report, try again later.
        if (result.IsAlreadyExists) throw new ApiException(result.Error!);
        if (result.Error is { } error)
        {
            var e = new ApiException(error);
            await RecordPodEvent("create", set, pod, e);
            throw e;
        }
        try
        {
            // The pod now has a uid for the claims' owner references.
            await UpdatePodClaimForRetentionPolicy(set, result.Value!);
        }
        catch (Exception e)
        {
            await RecordPodEvent("update", set, pod, e);
            throw;
        }
        await RecordPodEvent("create", set, pod, null);
    }

    /// <summary>
    /// UpdateStatefulPod: a pod whose identity, storage or claims' references drifted from the set is
    /// put back (retried on conflicts with a fresh read).
    /// </summary>
    public async Task UpdateStatefulPod(V1StatefulSet set, V1Pod pod)
    {
        var attempted = false;
        Exception? failure = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var consistent = true;
            if (!IdentityMatches(set, pod))
            {
                UpdateIdentity(set, pod);
                consistent = false;
            }
            try
            {
                if (!StorageMatches(set, pod))
                {
                    UpdateStorage(set, pod);
                    consistent = false;
                    await CreatePersistentVolumeClaims(set, pod);
                }
                if (!ClaimsMatchRetentionPolicy(set, pod))
                {
                    await UpdatePodClaimForRetentionPolicy(set, pod);
                    consistent = false;
                }
            }
            catch (Exception e)
            {
                await RecordPodEvent("update", set, pod, e);
                throw;
            }
            if (consistent) return;
            attempted = true;
            var result = await api.Update(pod);
            if (result.Ok)
            {
                failure = null;
                break;
            }
            failure = new ApiException(result.Error!);
            if (!result.IsConflict) break;
            if (pods.Get(pod.Metadata.NamespaceProperty, pod.Metadata.Name) is not { } fresh) break;
            pod = KubeModels.Clone(fresh);
        }
        if (attempted) await RecordPodEvent("update", set, pod, failure);
        if (failure is not null) throw failure;
    }

    /// <summary>DeleteStatefulPod: a plain DELETE (the kubelet terminates the pod gracefully). A pod already gone is no error.</summary>
    public async Task DeleteStatefulPod(V1StatefulSet set, V1Pod pod)
    {
        var error = await api.Delete<V1Pod>(pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name);
        if (error?.Code == 404) return;
        var e = error is null ? null : new ApiException(error);
        await RecordPodEvent("delete", set, pod, e);
        if (e is not null) throw e;
    }

    /// <summary>ClaimsMatchRetentionPolicy: every existing claim of the pod carries the references the policy wants.</summary>
    public bool ClaimsMatchRetentionPolicy(V1StatefulSet set, V1Pod pod)
    {
        foreach (var (_, wanted) in Claims(set, pod))
        {
            // A missing claim is picked up by the next sync.
            if (claims.Get(wanted.Metadata.NamespaceProperty, wanted.Metadata.Name) is { } claim
                && !ClaimRetention.IsClaimOwnerUpToDate(claim, set, pod)) return false;
        }
        return true;
    }

    /// <summary>UpdatePodClaimForRetentionPolicy: sets the owner references of the pod's claims as the policy wants.</summary>
    public async Task UpdatePodClaimForRetentionPolicy(V1StatefulSet set, V1Pod pod)
    {
        foreach (var (_, wanted) in Claims(set, pod))
        {
            if (claims.Get(wanted.Metadata.NamespaceProperty, wanted.Metadata.Name) is not { } claim) continue;
            if (ClaimRetention.HasUnexpectedController(claim, set, pod))
                await recorder.Event(set, EventRecorder.Warning, "ConflictingController",
                    $"PersistentVolumeClaim {claim.Metadata.Name} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim");
            if (ClaimRetention.IsClaimOwnerUpToDate(claim, set, pod)) continue;
            var copy = KubeModels.Clone(claim);
            ClaimRetention.UpdateClaimOwnerRefs(copy, set, pod);
            var result = await api.Update(copy);
            if (!result.Ok)
                throw new InvalidOperationException($"could not update claim {claim.Metadata.Name} for delete policy ownerRefs: {result.Error!.Message}");
        }
    }

    /// <summary>
    /// PodClaimIsStale: under whenScaled Delete, a claim still owned by a pod of the same name that is
    /// gone will be deleted by the garbage collector: the new pod must not start on it.
    /// </summary>
    public bool PodClaimIsStale(V1StatefulSet set, V1Pod pod)
    {
        if (ClaimRetention.Policy(set).WhenScaled == Retain) return false;
        foreach (var (_, wanted) in Claims(set, pod))
        {
            if (claims.Get(wanted.Metadata.NamespaceProperty, wanted.Metadata.Name) is { } claim
                && ClaimRetention.HasStaleOwnerRef(claim, pod, "v1", "Pod")) return true;
        }
        return false;
    }

    /// <summary>createMissingPersistentVolumeClaims: a pending pod whose claim went away gets it back.</summary>
    public async Task CreateMissingPersistentVolumeClaims(V1StatefulSet set, V1Pod pod)
    {
        await CreatePersistentVolumeClaims(set, pod);
        try
        {
            await UpdatePodClaimForRetentionPolicy(set, pod);
        }
        catch (Exception e)
        {
            await RecordPodEvent("update", set, pod, e);
            throw;
        }
    }

    /// <summary>
    /// createPersistentVolumeClaims: the claims missing from the cache are created (an event each); one
    /// being deleted is an error, as the pod cannot use it.
    /// </summary>
    private async Task CreatePersistentVolumeClaims(V1StatefulSet set, V1Pod pod)
    {
        var errors = new List<string>();
        foreach (var (_, claim) in Claims(set, pod))
        {
            var existing = claims.Get(claim.Metadata.NamespaceProperty, claim.Metadata.Name);
            if (existing is null)
            {
                var result = await api.Create(claim);
                if (result.Error is { } error) errors.Add($"failed to create PVC {claim.Metadata.Name}: {error.Message}");
                if (!result.IsAlreadyExists) await RecordClaimEvent("create", set, pod, claim, result.Error is null ? null : result.Error.Message);
            }
            else if (existing.Metadata.DeletionTimestamp is not null)
            {
                errors.Add($"pvc {claim.Metadata.Name} is being deleted");
            }
        }
        if (errors.Count == 1) throw new InvalidOperationException(errors[0]);
        if (errors.Count > 1) throw new InvalidOperationException("[" + string.Join(", ", errors) + "]");
    }

    /// <summary>recordPodEvent: SuccessfulCreate "create Pod web-0 in StatefulSet web successful", FailedCreate "... failed error: ...".</summary>
    private Task RecordPodEvent(string verb, V1StatefulSet set, V1Pod pod, Exception? error)
    {
        var title = char.ToUpperInvariant(verb[0]) + verb[1..];
        return error is null
            ? recorder.Event(set, EventRecorder.Normal, "Successful" + title, $"{verb} Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} successful")
            : recorder.Event(set, EventRecorder.Warning, "Failed" + title,
                $"{verb} Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {error.Message}");
    }

    /// <summary>recordClaimEvent: SuccessfulCreate "create Claim www-web-0 Pod web-0 in StatefulSet web success".</summary>
    private Task RecordClaimEvent(string verb, V1StatefulSet set, V1Pod pod, V1PersistentVolumeClaim claim, string? error)
    {
        var title = char.ToUpperInvariant(verb[0]) + verb[1..];
        return error is null
            ? recorder.Event(set, EventRecorder.Normal, "Successful" + title,
                $"{verb} Claim {claim.Metadata.Name} Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} success")
            : recorder.Event(set, EventRecorder.Warning, "Failed" + title,
                $"{verb} Claim {claim.Metadata.Name} for Pod {pod.Metadata.Name} in StatefulSet {set.Metadata.Name} failed error: {error}");
    }
}

using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.VolumeProtection;

/// <summary>
/// pkg/controller/volume/pvcprotection: a deleted claim keeps kubernetes.io/pvc-protection (and
/// shows Terminating) while a pod scheduled to a node mounts it, whatever that pod's phase, until
/// the pod is deleted; then the finalizer goes and the claim with it. Pods are found through an
/// index by the claims they mount; a pod change wakes only its claims, and only when the pod can
/// stop holding them (deleted, finished, or not scheduled).
/// </summary>
public sealed class PvcProtectionController : Controller
{
    public const string ControllerName = "pvc-protection-controller";

    private readonly Indexer<V1PersistentVolumeClaim> _claims;
    private readonly Indexer<V1Pod> _pods;

    public PvcProtectionController(ControllerContext context) : base(context, ControllerName, workers: 1)
    {
        var claims = Informers.For<V1PersistentVolumeClaim>();
        var pods = Informers.For<V1Pod>();
        pods.Indexer.AddIndexer(VolumeIndexes.PodsByClaim, VolumeIndexes.ByClaimOfPod);
        _claims = claims.Indexer;
        _pods = pods.Indexer;
        Handle(claims, added: ClaimChanged, updated: (_, c) => ClaimChanged(c));
        Handle(pods, added: p => PodChanged(p, false), updated: (old, p) =>
        {
            PodChanged(p, false);
            if (old.Metadata.Uid != p.Metadata.Uid) PodChanged(old, true);
        }, deleted: p => PodChanged(p, true));
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new PvcProtectionController(context));

    private void ClaimChanged(V1PersistentVolumeClaim claim)
    {
        if (Finalizers.NeedToAdd(claim, StorageAnnotations.PvcProtectionFinalizer)
            || Finalizers.IsDeletionCandidate(claim, StorageAnnotations.PvcProtectionFinalizer))
            Enqueue(claim);
    }

    /// <summary>enqueuePVCs: only a pod that may have stopped holding its claims is worth a look.</summary>
    private void PodChanged(V1Pod pod, bool deleted)
    {
        if (!deleted && pod.Status?.Phase is not ("Succeeded" or "Failed") && !string.IsNullOrEmpty(pod.Spec?.NodeName)) return;
        foreach (var claim in VolumeIndexes.ClaimNames(pod)) Enqueue(KubeModels.Key(pod.Metadata.NamespaceProperty, claim));
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var claim = _claims.Get(key);
        if (claim is null) return SyncResult.Done;
        if (Finalizers.NeedToAdd(claim, StorageAnnotations.PvcProtectionFinalizer))
        {
            var protectedClaim = KubeModels.Clone(claim);
            protectedClaim.Metadata.Finalizers = [.. protectedClaim.Metadata.Finalizers ?? [], StorageAnnotations.PvcProtectionFinalizer];
            return Updated(await Api.Update(protectedClaim));
        }
        if (!Finalizers.IsDeletionCandidate(claim, StorageAnnotations.PvcProtectionFinalizer) || IsBeingUsed(claim)) return SyncResult.Done;
        var released = KubeModels.Clone(claim);
        released.Metadata.Finalizers = released.Metadata.Finalizers!.Where(f => f != StorageAnnotations.PvcProtectionFinalizer).ToList();
        return Updated(await Api.Update(released));
    }

    /// <summary>podUsesPVC: a pod holds a claim once it is scheduled, until it is deleted (a finished pod still does).</summary>
    private bool IsBeingUsed(V1PersistentVolumeClaim claim) =>
        _pods.ByIndex(VolumeIndexes.PodsByClaim, KubeModels.Key(claim)).Any(p => !string.IsNullOrEmpty(p.Spec?.NodeName));

    private static SyncResult Updated(Client.ApiResult<V1PersistentVolumeClaim> result)
    {
        if (result.IsConflict) return SyncResult.Retry;
        if (!result.IsNotFound) _ = result.Object;
        return SyncResult.Done;
    }
}

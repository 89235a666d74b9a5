using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Admission;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Workqueue;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.PersistentVolume;

/// <summary>
/// kube-controller-manager's PersistentVolume binder (pkg/controller/volume/persistentvolume):
/// binds claims to volumes on both sides (claimRef with uid, bind-completed and bound-by-controller
/// annotations), keeps both phases (Pending, Available, Bound, Released, Failed, Lost), asks the
/// class's provisioner for a volume when none matches (every provisioner here is external to this
/// controller, as CSI drivers are: it annotates the claim and reports ExternalProvisioning), and
/// reclaims released volumes by their policy. Two queues as in Kubernetes, claims ("ns/name") and
/// volumes (name), one worker each.
/// Instead of Kubernetes' 15-second resync of everything, what can change a pending claim's fate
/// enqueues exactly the claims concerned: a volume of its class turning Available, a volume
/// reserved for it, its class appearing.
/// </summary>
public sealed partial class PersistentVolumeController : Controller
{
    public const string ControllerName = "persistentvolume-controller";

    private readonly Indexer<V1PersistentVolume> _volumes;
    private readonly Indexer<V1PersistentVolumeClaim> _claims;
    private readonly Indexer<V1StorageClass> _classes;
    private readonly RateLimitingQueue _volumeQueue;
    private readonly IActorRef _self;

    public PersistentVolumeController(ControllerContext context) : base(context, ControllerName, workers: 1)
    {
        var volumes = Informers.For<V1PersistentVolume>();
        var claims = Informers.For<V1PersistentVolumeClaim>();
        var classes = Informers.For<V1StorageClass>();
        volumes.Indexer.AddIndexer(VolumeIndexes.VolumesByClass, VolumeIndexes.ByClass);
        volumes.Indexer.AddIndexer(VolumeIndexes.VolumesByClaim, VolumeIndexes.ByClaim);
        claims.Indexer.AddIndexer(VolumeIndexes.PendingClaimsByClass, VolumeIndexes.PendingByClass);
        _volumes = volumes.Indexer;
        _claims = claims.Indexer;
        _classes = classes.Indexer;
        _volumeQueue = AddQueue("volumes", 1, SyncVolume);
        _self = Self;

        Handle(claims, added: Enqueue, updated: (_, c) => Enqueue(c), deleted: DeleteClaim);
        Handle(volumes, added: VolumeChanged, updated: (_, v) => VolumeChanged(v), deleted: DeleteVolume);
        Handle(classes, added: ClassChanged, updated: (_, c) => ClassChanged(c));
        // A volume sync that finds its claim half-bound hands the claim to the claim queue (on the actor, which alone touches queues).
        Receive<EnqueueClaim>(e =>
        {
            Enqueue(e.Key);
            Pump();
        });
    }

    private sealed record EnqueueClaim(string Key);

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new PersistentVolumeController(context));

    // ---- event handlers (on the actor) ----

    /// <summary>A volume changed: sync it, and wake the claims whose binding it may decide.</summary>
    private void VolumeChanged(V1PersistentVolume volume)
    {
        _volumeQueue.Add(volume.Metadata.Name);
        if (volume.Spec?.ClaimRef is { } claimRef) Enqueue(KubeModels.Key(claimRef.NamespaceProperty, claimRef.Name));
        else if (volume.Status?.Phase == "Available")
            foreach (var claim in _claims.ByIndex(VolumeIndexes.PendingClaimsByClass, StoragePrinters.VolumeClass(volume)))
                Enqueue(claim);
    }

    private void DeleteVolume(V1PersistentVolume volume)
    {
        if (volume.Spec?.ClaimRef is { } claimRef) Enqueue(KubeModels.Key(claimRef.NamespaceProperty, claimRef.Name));
    }

    /// <summary>A claim went: its volume is released.</summary>
    private void DeleteClaim(V1PersistentVolumeClaim claim)
    {
        foreach (var volume in _volumes.ByIndex(VolumeIndexes.VolumesByClaim, KubeModels.Key(claim))) _volumeQueue.Add(volume.Metadata.Name);
        if (claim.Spec?.VolumeName is { Length: > 0 } name) _volumeQueue.Add(name);
    }

    /// <summary>A class appeared or changed: the claims waiting for it try again (and so do claims without a class, which may now get the default).</summary>
    private void ClassChanged(V1StorageClass storageClass)
    {
        foreach (var claim in _claims.ByIndex(VolumeIndexes.PendingClaimsByClass, storageClass.Metadata.Name)) Enqueue(claim);
        if (StorageAdmission.IsDefault(KubeModels.ToJsonObject(storageClass)))
            foreach (var claim in _claims.ByIndex(VolumeIndexes.PendingClaimsByClass, ""))
                if (claim.Spec?.StorageClassName is null) Enqueue(claim);
    }
}

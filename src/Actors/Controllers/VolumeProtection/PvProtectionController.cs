using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.VolumeProtection;

/// <summary>
/// pkg/controller/volume/pvprotection: a deleted volume keeps kubernetes.io/pv-protection (and
/// shows Terminating) while it is Bound; once it is Released, Available or Failed the finalizer goes.
/// </summary>
public sealed class PvProtectionController : Controller
{
    public const string ControllerName = "pv-protection-controller";

    private readonly Indexer<V1PersistentVolume> _volumes;

    public PvProtectionController(ControllerContext context) : base(context, ControllerName, workers: 1)
    {
        var volumes = Informers.For<V1PersistentVolume>();
        _volumes = volumes.Indexer;
        Handle(volumes, added: VolumeChanged, updated: (_, v) => VolumeChanged(v));
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new PvProtectionController(context));

    private void VolumeChanged(V1PersistentVolume volume)
    {
        if (Finalizers.NeedToAdd(volume, StorageAnnotations.PvProtectionFinalizer)
            || Finalizers.IsDeletionCandidate(volume, StorageAnnotations.PvProtectionFinalizer))
            Enqueue(volume);
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        var volume = _volumes.Get(key);
        if (volume is null) return SyncResult.Done;
        V1PersistentVolume changed;
        if (Finalizers.NeedToAdd(volume, StorageAnnotations.PvProtectionFinalizer))
        {
            changed = KubeModels.Clone(volume);
            changed.Metadata.Finalizers = [.. changed.Metadata.Finalizers ?? [], StorageAnnotations.PvProtectionFinalizer];
        }
        else if (Finalizers.IsDeletionCandidate(volume, StorageAnnotations.PvProtectionFinalizer) && volume.Status?.Phase != "Bound")
        {
            changed = KubeModels.Clone(volume);
            changed.Metadata.Finalizers = changed.Metadata.Finalizers!.Where(f => f != StorageAnnotations.PvProtectionFinalizer).ToList();
        }
        else return SyncResult.Done;
        var result = await Api.Update(changed);
        if (result.IsConflict) return SyncResult.Retry;
        if (!result.IsNotFound) _ = result.Object;
        return SyncResult.Done;
    }
}

using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Volumes;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.VolumeData;

/// <summary>
/// The storage behind the emulator's PersistentVolumes: when a volume whose reclaim policy is
/// Delete goes (its provisioner deleting it once Released, or a user deleting it, as
/// HonorPVReclaimPolicy makes a 1.32 cluster do), its folder and every file in it go too; a
/// Retain volume's folder stays, as a real disk keeps a retained volume's data. A hostPath volume
/// lives on the nodes' disks and is not touched, as kube-controller-manager's hostPath deleter
/// would only clear the controller's own machine.
/// </summary>
public sealed class VolumeDataReclaimer : Controller
{
    public const string ControllerName = "volume-data-reclaimer";

    private readonly VolumeSettings _settings;
    private readonly Indexer<V1PersistentVolume> _volumes;

    /// <summary>The folders of deleted volumes, waiting for their sync (the informer no longer has the volume then).</summary>
    private readonly ConcurrentDictionary<string, string> _deleted = new(StringComparer.Ordinal);

    public VolumeDataReclaimer(ControllerContext context, VolumeSettings settings) : base(context, ControllerName, workers: 1)
    {
        _settings = settings;
        var volumes = Informers.For<V1PersistentVolume>();
        _volumes = volumes.Indexer;
        Handle(volumes, deleted: VolumeDeleted);
    }

    public static Props Props(ControllerContext context, VolumeSettings settings) =>
        Akka.Actor.Props.Create(() => new VolumeDataReclaimer(context, settings));

    private void VolumeDeleted(V1PersistentVolume volume)
    {
        if (volume.Spec?.PersistentVolumeReclaimPolicy != "Delete" || VolumeLocator.IsNodeLocal(volume)) return;
        _deleted[volume.Metadata.Name] = _settings.VolumeFolder(volume.Metadata.Name);
        Enqueue(volume.Metadata.Name);
    }

    protected override async Task<SyncResult> Sync(string key)
    {
        if (!_deleted.TryGetValue(key, out var folder)) return SyncResult.Done;
        if (_volumes.Get(key) is not null)
        {
            _deleted.TryRemove(key, out _);
            return SyncResult.Done; // made again under the same name: the folder is its data now
        }
        // A failure (a file held open) throws: the key comes back with back-off and the folder is still listed.
        await Task.Run(() =>
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        });
        _deleted.TryRemove(key, out _);
        Log.Info("deleted the data of volume {0} ({1})", key, folder);
        return SyncResult.Done;
    }
}

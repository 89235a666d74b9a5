using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Workqueue;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.PersistentVolume;

/// <summary>
/// The emulator's storage provisioner, kubeemu.io/local, shaped as the external provisioners of
/// sig-storage-lib-external-provisioner (minikube's hostpath, rancher's local-path) are: it acts on
/// claims the PV controller annotated with its name, makes a hostPath volume named pvc-&lt;claim uid&gt;
/// (capacity = request, the class's reclaim policy and mount options, reserved for the claim so the
/// PV controller binds it), and deletes the volumes it made once they are Released with policy
/// Delete. For WaitForFirstConsumer classes it waits for the scheduler's selected-node and pins
/// the volume to that node. Events as the library words them: Provisioning, ProvisioningSucceeded,
/// ProvisioningFailed.
/// </summary>
public sealed class LocalVolumeProvisioner : Controller
{
    public const string ProvisionerName = StorageAnnotations.LocalProvisioner;

    /// <summary>Where the volumes live on the emulated nodes; each volume's directory names it.</summary>
    public const string BasePath = "/var/lib/kubeemu/local-volumes";

    private readonly Indexer<V1PersistentVolumeClaim> _claims;
    private readonly Indexer<V1PersistentVolume> _volumes;
    private readonly Indexer<V1StorageClass> _classes;
    private readonly RateLimitingQueue _volumeQueue;

    /// <param name="identity">The provisioner's identity, the event source (the library's "&lt;provisioner&gt;_&lt;host&gt;_&lt;uuid&gt;").</param>
    public LocalVolumeProvisioner(ControllerContext context, string identity) : base(context, identity, workers: 2)
    {
        var claims = Informers.For<V1PersistentVolumeClaim>();
        var volumes = Informers.For<V1PersistentVolume>();
        var classes = Informers.For<V1StorageClass>();
        claims.Indexer.AddIndexer(VolumeIndexes.PendingClaimsByClass, VolumeIndexes.PendingByClass);
        _claims = claims.Indexer;
        _volumes = volumes.Indexer;
        _classes = classes.Indexer;
        _volumeQueue = AddQueue("volumes", 1, SyncVolume);
        Handle(claims, added: ClaimChanged, updated: (_, c) => ClaimChanged(c));
        Handle(volumes, added: VolumeChanged, updated: (_, v) => VolumeChanged(v));
        // The claims informer may run ahead of the classes one: a claim synced before its class was
        // seen is left alone until the class arrives.
        Handle(classes, added: ClassAdded, updated: (_, c) => ClassAdded(c));
    }

    private void ClassAdded(V1StorageClass storageClass)
    {
        if (storageClass.Provisioner != ProvisionerName) return;
        foreach (var claim in _claims.ByIndex(VolumeIndexes.PendingClaimsByClass, storageClass.Metadata.Name)) ClaimChanged(claim);
    }

    public static Props Props(ControllerContext context) =>
        Akka.Actor.Props.Create(() => new LocalVolumeProvisioner(context, $"{ProvisionerName}_control-plane_{Guid.NewGuid()}"));

    private void ClaimChanged(V1PersistentVolumeClaim claim)
    {
        if (IsOurs(claim) && string.IsNullOrEmpty(claim.Spec?.VolumeName)) Enqueue(claim);
    }

    private void VolumeChanged(V1PersistentVolume volume)
    {
        if (volume.Metadata.Annotations?.Lookup(StorageAnnotations.ProvisionedBy) == ProvisionerName
            && volume.Status?.Phase == "Released" && volume.Spec?.PersistentVolumeReclaimPolicy == "Delete")
            _volumeQueue.Add(volume.Metadata.Name);
    }

    private static bool IsOurs(V1PersistentVolumeClaim claim) =>
        claim.Metadata.Annotations?.Lookup(StorageAnnotations.StorageProvisioner) == ProvisionerName
        || claim.Metadata.Annotations?.Lookup(StorageAnnotations.BetaStorageProvisioner) == ProvisionerName;

    /// <summary>provisionClaimOperation: one volume per claim, named after its uid, so a retry never makes two.</summary>
    protected override async Task<SyncResult> Sync(string key)
    {
        var claim = _claims.Get(key);
        if (claim is null || KubeModels.IsDeleting(claim) || !IsOurs(claim) || !string.IsNullOrEmpty(claim.Spec?.VolumeName)) return SyncResult.Done;
        var className = StoragePrinters.ClaimClass(claim);
        if (_classes.Get(className) is not { } storageClass || storageClass.Provisioner != ProvisionerName) return SyncResult.Done;
        var selectedNode = claim.Metadata.Annotations?.Lookup(StorageAnnotations.SelectedNode);
        if (storageClass.VolumeBindingMode == "WaitForFirstConsumer" && string.IsNullOrEmpty(selectedNode)) return SyncResult.Done;
        var name = "pvc-" + claim.Metadata.Uid;
        if (_volumes.Get(name) is not null) return SyncResult.Done;

        if (claim.Spec?.Selector is not null)
        {
            await Recorder.Event(claim, EventRecorder.Warning, "ProvisioningFailed", "claim Selector is not supported");
            return SyncResult.Done;
        }
        await Recorder.Event(claim, EventRecorder.Normal, "Provisioning", $"External provisioner is provisioning volume for claim \"{key}\"");
        var created = await Api.Create(Volume(name, claim, storageClass, selectedNode));
        if (!created.Ok && !created.IsAlreadyExists)
        {
            await Recorder.Event(claim, EventRecorder.Warning, "ProvisioningFailed",
                $"failed to provision volume with StorageClass \"{className}\": {created.Error!.Message}");
            return SyncResult.Retry;
        }
        await Recorder.Event(claim, EventRecorder.Normal, "ProvisioningSucceeded", $"Successfully provisioned volume {name}");
        return SyncResult.Done;
    }

    /// <summary>deleteVolumeOperation: a Released volume of ours with policy Delete goes (its data with it).</summary>
    private async Task<SyncResult> SyncVolume(string name)
    {
        var volume = _volumes.Get(name);
        if (volume is null || KubeModels.IsDeleting(volume) || volume.Status?.Phase != "Released" || volume.Spec?.PersistentVolumeReclaimPolicy != "Delete")
            return SyncResult.Done;
        var deleted = await Api.Delete<V1PersistentVolume>("", name, new DeleteRequest(PreconditionUid: volume.Metadata.Uid));
        if (deleted is not null && deleted.Code is not (404 or 409))
        {
            await Recorder.Event(volume, EventRecorder.Warning, "VolumeFailedDelete", deleted.Message);
            throw new ApiException(deleted);
        }
        return SyncResult.Done;
    }

    private static V1PersistentVolume Volume(string name, V1PersistentVolumeClaim claim, V1StorageClass storageClass, string? selectedNode) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolume",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = new Dictionary<string, string> { [StorageAnnotations.ProvisionedBy] = ProvisionerName },
        },
        Spec = new V1PersistentVolumeSpec
        {
            AccessModes = claim.Spec?.AccessModes?.ToList() ?? [],
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = claim.Spec!.Resources!.Requests["storage"] },
            ClaimRef = new V1ObjectReference
            {
                ApiVersion = "v1", Kind = "PersistentVolumeClaim", NamespaceProperty = claim.Metadata.NamespaceProperty,
                Name = claim.Metadata.Name, Uid = claim.Metadata.Uid, ResourceVersion = claim.Metadata.ResourceVersion,
            },
            HostPath = new V1HostPathVolumeSource
            {
                Path = $"{BasePath}/{name}_{claim.Metadata.NamespaceProperty}_{claim.Metadata.Name}", Type = "DirectoryOrCreate",
            },
            PersistentVolumeReclaimPolicy = storageClass.ReclaimPolicy ?? "Delete",
            StorageClassName = storageClass.Metadata.Name,
            VolumeMode = claim.Spec.VolumeMode ?? "Filesystem",
            MountOptions = storageClass.MountOptions?.ToList(),
            NodeAffinity = string.IsNullOrEmpty(selectedNode) ? null : new V1VolumeNodeAffinity
            {
                Required = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm
                        {
                            MatchExpressions = [new V1NodeSelectorRequirement { Key = "kubernetes.io/hostname", OperatorProperty = "In", Values = [selectedNode] }],
                        },
                    ],
                },
            },
        },
    };
}

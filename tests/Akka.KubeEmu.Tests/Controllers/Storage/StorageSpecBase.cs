using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Controllers.PersistentVolume;
using Akka.KubeEmu.Actors.Controllers.VolumeProtection;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Controllers.Storage;

/// <summary>The storage controllers against a real Store in virtual time, with helpers that create claims and volumes as a user would.</summary>
public abstract class StorageSpecBase : ControllerSpecBase
{
    /// <summary>Starts what kube-controller-manager runs for storage (and the default class unless told not to).</summary>
    protected void StartStorage(bool standardClass = true)
    {
        if (standardClass) StartController(StandardStorageClass.Props);
        StartController(PersistentVolumeController.Props);
        StartController(LocalVolumeProvisioner.Props);
        StartController(PvcProtectionController.Props);
        StartController(PvProtectionController.Props);
    }

    protected V1PersistentVolumeClaim CreateClaim(string name, string size = "1Gi", string? className = null, string[]? modes = null,
        string? volumeName = null, IDictionary<string, string>? selector = null) =>
        Await(Api.Create(new V1PersistentVolumeClaim
        {
            ApiVersion = "v1",
            Kind = "PersistentVolumeClaim",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = modes ?? ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) } },
                StorageClassName = className,
                VolumeName = volumeName,
                Selector = selector is null ? null : new V1LabelSelector { MatchLabels = selector },
            },
        })).Object;

    protected V1PersistentVolume CreateVolume(string name, string size, string className = "", string[]? modes = null, string path = "/mnt/data",
        string? policy = null, IDictionary<string, string>? labels = null, V1ObjectReference? claimRef = null) =>
        Await(Api.Create(new V1PersistentVolume
        {
            ApiVersion = "v1",
            Kind = "PersistentVolume",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1PersistentVolumeSpec
            {
                AccessModes = modes ?? ["ReadWriteOnce"],
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(size) },
                StorageClassName = className,
                HostPath = new V1HostPathVolumeSource { Path = path },
                PersistentVolumeReclaimPolicy = policy,
                ClaimRef = claimRef,
            },
        })).Object;

    protected V1StorageClass CreateClass(string name, string provisioner, bool isDefault = false, string? bindingMode = null) =>
        Await(Api.Create(new V1StorageClass
        {
            ApiVersion = "storage.k8s.io/v1",
            Kind = "StorageClass",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Annotations = isDefault ? new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } : null,
            },
            Provisioner = provisioner,
            VolumeBindingMode = bindingMode,
        })).Object;

    protected V1PersistentVolumeClaim? Claim(string name)
    {
        var result = Await(Api.Get<V1PersistentVolumeClaim>("default", name));
        return result.IsNotFound ? null : result.Object;
    }

    protected V1PersistentVolume? Volume(string name)
    {
        var result = Await(Api.Get<V1PersistentVolume>("", name));
        return result.IsNotFound ? null : result.Object;
    }

    protected V1PersistentVolumeClaim ClaimIn(string name, string phase) =>
        Eventually(() => Claim(name) is { Status.Phase: var p } c && p == phase ? c : null, Budget, $"claim {name} {phase}");

    protected V1PersistentVolume VolumeIn(string name, string phase) =>
        Eventually(() => Volume(name) is { Status.Phase: var p } v && p == phase ? v : null, Budget, $"volume {name} {phase}");

    protected void Gone(Func<object?> get, string what) => Eventually(() => get() is null, Budget, what + " gone");

    /// <summary>A pod mounting claims, scheduled nowhere yet.</summary>
    protected V1Pod CreatePodWithClaims(string name, params string[] claims) =>
        Await(Api.Create(new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "app", Image = "nginx:1.27" }],
                Volumes = claims.Select(c => new V1Volume { Name = c, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = c } }).ToList(),
            },
        })).Object;
}

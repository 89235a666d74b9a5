using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// The default StorageClass a new cluster comes with, as minikube's and kind's storage addons
/// install it: "standard", marked default, provisioned by kubeemu.io/local, Delete, Immediate.
/// Created once at control-plane start if absent (the addon manager's EnsureExists); a class the
/// user deleted or changed afterwards stays as the user left it until the next start.
/// </summary>
public sealed class StandardStorageClass : Controller
{
    public const string ClassName = "standard";

    private readonly Indexer<V1StorageClass> _classes;

    public StandardStorageClass(ControllerContext context) : base(context, "storage-addon", workers: 1, fieldManager: "kube-addon-manager")
    {
        var classes = Informers.For<V1StorageClass>();
        _classes = classes.Indexer;
        Handle(classes);
        Enqueue(ClassName);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new StandardStorageClass(context));

    protected override async Task<SyncResult> Sync(string key)
    {
        if (_classes.Get(key) is not null) return SyncResult.Done;
        var created = await Api.Create(Class());
        if (created.IsAlreadyExists) return SyncResult.Done; // the cache is behind
        _ = created.Object; // any other failure: retried with back-off
        return SyncResult.Done;
    }

    public static V1StorageClass Class() => new()
    {
        ApiVersion = "storage.k8s.io/v1",
        Kind = "StorageClass",
        Metadata = new V1ObjectMeta
        {
            Name = ClassName,
            Labels = new Dictionary<string, string> { ["addonmanager.kubernetes.io/mode"] = "EnsureExists" },
            Annotations = new Dictionary<string, string> { [StorageAnnotations.IsDefaultClass] = "true" },
        },
        Provisioner = StorageAnnotations.LocalProvisioner,
        ReclaimPolicy = "Delete",
        VolumeBindingMode = "Immediate",
    };
}

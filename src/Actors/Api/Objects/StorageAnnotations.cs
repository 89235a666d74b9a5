namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// The annotations, finalizers and names the storage machinery shares (component-helpers
/// storage/volume, pkg/volume/util): the API's admission, the PV and protection controllers, the
/// scheduler's volume check and the printers all read the same keys.
/// </summary>
public static class StorageAnnotations
{
    /// <summary>On a claim once the controller finished binding it (AnnBindCompleted).</summary>
    public const string BindCompleted = "pv.kubernetes.io/bind-completed";

    /// <summary>On whichever side of a binding the controller (not the user) wrote (AnnBoundByController).</summary>
    public const string BoundByController = "pv.kubernetes.io/bound-by-controller";

    /// <summary>On a dynamically provisioned volume: the provisioner that made it (AnnDynamicallyProvisioned).</summary>
    public const string ProvisionedBy = "pv.kubernetes.io/provisioned-by";

    /// <summary>On a claim: the provisioner asked to make its volume (AnnStorageProvisioner).</summary>
    public const string StorageProvisioner = "volume.kubernetes.io/storage-provisioner";

    /// <summary>The beta spelling, still written beside the GA one (AnnBetaStorageProvisioner).</summary>
    public const string BetaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner";

    /// <summary>The node the scheduler chose for a WaitForFirstConsumer claim (AnnSelectedNode).</summary>
    public const string SelectedNode = "volume.kubernetes.io/selected-node";

    /// <summary>The class a claim or volume asked for before spec.storageClassName existed.</summary>
    public const string BetaStorageClass = "volume.beta.kubernetes.io/storage-class";

    public const string IsDefaultClass = "storageclass.kubernetes.io/is-default-class";

    public const string BetaIsDefaultClass = "storageclass.beta.kubernetes.io/is-default-class";

    /// <summary>Keeps a claim while a pod uses it (StorageObjectInUseProtection).</summary>
    public const string PvcProtectionFinalizer = "kubernetes.io/pvc-protection";

    /// <summary>Keeps a volume while it is bound.</summary>
    public const string PvProtectionFinalizer = "kubernetes.io/pv-protection";

    /// <summary>The emulator's own provisioner: it makes hostPath volumes on the emulated nodes.</summary>
    public const string LocalProvisioner = "kubeemu.io/local";
}

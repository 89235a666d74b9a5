using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.PersistentVolume;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Storage;

public sealed class PersistentVolumeControllerSpecs : StorageSpecBase
{
    private const string ExternalProvisioningMessage =
        "Waiting for a volume to be created either by the external provisioner 'kubeemu.io/local' or manually by the system administrator. " +
        "If volume creation is delayed, please verify that the provisioner is running and correctly registered.";

    [Fact]
    public void A_claim_without_a_class_gets_the_default_class_and_binds_to_a_volume_provisioned_for_it()
    {
        StartStorage();
        Eventually(() => Await(Api.Get<V1StorageClass>("", "standard")).Ok, Budget, "the standard class");
        var created = CreateClaim("data", "2Gi");
        Assert.Equal("standard", created.Spec.StorageClassName); // DefaultStorageClass admission
        Assert.Contains("kubernetes.io/pvc-protection", created.Metadata.Finalizers);

        var claim = ClaimIn("data", "Bound");
        var volumeName = "pvc-" + claim.Metadata.Uid;
        Assert.Equal(volumeName, claim.Spec.VolumeName);
        Assert.Equal("yes", claim.Metadata.Annotations[StorageAnnotations.BindCompleted]);
        Assert.Equal("yes", claim.Metadata.Annotations[StorageAnnotations.BoundByController]);
        Assert.Equal("kubeemu.io/local", claim.Metadata.Annotations[StorageAnnotations.StorageProvisioner]);
        Assert.Equal("kubeemu.io/local", claim.Metadata.Annotations[StorageAnnotations.BetaStorageProvisioner]);
        Assert.Equal("2Gi", claim.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], claim.Status.AccessModes);

        var volume = VolumeIn(volumeName, "Bound");
        Assert.Equal("2Gi", volume.Spec.Capacity["storage"].ToString());
        Assert.Equal("Delete", volume.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("standard", volume.Spec.StorageClassName);
        Assert.Contains(volumeName, volume.Spec.HostPath.Path);
        Assert.Equal(claim.Metadata.Uid, volume.Spec.ClaimRef.Uid);
        Assert.Equal("kubeemu.io/local", volume.Metadata.Annotations[StorageAnnotations.ProvisionedBy]);
        Assert.False(volume.Metadata.Annotations.ContainsKey(StorageAnnotations.BoundByController)); // reserved by the provisioner
        Assert.Contains("kubernetes.io/pv-protection", volume.Metadata.Finalizers);

        WaitForEvents("data", "ProvisioningSucceeded", 1);
        Assert.Equal([$"Successfully provisioned volume {volumeName}"], EventMessages("data", "ProvisioningSucceeded"));
        Assert.Equal([ExternalProvisioningMessage], EventMessages("data", "ExternalProvisioning").Distinct());
        Assert.Equal(["External provisioner is provisioning volume for claim \"default/data\""], EventMessages("data", "Provisioning"));
    }

    [Fact]
    public void A_claim_binds_the_smallest_available_volume_of_its_class_that_its_selector_and_access_modes_accept()
    {
        StartStorage(standardClass: false);
        var gold = new Dictionary<string, string> { ["tier"] = "gold" };
        CreateVolume("big", "10Gi", labels: gold);
        CreateVolume("mid", "3Gi", labels: gold);
        CreateVolume("small", "1Gi", labels: gold);
        CreateVolume("silver", "2Gi", labels: new Dictionary<string, string> { ["tier"] = "silver" });
        CreateVolume("fast", "2Gi", className: "fast", labels: gold);
        CreateVolume("read-only", "2Gi", modes: ["ReadOnlyMany"], labels: gold);
        // Smaller, but with more access modes than the claim needs: only taken when no exact set fits.
        CreateVolume("wide", "2Gi", modes: ["ReadWriteOnce", "ReadOnlyMany"], labels: gold);
        var all = new[] { "big", "mid", "small", "silver", "fast", "read-only", "wide" };
        foreach (var name in all) VolumeIn(name, "Available");

        CreateClaim("data", "2Gi", className: "", selector: gold);

        var claim = ClaimIn("data", "Bound");
        Assert.Equal("mid", claim.Spec.VolumeName);
        Assert.Equal("3Gi", claim.Status.Capacity["storage"].ToString());
        Assert.Equal(["ReadWriteOnce"], claim.Status.AccessModes);
        var volume = VolumeIn("mid", "Bound");
        Assert.Equal("yes", volume.Metadata.Annotations[StorageAnnotations.BoundByController]);
        Assert.Equal("data", volume.Spec.ClaimRef.Name);
        Assert.Equal(claim.Metadata.Uid, volume.Spec.ClaimRef.Uid);
        Assert.All(all.Where(n => n != "mid"), n => Assert.Equal("Available", Volume(n)!.Status.Phase));

        // The next claim of the same shape takes the next smallest; one needing both modes takes the wide volume.
        CreateClaim("more", "2Gi", className: "", selector: gold);
        Assert.Equal("big", ClaimIn("more", "Bound").Spec.VolumeName);
        CreateClaim("both", "1Gi", className: "", modes: ["ReadWriteOnce", "ReadOnlyMany"]);
        Assert.Equal("wide", ClaimIn("both", "Bound").Spec.VolumeName);
    }

    [Fact]
    public void A_pending_claim_binds_as_soon_as_a_matching_volume_is_created()
    {
        StartStorage(standardClass: false);
        CreateClaim("data", "1Gi", className: "");
        WaitForEvents("data", "FailedBinding", 1);
        Assert.Equal(["no persistent volumes available for this claim and no storage class is set"], EventMessages("data", "FailedBinding"));
        Assert.Equal("Pending", Claim("data")!.Status.Phase);

        CreateVolume("later", "1Gi");
        Assert.Equal("later", ClaimIn("data", "Bound").Spec.VolumeName);
    }

    [Fact]
    public void A_claim_that_names_its_volume_binds_it_or_reports_why_not()
    {
        StartStorage(standardClass: false);
        CreateVolume("tiny", "500Mi");
        CreateVolume("named", "1Gi");
        VolumeIn("tiny", "Available");
        CreateClaim("wants-tiny", "1Gi", className: "", volumeName: "tiny");
        WaitForEvents("wants-tiny", "VolumeMismatch", 1);
        Assert.Equal(["Cannot bind to requested volume \"tiny\": requested PV is too small"], EventMessages("wants-tiny", "VolumeMismatch"));
        Assert.Equal("Pending", Claim("wants-tiny")!.Status.Phase);

        CreateClaim("wants-named", "1Gi", className: "", volumeName: "named");
        var claim = ClaimIn("wants-named", "Bound");
        // The user chose the volume: the claim is not marked bound by the controller, the volume is.
        Assert.False(claim.Metadata.Annotations.ContainsKey(StorageAnnotations.BoundByController));
        Assert.Equal("yes", VolumeIn("named", "Bound").Metadata.Annotations[StorageAnnotations.BoundByController]);
    }

    [Fact]
    public void A_volume_reserved_for_a_claim_by_claimRef_goes_to_that_claim_only()
    {
        StartStorage(standardClass: false);
        CreateVolume("reserved", "5Gi", claimRef: new V1ObjectReference { NamespaceProperty = "default", Name = "owner" });
        VolumeIn("reserved", "Available");
        CreateClaim("other", "1Gi", className: "");
        WaitForEvents("other", "FailedBinding", 1);
        CreateClaim("owner", "1Gi", className: "");
        Assert.Equal("reserved", ClaimIn("owner", "Bound").Spec.VolumeName);
        Assert.Equal("Pending", Claim("other")!.Status.Phase);
    }

    [Fact]
    public void Deleting_a_claim_releases_its_volume_which_Retain_keeps_and_Delete_removes()
    {
        StartStorage();
        CreateVolume("kept", "1Gi", className: "manual");
        CreateClaim("manual", "1Gi", className: "manual");
        ClaimIn("manual", "Bound");
        var provisioned = "pvc-" + CreateClaim("dynamic").Metadata.Uid;
        ClaimIn("dynamic", "Bound");

        Assert.Null(Await(Api.Delete<V1PersistentVolumeClaim>("default", "manual")));
        Assert.Null(Await(Api.Delete<V1PersistentVolumeClaim>("default", "dynamic")));

        var released = VolumeIn("kept", "Released");
        Assert.Equal("manual", released.Spec.ClaimRef.Name); // Retain: the volume remembers its claim
        Gone(() => Volume(provisioned), provisioned);
        Gone(() => Claim("manual"), "claim manual");
    }

    [Fact]
    public void A_released_volume_with_policy_Delete_is_deleted_under_tmp_and_fails_elsewhere_as_the_hostPath_deleter_does()
    {
        StartStorage(standardClass: false);
        CreateVolume("scratch", "1Gi", path: "/tmp/scratch", policy: "Delete");
        CreateVolume("precious", "1Gi", className: "precious", path: "/mnt/precious", policy: "Delete");
        CreateClaim("a", "1Gi", className: "");
        CreateClaim("b", "1Gi", className: "precious");
        ClaimIn("a", "Bound");
        ClaimIn("b", "Bound");

        Assert.Null(Await(Api.Delete<V1PersistentVolumeClaim>("default", "a")));
        Assert.Null(Await(Api.Delete<V1PersistentVolumeClaim>("default", "b")));

        Gone(() => Volume("scratch"), "scratch");
        var failed = VolumeIn("precious", "Failed");
        Assert.Equal("host_path deleter only supports /tmp/.+ but received provided /mnt/precious", failed.Status.Message);
        WaitForEvents("precious", "VolumeFailedDelete", 1);
    }

    [Fact]
    public void A_claim_of_a_missing_class_waits_with_ProvisioningFailed_and_an_external_provisioner_is_named_once_the_class_exists()
    {
        StartStorage(standardClass: false);
        CreateClaim("data", className: "nfs");
        WaitForEvents("data", "ProvisioningFailed", 1);
        Assert.Equal(["storageclass.storage.k8s.io \"nfs\" not found"], EventMessages("data", "ProvisioningFailed"));

        CreateClass("nfs", "example.com/nfs");
        Eventually(() => EventCount("data", "ExternalProvisioning") > 0, Budget, "ExternalProvisioning");
        Assert.Equal(ExternalProvisioningMessage.Replace("kubeemu.io/local", "example.com/nfs"), EventMessages("data", "ExternalProvisioning")[0]);
        var claim = Claim("data")!;
        Assert.Equal("Pending", claim.Status.Phase);
        Assert.Equal("example.com/nfs", claim.Metadata.Annotations[StorageAnnotations.StorageProvisioner]);
    }

    [Fact]
    public void A_claim_created_while_there_was_no_default_class_gets_the_default_class_once_there_is_one()
    {
        StartStorage(standardClass: false);
        var created = CreateClaim("data");
        Assert.Null(created.Spec.StorageClassName);
        WaitForEvents("data", "FailedBinding", 1);

        CreateClass("later", LocalVolumeProvisioner.ProvisionerName, isDefault: true);
        var claim = ClaimIn("data", "Bound");
        Assert.Equal("later", claim.Spec.StorageClassName);
    }

    [Fact]
    public void A_WaitForFirstConsumer_claim_waits_for_a_node_then_gets_a_volume_pinned_to_it()
    {
        StartStorage(standardClass: false);
        CreateClass("local", LocalVolumeProvisioner.ProvisionerName, bindingMode: "WaitForFirstConsumer");
        CreateClaim("data", className: "local");
        WaitForEvents("data", "WaitForFirstConsumer", 1);
        Assert.Equal(["waiting for first consumer to be created before binding"], EventMessages("data", "WaitForFirstConsumer"));
        Assert.Equal("Pending", Claim("data")!.Status.Phase);

        var patch = new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["annotations"] = new System.Text.Json.Nodes.JsonObject { [StorageAnnotations.SelectedNode] = "node-2" },
            },
        }.ToJsonString();
        _ = Await(Api.Patch<V1PersistentVolumeClaim>("default", "data", Actors.Api.Rest.PatchDispatch.MergePatch, patch)).Object;
        var claim = ClaimIn("data", "Bound");
        var volume = Volume(claim.Spec.VolumeName)!;
        Assert.Equal(["node-2"], volume.Spec.NodeAffinity.Required.NodeSelectorTerms[0].MatchExpressions[0].Values);
    }
}

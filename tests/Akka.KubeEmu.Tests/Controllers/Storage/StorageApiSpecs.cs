using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Storage;

/// <summary>What kube-apiserver does to storage objects on their way in: defaults, admission, validation; and how kubectl prints them.</summary>
public sealed class StorageApiSpecs : StorageSpecBase
{
    private StoreResult Create(ResourceType type, string json) => Await(Api.Create(type, KubeObject.Parse(System.Text.Encoding.UTF8.GetBytes(json))));

    [Fact]
    public void Classes_and_volumes_are_defaulted_as_the_apiserver_defaults_them()
    {
        var sc = CreateClass("plain", "example.com/x");
        Assert.Equal("Delete", sc.ReclaimPolicy);
        Assert.Equal("Immediate", sc.VolumeBindingMode);

        var pv = CreateVolume("vol", "1Gi");
        Assert.Equal("Retain", pv.Spec.PersistentVolumeReclaimPolicy);
        Assert.Equal("Filesystem", pv.Spec.VolumeMode);
        Assert.Equal("Pending", pv.Status.Phase);
        Assert.Equal(["kubernetes.io/pv-protection"], pv.Metadata.Finalizers);

        var pvc = CreateClaim("data", className: "");
        Assert.Equal("Filesystem", pvc.Spec.VolumeMode);
        Assert.Equal("Pending", pvc.Status.Phase);
        Assert.Equal("", pvc.Spec.StorageClassName); // an explicit "" is not defaulted
    }

    [Fact]
    public void The_default_class_is_the_newest_one_marked_default()
    {
        CreateClass("old-default", "example.com/x", isDefault: true);
        Advance(TimeSpan.FromSeconds(5));
        CreateClass("new-default", "example.com/x", isDefault: true);
        CreateClass("not-default", "example.com/x");
        Assert.Equal("new-default", CreateClaim("data").Spec.StorageClassName);
    }

    [Fact]
    public void Common_claim_mistakes_are_refused_with_Kubernetes_messages()
    {
        var missing = Create(ResourceCatalog.PersistentVolumeClaims,
            """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"bad","namespace":"default"},"spec":{}}""");
        Assert.Equal(422, missing.Error!.Code);
        Assert.Equal("PersistentVolumeClaim \"bad\" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]",
            missing.Error.Message);

        var wrong = Create(ResourceCatalog.PersistentVolumeClaims,
            """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"bad","namespace":"default"},"spec":{"accessModes":["ReadWriteSometimes"],"resources":{"requests":{"storage":"0"}}}}""");
        Assert.Equal("PersistentVolumeClaim \"bad\" is invalid: [spec.accessModes: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\", spec.resources[storage]: Invalid value: \"0\": must be greater than zero]",
            wrong.Error!.Message);
    }

    [Fact]
    public void A_claim_spec_is_immutable_but_for_binding_and_growing_a_bound_claim()
    {
        var claim = CreateClaim("data", className: "");
        var changed = KubeModels.Clone(claim);
        changed.Spec.StorageClassName = "fast";
        var refused = Await(Api.Update(changed));
        Assert.Equal(422, refused.Error!.Code);
        Assert.StartsWith("PersistentVolumeClaim \"data\" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
            refused.Error.Message);

        // The controller's one change: the volume name, once.
        var bound = KubeModels.Clone(claim);
        bound.Spec.VolumeName = "vol";
        Assert.True(Await(Api.Update(bound)).Ok);
    }

    [Fact]
    public void A_claim_may_grow_only_once_bound_and_only_if_its_class_allows_expansion()
    {
        StartStorage(standardClass: false);
        _ = Await(Api.Create(new V1StorageClass
        {
            ApiVersion = "storage.k8s.io/v1", Kind = "StorageClass", Metadata = new V1ObjectMeta { Name = "expandable" },
            Provisioner = "example.com/x", AllowVolumeExpansion = true,
        })).Object;
        CreateVolume("fixed-vol", "5Gi");
        CreateVolume("expandable-vol", "5Gi", className: "expandable");
        CreateClaim("pending", "1Gi", className: "nowhere");
        CreateClaim("fixed", "1Gi", className: "");
        CreateClaim("expandable", "1Gi", className: "expandable");
        ClaimIn("fixed", "Bound");
        ClaimIn("expandable", "Bound");

        ApiResult<V1PersistentVolumeClaim> Grow(string name)
        {
            var claim = KubeModels.Clone(Claim(name)!);
            claim.Spec.Resources.Requests["storage"] = new ResourceQuantity("2Gi");
            return Await(Api.Update(claim));
        }
        Assert.Equal("persistentvolumeclaims \"pending\" is forbidden: Only bound persistent volume claims can be expanded", Grow("pending").Error!.Message);
        var refused = Grow("fixed").Error!;
        Assert.Equal(403, refused.Code);
        Assert.Equal("persistentvolumeclaims \"fixed\" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
            refused.Message);
        Assert.Equal("2Gi", Grow("expandable").Object.Spec.Resources.Requests["storage"].ToString());
    }

    [Fact]
    public void A_class_keeps_its_provisioner_and_a_volume_needs_a_source_and_a_capacity()
    {
        var sc = CreateClass("fixed", "example.com/x");
        var changed = KubeModels.Clone(sc);
        changed.Provisioner = "example.com/y";
        Assert.Equal("StorageClass.storage.k8s.io \"fixed\" is invalid: provisioner: Forbidden: updates to provisioner are forbidden.",
            Await(Api.Update(changed)).Error!.Message);

        var noSource = Create(ResourceCatalog.PersistentVolumes,
            """{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"bad"},"spec":{"accessModes":["ReadWriteOnce"]}}""");
        Assert.Equal("PersistentVolume \"bad\" is invalid: [spec.capacity: Required value, spec: Required value: must specify a volume type]",
            noSource.Error!.Message);
        var noProvisioner = Create(ResourceCatalog.StorageClasses,
            """{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"bad"},"reclaimPolicy":"Recycle"}""");
        Assert.Equal("StorageClass.storage.k8s.io \"bad\" is invalid: [provisioner: Required value, reclaimPolicy: Unsupported value: \"Recycle\": supported values: \"Delete\", \"Retain\"]",
            noProvisioner.Error!.Message);
    }

    [Fact]
    public void Kubectl_prints_classes_volumes_and_claims_with_their_real_columns()
    {
        var now = Time.GetUtcNow();
        var sc = KubeModels.ToJsonObject(CreateClass("standard", "kubeemu.io/local", isDefault: true));
        var table = TableConvertor.ToTable(ResourceCatalog.StorageClasses, [sc], now);
        Assert.Equal(["Name", "Provisioner", "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age"], Names(table));
        Assert.Equal(["standard (default)", "kubeemu.io/local", "Delete", "Immediate", "false", "0s"], Cells(table));

        var pv = KubeModels.ToJsonObject(CreateVolume("vol", "1024Mi", className: "manual", modes: ["ReadOnlyMany", "ReadWriteOnce"],
            claimRef: new V1ObjectReference { NamespaceProperty = "default", Name = "data" }));
        table = TableConvertor.ToTable(ResourceCatalog.PersistentVolumes, [pv], now);
        Assert.Equal(["Name", "Capacity", "Access Modes", "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age", "VolumeMode"],
            Names(table));
        Assert.Equal(["vol", "1Gi", "RWO,ROX", "Retain", "Pending", "default/data", "manual", "<unset>", "", "0s", "Filesystem"], Cells(table));
        Assert.Equal(1, (int)table["columnDefinitions"]![10]!["priority"]!);

        var pvc = KubeModels.ToJsonObject(CreateClaim("data", className: "manual"));
        table = TableConvertor.ToTable(ResourceCatalog.PersistentVolumeClaims, [pvc], now);
        Assert.Equal(["data", "Pending", "", "", "", "manual", "<unset>", "0s", "Filesystem"], Cells(table));
    }

    private static IReadOnlyList<string> Names(JsonObject table) =>
        ((JsonArray)table["columnDefinitions"]!).Select(c => c!["name"]!.ToString()).ToArray();

    private static IReadOnlyList<string> Cells(JsonObject table) =>
        ((JsonArray)table["rows"]![0]!["cells"]!).Select(c => c?.ToString() ?? "").ToArray();
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Admission;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Schema;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>
/// pkg/printers/internalversion for PersistentVolumes, PersistentVolumeClaims and the
/// storage.k8s.io kinds: `kubectl get pv,pvc,sc` shows what it shows on a real cluster.
/// </summary>
public static class StoragePrinters
{
    public static readonly Printer PersistentVolume = new(
        [Column.NameColumn, new("Capacity", Doc<V1PersistentVolumeSpec>(nameof(V1PersistentVolumeSpec.Capacity))),
         new("Access Modes", Doc<V1PersistentVolumeSpec>(nameof(V1PersistentVolumeSpec.AccessModes))),
         new("Reclaim Policy", Doc<V1PersistentVolumeSpec>(nameof(V1PersistentVolumeSpec.PersistentVolumeReclaimPolicy))),
         new("Status", Doc<V1PersistentVolumeStatus>(nameof(V1PersistentVolumeStatus.Phase))),
         new("Claim", Doc<V1PersistentVolumeSpec>(nameof(V1PersistentVolumeSpec.ClaimRef))),
         new("StorageClass", "StorageClass of the pv"), new("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
         new("Reason", Doc<V1PersistentVolumeStatus>(nameof(V1PersistentVolumeStatus.Reason))), Column.Age,
         new("VolumeMode", Doc<V1PersistentVolumeSpec>(nameof(V1PersistentVolumeSpec.VolumeMode)), 1)],
        (o, now) =>
        {
            var pv = KubernetesJson.Deserialize<V1PersistentVolume>(o.ToJsonString());
            var claim = pv.Spec?.ClaimRef is { } r ? $"{r.NamespaceProperty}/{r.Name}" : "";
            var phase = pv.Metadata.DeletionTimestamp is not null ? "Terminating" : pv.Status?.Phase ?? "";
            return
            [
                pv.Metadata.Name, StorageQuantity.Canonical(pv.Spec?.Capacity?.Lookup("storage")),
                AccessModes(pv.Spec?.AccessModes), pv.Spec?.PersistentVolumeReclaimPolicy ?? "", phase, claim,
                VolumeClass(pv), NonEmpty(pv.Spec?.VolumeAttributesClassName) ?? "<unset>", pv.Status?.Reason ?? "",
                CorePrinters.Age(o, now), pv.Spec?.VolumeMode ?? "<unset>",
            ];
        });

    public static readonly Printer PersistentVolumeClaim = new(
        [Column.NameColumn, new("Status", "The status of the claim."), new("Volume", "The volume bound to this claim."),
         new("Capacity", "The capacity of the volume."), new("Access Modes", "The access modes of the volume."),
         new("StorageClass", "The storage class of the claim."), new("VolumeAttributesClass", "The volume attributes class of the claim."),
         Column.Age, new("VolumeMode", "The volume mode of the claim.", 1)],
        (o, now) =>
        {
            var pvc = KubernetesJson.Deserialize<V1PersistentVolumeClaim>(o.ToJsonString());
            var bound = !string.IsNullOrEmpty(pvc.Spec?.VolumeName);
            var phase = pvc.Metadata.DeletionTimestamp is not null ? "Terminating" : pvc.Status?.Phase ?? "";
            return
            [
                pvc.Metadata.Name, phase, pvc.Spec?.VolumeName ?? "",
                bound ? StorageQuantity.Canonical(pvc.Status?.Capacity?.Lookup("storage")) : "",
                bound ? AccessModes(pvc.Status?.AccessModes) : "",
                ClaimClass(pvc), NonEmpty(pvc.Spec?.VolumeAttributesClassName) ?? "<unset>", CorePrinters.Age(o, now),
                pvc.Spec?.VolumeMode ?? "<unset>",
            ];
        });

    public static readonly Printer StorageClass = new(
        [Column.NameColumn, new("Provisioner", Doc<V1StorageClass>(nameof(V1StorageClass.Provisioner))),
         new("ReclaimPolicy", Doc<V1StorageClass>(nameof(V1StorageClass.ReclaimPolicy))),
         new("VolumeBindingMode", Doc<V1StorageClass>(nameof(V1StorageClass.VolumeBindingMode))),
         new("AllowVolumeExpansion", Doc<V1StorageClass>(nameof(V1StorageClass.AllowVolumeExpansion))), Column.Age],
        (o, now) =>
        [
            StorageAdmission.IsDefault(o) ? KubeObject.Name(o) + " (default)" : KubeObject.Name(o),
            KubeObject.String(o, "provisioner") ?? "", KubeObject.String(o, "reclaimPolicy") ?? "Delete",
            KubeObject.String(o, "volumeBindingMode") ?? "Immediate",
            (KubeObject.ScalarAt(o, "allowVolumeExpansion") ?? "false").ToLowerInvariant(), CorePrinters.Age(o, now),
        ]);

    public static readonly Printer VolumeAttachment = new(
        [Column.NameColumn, new("Attacher", Doc<V1VolumeAttachmentSpec>(nameof(V1VolumeAttachmentSpec.Attacher)), Format: "name"),
         new("PV", Doc<V1VolumeAttachmentSource>(nameof(V1VolumeAttachmentSource.PersistentVolumeName))),
         new("Node", Doc<V1VolumeAttachmentSpec>(nameof(V1VolumeAttachmentSpec.NodeName))),
         new("Attached", Doc<V1VolumeAttachmentStatus>(nameof(V1VolumeAttachmentStatus.Attached)), Type: "boolean"), Column.Age],
        (o, now) =>
        [
            KubeObject.Name(o), KubeObject.ScalarAt(o, "spec.attacher") ?? "", KubeObject.ScalarAt(o, "spec.source.persistentVolumeName") ?? "",
            KubeObject.ScalarAt(o, "spec.nodeName") ?? "", KubeObject.At(o, "status.attached") is JsonValue v && v.TryGetValue<bool>(out var b) && b,
            CorePrinters.Age(o, now),
        ]);

    public static readonly Printer CsiDriver = new(
        [Column.NameColumn, new("AttachRequired", Doc<V1CSIDriverSpec>(nameof(V1CSIDriverSpec.AttachRequired)), Type: "boolean"),
         new("PodInfoOnMount", Doc<V1CSIDriverSpec>(nameof(V1CSIDriverSpec.PodInfoOnMount)), Type: "boolean"),
         new("StorageCapacity", Doc<V1CSIDriverSpec>(nameof(V1CSIDriverSpec.StorageCapacity)), Type: "boolean"),
         new("TokenRequests", Doc<V1CSIDriverSpec>(nameof(V1CSIDriverSpec.TokenRequests))),
         new("RequiresRepublish", Doc<V1CSIDriverSpec>(nameof(V1CSIDriverSpec.RequiresRepublish)), Type: "boolean"),
         new("Modes", Doc<V1CSIDriverSpec>(nameof(V1CSIDriverSpec.VolumeLifecycleModes))), Column.Age],
        (o, now) =>
        {
            var d = KubernetesJson.Deserialize<V1CSIDriver>(o.ToJsonString());
            var tokens = d.Spec?.TokenRequests is { Count: > 0 } t
                ? string.Join(",", t.Select(r => r.ExpirationSeconds is { } s ? $"{r.Audience}({s}s)" : r.Audience)) : "<unset>";
            var modes = d.Spec?.VolumeLifecycleModes is { Count: > 0 } m ? string.Join(",", m) : "<none>";
            return [d.Metadata.Name, d.Spec?.AttachRequired ?? true, d.Spec?.PodInfoOnMount ?? false, d.Spec?.StorageCapacity ?? false,
                tokens, d.Spec?.RequiresRepublish ?? false, modes, CorePrinters.Age(o, now)];
        });

    public static readonly Printer CsiNode = new(
        [Column.NameColumn, new("Drivers", "Drivers indicates the number of CSI drivers registered on the node", Type: "integer"), Column.Age],
        (o, now) => [KubeObject.Name(o), (KubeObject.At(o, "spec.drivers") as JsonArray)?.Count ?? 0, CorePrinters.Age(o, now)]);

    public static readonly Printer CsiStorageCapacity = new(
        [Column.NameColumn, new("StorageClassName", Doc<V1CSIStorageCapacity>(nameof(V1CSIStorageCapacity.StorageClassName))),
         new("Capacity", Doc<V1CSIStorageCapacity>(nameof(V1CSIStorageCapacity.Capacity))), Column.Age],
        (o, now) =>
        {
            var c = KubernetesJson.Deserialize<V1CSIStorageCapacity>(o.ToJsonString());
            return [c.Metadata.Name, c.StorageClassName ?? "", c.Capacity is { } q ? StorageQuantity.Canonical(q) : "<unset>", CorePrinters.Age(o, now)];
        });

    /// <summary>GetAccessModesAsString: each mode once, in Kubernetes' fixed order.</summary>
    public static string AccessModes(IEnumerable<string>? modes)
    {
        var set = modes?.ToHashSet() ?? [];
        var shorts = new List<string>();
        if (set.Contains("ReadWriteOnce")) shorts.Add("RWO");
        if (set.Contains("ReadOnlyMany")) shorts.Add("ROX");
        if (set.Contains("ReadWriteMany")) shorts.Add("RWX");
        if (set.Contains("ReadWriteOncePod")) shorts.Add("RWOP");
        return string.Join(",", shorts);
    }

    /// <summary>GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName.</summary>
    public static string ClaimClass(V1PersistentVolumeClaim pvc) =>
        pvc.Metadata.Annotations?.Lookup(StorageAnnotations.BetaStorageClass) ?? pvc.Spec?.StorageClassName ?? "";

    /// <summary>GetPersistentVolumeClass, likewise.</summary>
    public static string VolumeClass(V1PersistentVolume pv) =>
        pv.Metadata.Annotations?.Lookup(StorageAnnotations.BetaStorageClass) ?? pv.Spec?.StorageClassName ?? "";

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static string Doc<T>(string property) => typeof(T).GetProperty(property) is { } p ? XmlDocs.Property(p) ?? "" : "";
}

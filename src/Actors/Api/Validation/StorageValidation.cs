using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidatePersistentVolumeClaim, ValidatePersistentVolume and ValidateStorageClass with their
/// update rules (pkg/apis/core/validation, pkg/apis/storage/validation), worded as kube-apiserver's
/// 422 answers.
/// </summary>
public static class StorageValidation
{
    private static readonly string[] AccessModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];
    private static readonly string[] VolumeModes = ["Block", "Filesystem"];
    private static readonly string[] VolumeReclaimPolicies = ["Delete", "Recycle", "Retain"];
    private static readonly string[] ClassReclaimPolicies = ["Delete", "Retain"];
    private static readonly string[] BindingModes = ["Immediate", "WaitForFirstConsumer"];

    /// <summary>The volume sources of a PersistentVolumeSpec: exactly one must be set.</summary>
    private static readonly string[] VolumeSources =
    [
        "gcePersistentDisk", "awsElasticBlockStore", "hostPath", "glusterfs", "nfs", "rbd", "quobyte", "iscsi", "cinder",
        "cephfs", "fc", "flocker", "flexVolume", "azureFile", "vsphereVolume", "azureDisk", "photonPersistentDisk",
        "portworxVolume", "scaleIO", "local", "storageos", "csi",
    ];

    // The Go field order of PersistentVolumeClaimSpec, for the immutable-spec message.
    private static readonly string[] ClaimSpecFields =
        ["accessModes", "selector", "resources", "volumeName", "storageClassName", "volumeMode", "dataSource", "dataSourceRef", "volumeAttributesClassName"];

    public static void Validate(string kind, JsonObject obj, List<FieldError> errors)
    {
        switch (kind)
        {
            case "PersistentVolumeClaim":
                ClaimSpec(obj["spec"] as JsonObject ?? new JsonObject(), errors);
                break;
            case "PersistentVolume":
                VolumeSpec(obj["spec"] as JsonObject ?? new JsonObject(), errors);
                break;
            case "StorageClass":
                StorageClass(obj, errors);
                break;
        }
    }

    /// <summary>The update rules; the object itself was validated by <see cref="Validate"/> already.</summary>
    public static void ValidateUpdate(string kind, JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        switch (kind)
        {
            case "PersistentVolumeClaim":
                ClaimUpdate(obj, old, errors);
                break;
            case "PersistentVolume":
                VolumeUpdate(obj, old, errors);
                break;
            case "StorageClass":
                StorageClassUpdate(obj, old, errors);
                break;
        }
    }

    // ---- claims ----

    private static void ClaimSpec(JsonObject spec, List<FieldError> errors)
    {
        AccessModeList(spec, errors, "at least 1 access mode is required");
        LabelSelectorValidation.Validate(spec["selector"], "spec.selector", errors);
        var storage = KubeObject.At(spec, "resources.requests") is JsonObject requests ? requests["storage"] : null;
        if (storage is null) errors.Add(FieldError.RequiredValue("spec.resources[storage]"));
        else PositiveQuantity(storage, "spec.resources[storage]", errors);
        ClassName(KubeObject.String(spec, "storageClassName"), "spec.storageClassName", errors);
        VolumeMode(spec, errors);
    }

    /// <summary>
    /// ValidatePersistentVolumeClaimUpdate: the spec is frozen, except that the controller may set
    /// volumeName once, a class may be given to a claim that had none (retroactive default class),
    /// and a bound claim may ask for more storage (never less).
    /// </summary>
    private static void ClaimUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        var spec = obj["spec"] as JsonObject ?? new JsonObject();
        var oldSpec = old["spec"] as JsonObject ?? new JsonObject();
        var comparable = (JsonObject)spec.DeepClone();
        var oldComparable = (JsonObject)oldSpec.DeepClone();
        if (string.IsNullOrEmpty(KubeObject.String(oldSpec, "volumeName"))) Copy(comparable, oldComparable, "volumeName");
        if (oldSpec["storageClassName"] is null && !HasBetaClass(old)) Copy(comparable, oldComparable, "storageClassName");
        if (KubeObject.ScalarAt(obj, "status.phase") == "Bound" && KubeObject.At(comparable, "resources.requests") is JsonObject)
            KubeObject.EnsureObject(KubeObject.EnsureObject(comparable, "resources"), "requests")["storage"] =
                KubeObject.At(oldSpec, "resources.requests.storage")?.DeepClone();
        if (!SemanticallyEqual(comparable, oldComparable))
            errors.Add(FieldError.ForbiddenField("spec",
                "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n" + SpecDiff(oldComparable, comparable)));
        if (StorageQuantity.Parse(KubeObject.At(spec, "resources.requests.storage")) is { } size
            && StorageQuantity.Parse(KubeObject.At(oldSpec, "resources.requests.storage")) is { } oldSize && size < oldSize)
            errors.Add(FieldError.ForbiddenField("spec.resources.requests.storage", "field can not be less than previous value"));
    }

    // ---- volumes ----

    private static void VolumeSpec(JsonObject spec, List<FieldError> errors)
    {
        AccessModeList(spec, errors, "");
        if (spec["capacity"] is not JsonObject { Count: > 0 } capacity) errors.Add(FieldError.RequiredValue("spec.capacity"));
        else
        {
            if (capacity["storage"] is null || capacity.Count > 1)
                errors.Add(new FieldError(FieldError.NotSupported, "spec.capacity", GoSyntax.StringMap(capacity), "supported values: \"storage\"", QuoteValue: false));
            foreach (var (resource, value) in capacity) PositiveQuantity(value, $"spec.capacity[{resource}]", errors);
        }
        var policy = KubeObject.String(spec, "persistentVolumeReclaimPolicy");
        if (policy is not null && !VolumeReclaimPolicies.Contains(policy))
            errors.Add(FieldError.Unsupported("spec.persistentVolumeReclaimPolicy", policy, VolumeReclaimPolicies));
        var sources = VolumeSources.Where(s => spec[s] is JsonObject).ToList();
        if (sources.Count == 0) errors.Add(FieldError.RequiredValue("spec", "must specify a volume type"));
        foreach (var extra in sources.Skip(1)) errors.Add(FieldError.ForbiddenField($"spec.{extra}", "may not specify more than 1 volume type"));
        if (spec["hostPath"] is JsonObject hostPath && string.IsNullOrEmpty(KubeObject.String(hostPath, "path")))
            errors.Add(FieldError.RequiredValue("spec.hostPath.path"));
        if (spec["local"] is JsonObject local && string.IsNullOrEmpty(KubeObject.String(local, "path")))
            errors.Add(FieldError.RequiredValue("spec.local.path"));
        if (spec["nfs"] is JsonObject nfs)
        {
            if (string.IsNullOrEmpty(KubeObject.String(nfs, "server"))) errors.Add(FieldError.RequiredValue("spec.nfs.server"));
            if (string.IsNullOrEmpty(KubeObject.String(nfs, "path"))) errors.Add(FieldError.RequiredValue("spec.nfs.path"));
        }
        if (spec["csi"] is JsonObject csi)
        {
            if (string.IsNullOrEmpty(KubeObject.String(csi, "driver"))) errors.Add(FieldError.RequiredValue("spec.csi.driver"));
            if (string.IsNullOrEmpty(KubeObject.String(csi, "volumeHandle"))) errors.Add(FieldError.RequiredValue("spec.csi.volumeHandle"));
        }
        ClassName(KubeObject.String(spec, "storageClassName"), "spec.storageClassName", errors);
        VolumeMode(spec, errors);
    }

    /// <summary>ValidatePersistentVolumeUpdate: the volume source and the volume mode are fixed at creation.</summary>
    private static void VolumeUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        foreach (var source in VolumeSources)
            if (!SemanticallyEqual(KubeObject.At(obj, "spec." + source), KubeObject.At(old, "spec." + source)))
            {
                errors.Add(FieldError.ForbiddenField("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
                break;
            }
        var mode = KubeObject.ScalarAt(obj, "spec.volumeMode");
        if (mode != KubeObject.ScalarAt(old, "spec.volumeMode"))
            errors.Add(FieldError.Invalid("spec.volumeMode", mode ?? "", "field is immutable"));
    }

    // ---- classes ----

    private static void StorageClass(JsonObject obj, List<FieldError> errors)
    {
        var provisioner = KubeObject.String(obj, "provisioner") ?? "";
        if (provisioner.Length == 0) errors.Add(FieldError.RequiredValue("provisioner"));
        else foreach (var m in NameValidation.QualifiedName(provisioner.ToLowerInvariant())) errors.Add(FieldError.Invalid("provisioner", provisioner, m));
        var policy = KubeObject.String(obj, "reclaimPolicy");
        if (policy is not null && !ClassReclaimPolicies.Contains(policy)) errors.Add(FieldError.Unsupported("reclaimPolicy", policy, ClassReclaimPolicies));
        var mode = KubeObject.String(obj, "volumeBindingMode");
        if (mode is not null && !BindingModes.Contains(mode)) errors.Add(FieldError.Unsupported("volumeBindingMode", mode, BindingModes));
    }

    /// <summary>ValidateStorageClassUpdate: parameters, provisioner, reclaim policy and binding mode are set once.</summary>
    private static void StorageClassUpdate(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        if (!SemanticallyEqual(obj["parameters"], old["parameters"])) errors.Add(FieldError.ForbiddenField("parameters", "updates to parameters are forbidden."));
        if (KubeObject.String(obj, "provisioner") != KubeObject.String(old, "provisioner"))
            errors.Add(FieldError.ForbiddenField("provisioner", "updates to provisioner are forbidden."));
        if (KubeObject.String(obj, "reclaimPolicy") != KubeObject.String(old, "reclaimPolicy"))
            errors.Add(FieldError.ForbiddenField("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
        if (KubeObject.String(obj, "volumeBindingMode") is var mode && mode != KubeObject.String(old, "volumeBindingMode"))
            errors.Add(FieldError.Invalid("volumeBindingMode", mode ?? "", "field is immutable"));
    }

    // ---- shared ----

    private static void AccessModeList(JsonObject spec, List<FieldError> errors, string requiredMessage)
    {
        var modes = (spec["accessModes"] as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToList() ?? [];
        if (modes.Count == 0)
        {
            errors.Add(FieldError.RequiredValue("spec.accessModes", requiredMessage));
            return;
        }
        foreach (var mode in modes.Where(m => !AccessModes.Contains(m))) errors.Add(FieldError.Unsupported("spec.accessModes", mode, AccessModes));
        if (modes.Contains("ReadWriteOncePod") && modes.Count > 1)
            errors.Add(FieldError.ForbiddenField("spec.accessModes", "may not use ReadWriteOncePod with other access modes"));
    }

    private static void PositiveQuantity(JsonNode? node, string path, List<FieldError> errors)
    {
        var text = KubeObject.ScalarText(node) ?? "";
        if (StorageQuantity.Parse(text) is not { } value) errors.Add(FieldError.Invalid(path, text, StorageQuantity.FormatMessage));
        else if (value < 0) errors.Add(FieldError.Invalid(path, text, "must be greater than or equal to 0"));
        else if (value == 0) errors.Add(FieldError.Invalid(path, text, "must be greater than zero"));
    }

    private static void ClassName(string? name, string path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(name)) return;
        foreach (var m in NameValidation.Dns1123Subdomain(name)) errors.Add(FieldError.Invalid(path, name, m));
    }

    private static void VolumeMode(JsonObject spec, List<FieldError> errors)
    {
        if (KubeObject.String(spec, "volumeMode") is { } mode && !VolumeModes.Contains(mode))
            errors.Add(FieldError.Unsupported("spec.volumeMode", mode, VolumeModes));
    }

    private static bool HasBetaClass(JsonObject obj) =>
        KubeObject.At(obj, "metadata.annotations") is JsonObject a && a.ContainsKey(StorageAnnotations.BetaStorageClass);

    private static void Copy(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } value) to[field] = value.DeepClone();
        else to.Remove(field);
    }

    /// <summary>apiequality.Semantic.DeepEqual over JSON: a missing field, null, and an empty map or list are equal.</summary>
    private static bool SemanticallyEqual(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(Normal(a), Normal(b));

    private static JsonNode? Normal(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                    if (Normal(v) is { } n) copy[k] = n;
                return copy.Count == 0 ? null : copy;
            case JsonArray { Count: 0 }:
                return null;
            case JsonArray a:
                return new JsonArray(a.Select(i => Normal(i) ?? JsonValue.Create("")).ToArray());
            case JsonValue v:
                // Quantities compare by value: "1Gi" and "1024Mi" are the same request.
                return v.DeepClone();
            default:
                return null;
        }
    }

    /// <summary>The shape of cmp.Diff's report, reduced to the fields that differ (kube-apiserver prints Go values).</summary>
    private static string SpecDiff(JsonObject old, JsonObject cur)
    {
        var lines = new List<string> { "  core.PersistentVolumeClaimSpec{" };
        var identical = 0;
        foreach (var field in ClaimSpecFields)
        {
            if (SemanticallyEqual(old[field], cur[field]))
            {
                identical++;
                continue;
            }
            if (identical > 0) lines.Add($"  \t... // {identical} identical fields");
            identical = 0;
            var name = char.ToUpperInvariant(field[0]) + field[1..];
            lines.Add($"- \t{name}: {Go(old[field])},");
            lines.Add($"+ \t{name}: {Go(cur[field])},");
        }
        if (identical > 0) lines.Add($"  \t... // {identical} identical fields");
        lines.Add("  }");
        return string.Join("\n", lines) + "\n";
    }

    private static string Go(JsonNode? node) => node switch
    {
        null => "nil",
        JsonValue v when KubeObject.ScalarText(v) is { } s && v.GetValueKind() == System.Text.Json.JsonValueKind.String => $"&\"{s}\"",
        _ => node.ToJsonString(),
    };
}

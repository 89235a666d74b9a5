using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// The storage.k8s.io kinds of CSI drivers: CSIDriver's immutable attachRequired and fsGroupPolicy,
/// CSINode's drivers (a CSI driver name and a nodeID each), CSIStorageCapacity's non-negative sizes,
/// VolumeAttachment's attacher (required; its CSI name format is not checked), node and exactly one source.
/// </summary>
public static class CsiValidation
{
    private const string OneSource = "must specify exactly one of inlineVolumeSpec and persistentVolumeName";

    public static void Validate(string kind, JsonObject obj, List<FieldError> errors)
    {
        switch (kind)
        {
            case "CSINode":
                var drivers = KubeObject.At(obj, "spec.drivers") as JsonArray ?? [];
                for (var i = 0; i < drivers.Count; i++)
                {
                    DriverName(KubeObject.String(drivers[i], "name") ?? "", $"spec.drivers[{i}].name", errors);
                    if (string.IsNullOrEmpty(KubeObject.String(drivers[i], "nodeID"))) errors.Add(FieldError.RequiredValue($"spec.drivers[{i}].nodeID"));
                }
                break;
            case "CSIStorageCapacity":
                foreach (var field in new[] { "capacity", "maximumVolumeSize" })
                    if (KubeObject.ScalarText(obj[field]) is { } text && StorageQuantity.Parse(text) is < 0)
                        errors.Add(FieldError.Invalid(field, text, "must be greater than or equal to 0"));
                break;
            case "VolumeAttachment":
                // Only required here: the emulator's own attacher, kubeemu.io/local (its provisioner's name), is
                // not the DNS subdomain a CSI driver name must be, which kube-apiserver also checks.
                if (string.IsNullOrEmpty(KubeObject.ScalarAt(obj, "spec.attacher"))) errors.Add(FieldError.RequiredValue("spec.attacher"));
                var source = KubeObject.At(obj, "spec.source") as JsonObject;
                var pv = source?["persistentVolumeName"];
                var inline = source?["inlineVolumeSpec"];
                if (pv is null && inline is null) errors.Add(FieldError.RequiredValue("spec.source", OneSource));
                else if (pv is not null && inline is not null) errors.Add(FieldError.ForbiddenField("spec.source", OneSource));
                else if (pv is not null && KubeObject.ScalarText(pv) is "") errors.Add(FieldError.RequiredValue("spec.source.persistentVolumeName"));
                var node = KubeObject.ScalarAt(obj, "spec.nodeName") ?? "";
                foreach (var message in NameValidation.Dns1123Subdomain(node)) errors.Add(FieldError.Invalid("spec.nodeName", node, message));
                break;
        }
    }

    public static void ValidateUpdate(string kind, JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        if (kind != "CSIDriver") return;
        foreach (var field in new[] { "attachRequired", "fsGroupPolicy" })
        {
            var now = KubeObject.At(obj, "spec." + field);
            if (JsonNode.DeepEquals(now, KubeObject.At(old, "spec." + field))) continue;
            errors.Add(now is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String
                ? FieldError.Invalid($"spec.{field}", v.GetValue<string>(), "field is immutable")
                : FieldError.InvalidRaw($"spec.{field}", now?.ToJsonString() ?? "null", "field is immutable"));
        }
    }

    // ValidateCSIDriverName: required, at most 63 characters, a DNS-1123 subdomain once lower-cased.
    private static void DriverName(string name, string path, List<FieldError> errors)
    {
        if (name.Length == 0) errors.Add(FieldError.RequiredValue(path));
        if (name.Length > 63) errors.Add(new FieldError(FieldError.TooLong, path, null, "may not be more than 63 bytes"));
        foreach (var message in NameValidation.Dns1123Subdomain(name.ToLower(CultureInfo.InvariantCulture))) errors.Add(FieldError.Invalid(path, name, message));
    }
}

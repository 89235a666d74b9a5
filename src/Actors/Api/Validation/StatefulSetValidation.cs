using System.Globalization;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidateStatefulSetSpec and ValidateStatefulSetUpdate of Kubernetes 1.32 (pkg/apis/apps/validation),
/// in their order. As there, the pod template's spec is not validated beyond its labels and
/// annotations, restartPolicy and activeDeadlineSeconds: a template the pod API refuses is accepted,
/// and the controller reports FailedCreate with the pod API's message.
/// </summary>
public static class StatefulSetValidation
{
    public const string ForbiddenUpdate =
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

    /// <summary>The spec fields an update may change; the others are compared.</summary>
    private static readonly string[] Mutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

    public static void Spec(JsonObject spec, List<FieldError> errors)
    {
        switch (KubeObject.String(spec, "podManagementPolicy") ?? "")
        {
            case "":
                errors.Add(FieldError.RequiredValue("spec.podManagementPolicy"));
                break;
            case "OrderedReady" or "Parallel":
                break;
            case var other:
                errors.Add(FieldError.Invalid("spec.podManagementPolicy", other, "must be 'OrderedReady' or 'Parallel'"));
                break;
        }

        var strategy = spec["updateStrategy"] as JsonObject ?? new JsonObject();
        var rollingUpdate = strategy["rollingUpdate"] as JsonObject;
        switch (KubeObject.String(strategy, "type") ?? "")
        {
            case "":
                errors.Add(FieldError.RequiredValue("spec.updateStrategy"));
                break;
            case "OnDelete":
                if (rollingUpdate is not null)
                    errors.Add(FieldError.InvalidRaw("spec.updateStrategy.rollingUpdate", GoRollingUpdate(rollingUpdate), "only allowed for updateStrategy 'RollingUpdate'"));
                break;
            case "RollingUpdate":
                if (rollingUpdate is not null && KubeObject.Long(rollingUpdate["partition"]) is { } partition and < 0)
                    errors.Add(FieldError.InvalidRaw("spec.updateStrategy.rollingUpdate.partition", Number(partition), "must be greater than or equal to 0"));
                break;
            case var other:
                errors.Add(FieldError.InvalidRaw("spec.updateStrategy",
                    $"apps.StatefulSetUpdateStrategy{{Type:{GoSyntax.Quote(other)}, RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)" +
                    (rollingUpdate is null ? "(nil)}" : "(0xc000a3e4b0)}"), "must be 'RollingUpdate' or 'OnDelete'"));
                break;
        }

        if (spec["persistentVolumeClaimRetentionPolicy"] is JsonObject retention)
            foreach (var when in new[] { "whenDeleted", "whenScaled" })
                if (KubeObject.String(retention, when) is var policy && policy is not ("Retain" or "Delete"))
                    errors.Add(FieldError.Unsupported($"spec.persistentVolumeClaimRetentionPolicy.{when}", policy ?? "", ["Retain", "Delete"]));

        WorkloadValidation.NonNegative(spec, "replicas", errors);
        WorkloadValidation.NonNegative(spec, "minReadySeconds", errors);
        if (KubeObject.Long(KubeObject.At(spec, "ordinals.start")) is { } start and < 0)
            errors.Add(FieldError.InvalidRaw("spec.ordinals.start", Number(start), "must be greater than or equal to 0"));

        var selector = spec["selector"];
        var selectorOk = true;
        if (selector is not JsonObject)
        {
            errors.Add(FieldError.RequiredValue("spec.selector"));
        }
        else
        {
            selectorOk = LabelSelectorValidation.Validate(selector, "spec.selector", errors);
            if (LabelSelectorValidation.IsEmpty(selector))
                errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(selector), "empty selector is invalid for statefulset"));
        }
        if (!selectorOk)
        {
            errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(selector), ""));
        }
        else
        {
            // ValidatePodTemplateSpecForStatefulSet: the selector must match; labels and annotations are checked, the pod spec is not.
            var matcher = LabelSelectorValidation.AsSelector(selector);
            var template = spec["template"] as JsonObject ?? new JsonObject();
            var labels = KubeObject.At(template, "metadata.labels");
            if (matcher is null || !matcher.IsEmpty && !matcher.Matches(KubeObject.StringMap(labels)))
                errors.Add(FieldError.InvalidRaw("spec.template.metadata.labels", GoSyntax.StringMap(labels), "`selector` does not match template `labels`"));
            ObjectMetaValidation.Labels(labels, "spec.template.labels", errors);
        }

        if ((KubeObject.ScalarAt(spec, "template.spec.restartPolicy") ?? "Always") is var restart && restart != "Always")
            errors.Add(FieldError.Unsupported("spec.template.spec.restartPolicy", restart, ["Always"]));
        if (KubeObject.At(spec, "template.spec.activeDeadlineSeconds") is not null)
            errors.Add(FieldError.ForbiddenField("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in StatefulSet is not Supported"));
    }

    /// <summary>ValidateStatefulSetUpdate: only the mutable fields of the spec may change.</summary>
    public static void Update(JsonObject obj, JsonObject old, List<FieldError> errors)
    {
        static JsonObject Frozen(JsonObject o)
        {
            var spec = o["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
            foreach (var field in Mutable) spec.Remove(field);
            return spec;
        }
        if (!CanonicalJson.Bytes(Frozen(obj), dropEmpty: true).AsSpan().SequenceEqual(CanonicalJson.Bytes(Frozen(old), dropEmpty: true)))
            errors.Add(FieldError.ForbiddenField("spec", ForbiddenUpdate));
    }

    /// <summary>%#v of the internal RollingUpdateStatefulSetStrategy pointer Go prints for an OnDelete set that has one.</summary>
    private static string GoRollingUpdate(JsonObject rollingUpdate) =>
        $"&apps.RollingUpdateStatefulSetStrategy{{Partition:{Number(KubeObject.Long(rollingUpdate["partition"]) ?? 0)}, " +
        "MaxUnavailable:(*intstr.IntOrString)(nil)}";

    private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
}

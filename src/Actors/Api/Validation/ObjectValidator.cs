using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// The validation a kind's registry strategy runs on create and update. Errors become a 422
/// Invalid Status whose message lists them as kube-apiserver does.
/// </summary>
public static class ObjectValidator
{
    public static IReadOnlyList<FieldError> ValidateCreate(ResourceType type, JsonObject obj)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(obj, NameRule(type), errors);
        if (FinalizerValidation.KubeNamesApply(type)) FinalizerValidation.ValidateKubeNames(obj, errors);
        Kind(type, obj, errors, create: true);
        if (type == ResourceCatalog.Pods) EphemeralContainerValidation.ValidateCreate(obj, errors);
        return errors;
    }

    /// <summary>
    /// ValidatePodEphemeralContainersUpdate (a write to pods/ephemeralcontainers): the metadata update
    /// rules and the whole pod spec, then no existing ephemeral container removed or changed.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateEphemeralContainersUpdate(JsonObject pod, JsonObject old)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.ValidateUpdate(pod, old, errors);
        Kind(ResourceCatalog.Pods, pod, errors, create: false);
        EphemeralContainerValidation.ValidateUpdate(pod, old, errors);
        return errors;
    }

    public static IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.ValidateUpdate(obj, old, errors);
        ObjectMetaValidation.UpdatedLists(obj, errors);
        if (FinalizerValidation.KubeNamesApply(type)) FinalizerValidation.ValidateKubeNames(obj, errors);
        Kind(type, obj, errors, create: false);
        if (type == ResourceCatalog.Pods) PodUpdateValidation.Validate(obj, old, errors);
        if (type == ResourceCatalog.IngressClasses) NetworkingValidation.ValidateIngressClassUpdate(obj, old, errors);
        if (type == ResourceCatalog.RuntimeClasses) RuntimeClassValidation.ValidateUpdate(obj, old, errors);
        StorageValidation.ValidateUpdate(type.Kind, obj, old, errors);
        CsiValidation.ValidateUpdate(type.Kind, obj, old, errors);
        ConfigDataValidation.ValidateUpdate(type.Kind, obj, old, errors);
        if (type == ResourceCatalog.StatefulSets) StatefulSetValidation.Update(obj, old, errors);
        if (type == ResourceCatalog.Jobs) JobValidation.Update(obj, old, errors);
        if (type == ResourceCatalog.PriorityClasses) PriorityClassValidation.ValidateUpdate(obj, old, errors);
        if (type == ResourceCatalog.Services) ServiceValidation.Update(obj, old, errors);
        if (type == ResourceCatalog.Nodes) NodeValidation.ValidateUpdate(obj, old, errors);
        if (type == ResourceCatalog.CustomResourceDefinitions) CustomResources.CustomResourceDefinitionValidation.ValidateImmutable(obj, old, errors);
        if (type == ResourceCatalog.RoleBindings || type == ResourceCatalog.ClusterRoleBindings) RbacValidation.ValidateBindingUpdate(obj, old, errors);
        // apps/v1 strategies add this after the kind's own update validation.
        if (type.Group == "apps" && type != ResourceCatalog.StatefulSets && !SemanticallyEqual(KubeObject.At(obj, "spec.selector"), KubeObject.At(old, "spec.selector")))
            errors.Add(FieldError.InvalidRaw("spec.selector", GoSyntax.LabelSelector(KubeObject.At(obj, "spec.selector")), "field is immutable"));
        return errors;
    }

    /// <summary>
    /// The status strategies' ValidateUpdate (ValidatePodStatusUpdate and its kin): the metadata update
    /// rules; the spec, which a status write keeps as stored, is not validated again.
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject obj, JsonObject old)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.ValidateUpdate(obj, old, errors);
        ObjectMetaValidation.Labels(KubeObject.At(obj, "metadata.labels"), "metadata.labels", errors);
        return errors;
    }

    /// <summary>apiequality.Semantic.DeepEqual of two selectors: an empty map or list equals a missing one.</summary>
    private static bool SemanticallyEqual(JsonNode? a, JsonNode? b)
    {
        static JsonNode? Normal(JsonNode? selector)
        {
            if (selector is not JsonObject s) return null;
            var copy = new JsonObject();
            foreach (var (key, value) in s)
                if (value is JsonObject { Count: > 0 } or JsonArray { Count: > 0 }) copy[key] = value.DeepClone();
            return copy;
        }
        return JsonNode.DeepEquals(Normal(a), Normal(b));
    }

    /// <summary>Namespaces are DNS-1123 labels, Services DNS-1035 labels, everything else DNS-1123 subdomains.</summary>
    private static Func<string, IEnumerable<string>> NameRule(ResourceType type) => type.Kind switch
    {
        "Namespace" => NameValidation.Dns1123Label,
        "Service" => NameValidation.Dns1035Label,
        "StatefulSet" => NameValidation.Dns1123Label,
        "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding" => RbacValidation.PathSegmentName,
        _ => NameValidation.Dns1123Subdomain,
    };

    private static void Kind(ResourceType type, JsonObject obj, List<FieldError> errors, bool create)
    {
        switch (type.Kind)
        {
            case "Pod":
                PodSpecValidation.Validate(obj["spec"], "spec", errors);
                break;
            case "Deployment" or "ReplicaSet" or "ReplicationController" or "StatefulSet" or "DaemonSet" or "Job" or "CronJob":
                WorkloadValidation.Validate(type.Kind, obj, errors);
                break;
            case "Service":
                ServiceValidation.Validate(obj, errors);
                break;
            case "ConfigMap" or "Secret":
                DataKeys(obj, errors);
                ConfigDataValidation.Validate(type.Kind, obj, errors);
                break;
            case "PersistentVolumeClaim" or "PersistentVolume" or "StorageClass":
                StorageValidation.Validate(type.Kind, obj, errors);
                break;
            case "PriorityClass":
                PriorityClassValidation.Validate(obj, errors);
                break;
            case "Role" or "ClusterRole":
                RbacValidation.ValidateRole(obj, type.Kind == "Role", errors);
                break;
            case "RoleBinding" or "ClusterRoleBinding":
                RbacValidation.ValidateBinding(obj, type.Kind == "RoleBinding", errors);
                break;
            case "PodDisruptionBudget":
                PodDisruptionBudgetValidation.Validate(obj, errors);
                break;
            case "Ingress":
                NetworkingValidation.ValidateIngress(obj, create, errors);
                break;
            case "IngressClass":
                NetworkingValidation.ValidateIngressClass(obj, errors);
                break;
            case "NetworkPolicy":
                NetworkingValidation.ValidateNetworkPolicy(obj, errors);
                break;
            case "HorizontalPodAutoscaler":
                HorizontalPodAutoscalerValidation.Validate(obj, errors);
                break;
            case "Lease":
                LeaseValidation.Validate(obj, errors);
                break;
            case "RuntimeClass":
                RuntimeClassValidation.Validate(obj, errors);
                break;
            case "ValidatingWebhookConfiguration" or "MutatingWebhookConfiguration":
                WebhookConfigurationValidation.Validate(obj, type.Kind == "MutatingWebhookConfiguration", errors);
                break;
            case "ResourceQuota":
                QuotaValidation.ValidateResourceQuota(obj, errors);
                break;
            case "LimitRange":
                QuotaValidation.ValidateLimitRange(obj, errors);
                break;
            case "CustomResourceDefinition":
                CustomResources.CustomResourceDefinitionValidation.Validate(obj, errors);
                break;
            case "Endpoints":
                EndpointsValidation.Validate(obj, errors);
                break;
            case "Event" when type.Group.Length == 0:
                EventValidation.Validate(obj, errors);
                break;
            case "ControllerRevision":
                ControllerRevisionValidation.Validate(obj, errors);
                break;
            case "CSINode" or "CSIStorageCapacity" or "VolumeAttachment":
                CsiValidation.Validate(type.Kind, obj, errors);
                break;
        }
    }

    /// <summary>ConfigMap/Secret keys are file names (IsConfigMapKey) and the whole must fit in 1 MiB.</summary>
    private static void DataKeys(JsonObject obj, List<FieldError> errors)
    {
        long size = 0;
        foreach (var field in new[] { "data", "binaryData", "stringData" })
            if (obj[field] is JsonObject map)
                foreach (var (key, value) in map)
                {
                    if (key.Length == 0 || key.Length > 253 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || key is "." or "..")
                        errors.Add(FieldError.Invalid($"{field}[{key}]", key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
                    size += key.Length + (KubeObject.ScalarText(value)?.Length ?? 0);
                }
        if (size > 1024 * 1024)
            errors.Add(new FieldError(FieldError.TooLong, "data", null, $"must have at most {1024 * 1024} bytes"));
    }
}

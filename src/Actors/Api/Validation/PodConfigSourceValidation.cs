using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// ValidatePodSpec's checks of what a pod reads from ConfigMaps, Secrets and the downward API
/// (validateEnv, validateEnvFrom, validateConfigMapVolumeSource, validateSecretVolumeSource,
/// validateDownwardAPIVolumeSource, validateProjectedVolumeSource), with kube-apiserver's messages.
/// </summary>
public static class PodConfigSourceValidation
{
    private static readonly string[] EnvFieldPaths =
        ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"];

    private static readonly string[] VolumeFieldPaths = ["metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"];

    private static readonly string[] ContainerResources =
        ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"];

    private const string ModeMessage = "must be a number between 0 and 0777 (octal), both inclusive";

    /// <summary>A container's env and envFrom.</summary>
    public static void Container(JsonObject? c, string path, List<FieldError> errors)
    {
        if (c?["env"] is JsonArray env)
            for (var i = 0; i < env.Count; i++) EnvVar(env[i] as JsonObject, $"{path}.env[{i}]", errors);
        if (c?["envFrom"] is JsonArray envFrom)
            for (var i = 0; i < envFrom.Count; i++) EnvFrom(envFrom[i] as JsonObject, $"{path}.envFrom[{i}]", errors);
    }

    /// <summary>A volume's configMap, secret, downwardAPI or projected source (other kinds are not looked at here).</summary>
    public static void Volume(JsonObject? v, string path, List<FieldError> errors)
    {
        if (v?["configMap"] is JsonObject cm)
        {
            if (string.IsNullOrEmpty(KubeObject.String(cm, "name"))) errors.Add(FieldError.RequiredValue($"{path}.configMap.name"));
            Mode(cm["defaultMode"], $"{path}.configMap.defaultMode", errors);
            Items(cm["items"], $"{path}.configMap.items", errors);
        }
        if (v?["secret"] is JsonObject secret)
        {
            if (string.IsNullOrEmpty(KubeObject.String(secret, "secretName"))) errors.Add(FieldError.RequiredValue($"{path}.secret.secretName"));
            Mode(secret["defaultMode"], $"{path}.secret.defaultMode", errors);
            Items(secret["items"], $"{path}.secret.items", errors);
        }
        if (v?["downwardAPI"] is JsonObject downward)
        {
            Mode(downward["defaultMode"], $"{path}.downwardAPI.defaultMode", errors);
            DownwardItems(downward["items"], $"{path}.downwardAPI", errors);
        }
        if (v?["projected"] is JsonObject projected)
        {
            Mode(projected["defaultMode"], $"{path}.projected.defaultMode", errors);
            var sources = projected["sources"] as JsonArray ?? [];
            for (var i = 0; i < sources.Count; i++)
            {
                var at = $"{path}.projected.sources[{i}]";
                if (sources[i]?["configMap"] is JsonObject pcm) Items(pcm["items"], $"{at}.configMap.items", errors);
                if (sources[i]?["secret"] is JsonObject ps) Items(ps["items"], $"{at}.secret.items", errors);
                if (sources[i]?["downwardAPI"] is JsonObject pd) DownwardItems(pd["items"], $"{at}.downwardAPI", errors);
            }
        }
    }

    /// <summary>volumeMounts[].subPath: a relative path without '..'.</summary>
    public static void SubPath(JsonObject? mount, string path, List<FieldError> errors)
    {
        if (KubeObject.String(mount, "subPath") is { Length: > 0 } subPath) LocalPath(subPath, $"{path}.subPath", errors);
    }

    private static void EnvVar(JsonObject? e, string path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(KubeObject.String(e, "name"))) errors.Add(FieldError.RequiredValue($"{path}.name"));
        if (e?["valueFrom"] is not JsonObject from) return;
        if (!string.IsNullOrEmpty(KubeObject.String(e, "value")))
        {
            errors.Add(FieldError.Invalid($"{path}.valueFrom", "", "may not be specified when `value` is not empty"));
            return;
        }
        var at = $"{path}.valueFrom";
        var sources = 0;
        if (from["fieldRef"] is JsonObject fieldRef)
        {
            sources++;
            FieldPath(KubeObject.String(fieldRef, "fieldPath") ?? "", $"{at}.fieldRef", EnvFieldPaths, errors);
        }
        if (from["resourceFieldRef"] is JsonObject resource)
        {
            sources++;
            var r = KubeObject.String(resource, "resource") ?? "";
            if (r.Length == 0) errors.Add(FieldError.RequiredValue($"{at}.resourceFieldRef.resource"));
            else if (!ContainerResources.Contains(r)) errors.Add(FieldError.Unsupported($"{at}.resourceFieldRef.resource", r, ContainerResources));
        }
        foreach (var kind in (string[])["configMapKeyRef", "secretKeyRef"])
        {
            if (from[kind] is not JsonObject keyRef) continue;
            sources++;
            if (string.IsNullOrEmpty(KubeObject.String(keyRef, "name"))) errors.Add(FieldError.RequiredValue($"{at}.{kind}.name"));
            var key = KubeObject.String(keyRef, "key") ?? "";
            if (key.Length == 0) errors.Add(FieldError.RequiredValue($"{at}.{kind}.key"));
            else ConfigKey(key, $"{at}.{kind}.key", errors);
        }
        if (sources == 0) errors.Add(FieldError.Invalid(at, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        else if (sources > 1) errors.Add(FieldError.Invalid(at, "", "may not have more than one field specified at a time"));
    }

    private static void EnvFrom(JsonObject? e, string path, List<FieldError> errors)
    {
        var sources = 0;
        foreach (var kind in (string[])["configMapRef", "secretRef"])
        {
            if (e?[kind] is not JsonObject source) continue;
            sources++;
            if (string.IsNullOrEmpty(KubeObject.String(source, "name"))) errors.Add(FieldError.RequiredValue($"{path}.{kind}.name"));
        }
        if (sources == 0) errors.Add(FieldError.Invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
        else if (sources > 1) errors.Add(FieldError.Invalid(path, "", "may not have more than one field specified at a time"));
    }

    /// <summary>validateObjectFieldSelector: a supported path, or labels/annotations with a subscript.</summary>
    private static void FieldPath(string fieldPath, string path, string[] supported, List<FieldError> errors)
    {
        var bracket = fieldPath.IndexOf('[');
        if (bracket > 0 && fieldPath.EndsWith("']", StringComparison.Ordinal) && fieldPath[bracket..].StartsWith("['", StringComparison.Ordinal))
        {
            var head = fieldPath[..bracket];
            if (head is not ("metadata.labels" or "metadata.annotations")) errors.Add(FieldError.Invalid(path, head, "does not support subscript"));
            return;
        }
        if (fieldPath.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.fieldPath"));
        else if (!supported.Contains(fieldPath)) errors.Add(FieldError.Unsupported($"{path}.fieldPath", fieldPath, supported));
    }

    private static void Items(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonArray items) return;
        for (var i = 0; i < items.Count; i++)
        {
            var key = KubeObject.String(items[i], "key") ?? "";
            if (key.Length == 0) errors.Add(FieldError.RequiredValue($"{path}[{i}].key"));
            else ConfigKey(key, $"{path}[{i}].key", errors);
            ItemPath(items[i] as JsonObject, $"{path}[{i}]", errors);
        }
    }

    private static void DownwardItems(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonArray items) return;
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{path}[{i}]";
            ItemPath(items[i] as JsonObject, at, errors);
            if (items[i]?["fieldRef"] is JsonObject fieldRef) FieldPath(KubeObject.String(fieldRef, "fieldPath") ?? "", $"{at}.fieldRef", VolumeFieldPaths, errors);
            else if (items[i]?["resourceFieldRef"] is JsonObject r && KubeObject.String(r, "resource") is { } resource && !ContainerResources.Contains(resource))
                errors.Add(FieldError.Unsupported($"{at}.resourceFieldRef.resource", resource, ContainerResources));
        }
    }

    private static void ItemPath(JsonObject? item, string path, List<FieldError> errors)
    {
        var itemPath = KubeObject.String(item, "path") ?? "";
        if (itemPath.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.path"));
        else LocalPath(itemPath, $"{path}.path", errors);
        Mode(item?["mode"], $"{path}.mode", errors);
    }

    /// <summary>validateLocalDescendingPath.</summary>
    private static void LocalPath(string value, string path, List<FieldError> errors)
    {
        if (value.StartsWith('/')) errors.Add(FieldError.Invalid(path, value, "must be a relative path"));
        if (value.Split('/').Contains("..")) errors.Add(FieldError.Invalid(path, value, "must not contain '..'"));
    }

    private static void Mode(JsonNode? node, string path, List<FieldError> errors)
    {
        if (KubeObject.Long(node) is { } mode && mode is < 0 or > 511) errors.Add(FieldError.InvalidRaw(path, mode.ToString(), ModeMessage));
    }

    private static void ConfigKey(string key, string path, List<FieldError> errors)
    {
        if (key.Length > 253 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) || key is "." or "..")
            errors.Add(FieldError.Invalid(path, key, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
    }
}

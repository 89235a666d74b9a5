using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>ValidatePodSpec (pkg/apis/core/validation), the parts users trip over, with the real messages.</summary>
public static class PodSpecValidation
{
    private static readonly string[] RestartPolicies = ["Always", "OnFailure", "Never"];
    private static readonly string[] DnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
    private static readonly string[] PullPolicies = ["Always", "IfNotPresent", "Never"];
    private static readonly string[] Protocols = ["TCP", "UDP", "SCTP"];

    /// <param name="claimVolumes">Volume names provided from outside the pod spec (a StatefulSet's volumeClaimTemplates).</param>
    public static void Validate(JsonNode? spec, string path, List<FieldError> errors, IReadOnlyList<string>? allowedRestartPolicies = null,
        IEnumerable<string>? claimVolumes = null)
    {
        if (spec is not JsonObject s)
        {
            errors.Add(FieldError.RequiredValue(path));
            return;
        }
        var volumes = Volumes(s["volumes"], $"{path}.volumes", errors);
        volumes.UnionWith(claimVolumes ?? []);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var grace = KubeObject.Long(s["terminationGracePeriodSeconds"]) ?? 30;
        Containers(s["initContainers"], $"{path}.initContainers", volumes, names, errors, required: false, init: true, grace);
        Containers(s["containers"], $"{path}.containers", volumes, names, errors, required: true, init: false, grace);
        EphemeralContainerValidation.Validate(s["ephemeralContainers"], $"{path}.ephemeralContainers", names, errors);

        if (KubeObject.String(s, "restartPolicy") is { } restart)
        {
            var allowed = allowedRestartPolicies ?? RestartPolicies;
            if (!allowed.Contains(restart)) errors.Add(FieldError.Unsupported($"{path}.restartPolicy", restart, allowed));
        }
        if (KubeObject.String(s, "dnsPolicy") is { } dns && !DnsPolicies.Contains(dns))
            errors.Add(FieldError.Unsupported($"{path}.dnsPolicy", dns, DnsPolicies));
        if (KubeObject.Long(s["terminationGracePeriodSeconds"]) is { } g && g < 0)
            errors.Add(FieldError.InvalidRaw($"{path}.terminationGracePeriodSeconds", g.ToString(), "must be greater than or equal to 0"));
        if (KubeObject.Long(s["activeDeadlineSeconds"]) is { } d && d <= 0)
            errors.Add(FieldError.InvalidRaw($"{path}.activeDeadlineSeconds", d.ToString(), "must be greater than or equal to 1"));
        ObjectMetaValidation.Labels(s["nodeSelector"], $"{path}.nodeSelector", errors);
        SchedulingConstraintsValidation.Validate(s, path, errors);
    }

    private static HashSet<string> Volumes(JsonNode? node, string path, List<FieldError> errors)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (node is not JsonArray volumes) return names;
        for (var i = 0; i < volumes.Count; i++)
        {
            var name = KubeObject.String(volumes[i], "name");
            if (string.IsNullOrEmpty(name)) errors.Add(FieldError.RequiredValue($"{path}[{i}].name"));
            else
            {
                foreach (var m in NameValidation.Dns1123Label(name)) errors.Add(FieldError.Invalid($"{path}[{i}].name", name, m));
                if (!names.Add(name)) errors.Add(FieldError.DuplicateValue($"{path}[{i}].name", name));
            }
            PodConfigSourceValidation.Volume(volumes[i] as JsonObject, $"{path}[{i}]", errors);
        }
        return names;
    }

    /// <summary>
    /// validateContainerCommon's first checks, shared by every kind of container: a DNS label name,
    /// unique among <paramref name="names"/> (which it joins), and an image.
    /// </summary>
    internal static void NameAndImage(JsonObject? c, string at, HashSet<string> names, List<FieldError> errors)
    {
        var name = KubeObject.String(c, "name");
        if (string.IsNullOrEmpty(name)) errors.Add(FieldError.RequiredValue($"{at}.name"));
        else
        {
            foreach (var m in NameValidation.Dns1123Label(name)) errors.Add(FieldError.Invalid($"{at}.name", name, m));
            if (!names.Add(name)) errors.Add(FieldError.DuplicateValue($"{at}.name", name));
        }
        if (string.IsNullOrWhiteSpace(KubeObject.String(c, "image"))) errors.Add(FieldError.RequiredValue($"{at}.image"));
    }

    private static void Containers(JsonNode? node, string path, HashSet<string> volumes, HashSet<string> names, List<FieldError> errors, bool required,
        bool init, long gracePeriod)
    {
        if (node is not JsonArray containers || containers.Count == 0)
        {
            if (required) errors.Add(FieldError.RequiredValue(path));
            return;
        }
        for (var i = 0; i < containers.Count; i++)
        {
            var c = containers[i] as JsonObject;
            var at = $"{path}[{i}]";
            NameAndImage(c, at, names, errors);
            if (KubeObject.String(c, "imagePullPolicy") is { } pull && !PullPolicies.Contains(pull))
                errors.Add(FieldError.Unsupported($"{at}.imagePullPolicy", pull, PullPolicies));
            Ports(c?["ports"], $"{at}.ports", errors);
            Mounts(c?["volumeMounts"], $"{at}.volumeMounts", volumes, errors);
            PodConfigSourceValidation.Container(c, at, errors);
            Resources(c?["resources"], $"{at}.resources", errors);
            ContainerHandlerValidation.Container(c, at, init, sidecar: init && KubeObject.String(c, "restartPolicy") == "Always", gracePeriod, errors);
        }
    }

    private static void Ports(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is not JsonArray ports) return;
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var number = KubeObject.Long(port?["containerPort"]) ?? 0;
            if (number is < 1 or > 65535)
                errors.Add(FieldError.InvalidRaw($"{path}[{i}].containerPort", number.ToString(), "must be between 1 and 65535, inclusive"));
            if (KubeObject.String(port, "protocol") is { } protocol && !Protocols.Contains(protocol))
                errors.Add(FieldError.Unsupported($"{path}[{i}].protocol", protocol, Protocols));
            if (KubeObject.String(port, "name") is { Length: > 0 } name && (name.Length > 15 || !name.Any(char.IsAsciiLetter)))
                errors.Add(FieldError.Invalid($"{path}[{i}].name", name, "must be no more than 15 characters and contain at least one letter (a-z)"));
        }
    }

    private static void Mounts(JsonNode? node, string path, HashSet<string> volumes, List<FieldError> errors)
    {
        if (node is not JsonArray mounts) return;
        for (var i = 0; i < mounts.Count; i++)
        {
            var name = KubeObject.String(mounts[i], "name");
            if (string.IsNullOrEmpty(name)) errors.Add(FieldError.RequiredValue($"{path}[{i}].name"));
            else if (!volumes.Contains(name)) errors.Add(FieldError.NotFoundValue($"{path}[{i}].name", name));
            if (string.IsNullOrEmpty(KubeObject.String(mounts[i], "mountPath"))) errors.Add(FieldError.RequiredValue($"{path}[{i}].mountPath"));
            PodConfigSourceValidation.SubPath(mounts[i] as JsonObject, $"{path}[{i}]", errors);
        }
    }

    /// <summary>Quantities parse, and a request never exceeds its limit.</summary>
    private static void Resources(JsonNode? node, string path, List<FieldError> errors)
    {
        var limits = Quantities(node?["limits"], $"{path}.limits", errors);
        var requests = Quantities(node?["requests"], $"{path}.requests", errors);
        foreach (var (resource, (text, value)) in requests)
            if (limits.TryGetValue(resource, out var limit) && value > limit.Value)
                errors.Add(FieldError.Invalid($"{path}.requests", text, $"must be less than or equal to {resource} limit of {limit.Text}"));
    }

    private static Dictionary<string, (string Text, decimal Value)> Quantities(JsonNode? node, string path, List<FieldError> errors)
    {
        var result = new Dictionary<string, (string, decimal)>(StringComparer.Ordinal);
        if (node is not JsonObject map) return result;
        foreach (var (resource, value) in map)
        {
            var text = KubeObject.ScalarText(value) ?? "";
            try
            {
                var parsed = new ResourceQuantity(text).ToDecimal();
                if (parsed < 0) errors.Add(FieldError.Invalid($"{path}.{resource}", text, "must be greater than or equal to 0"));
                result[resource] = (text, parsed);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
            {
                errors.Add(FieldError.Invalid($"{path}.{resource}", text, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
            }
        }
        return result;
    }
}

using System.Text;
using Akka.KubeEmu.Actors.Node.Shared;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>
/// The downward API as the kubelet resolves it for env (podFieldSelectorRuntimeValue,
/// containerResourceRuntimeValue) and for downwardAPI volumes (fieldpath.ExtractFieldPathAsString,
/// resource.ExtractResourceValueByContainerName): pod fields, and a container's requests and
/// limits in units of a divisor, limits defaulting to the node's allocatable.
/// </summary>
public static class DownwardApi
{
    /// <summary>The value of a fieldRef; null for a path the kubelet does not know (validation refuses those).</summary>
    public static string? FieldValue(PodModel pod, string path, string? podIp, string hostIp)
    {
        switch (path)
        {
            case "metadata.name": return pod.Name;
            case "metadata.namespace": return pod.Namespace;
            case "metadata.uid": return pod.Uid;
            case "metadata.labels": return FormatMap(pod.Labels);
            case "metadata.annotations": return FormatMap(pod.AnnotationMap);
            case "spec.nodeName": return pod.NodeName;
            case "spec.serviceAccountName": return pod.ServiceAccountName;
            case "status.podIP" or "status.podIPs": return podIp ?? "";
            case "status.hostIP" or "status.hostIPs": return hostIp;
        }
        if (Subscript(path, "metadata.labels") is { } label) return pod.Labels.GetValueOrDefault(label, "");
        if (Subscript(path, "metadata.annotations") is { } annotation) return pod.AnnotationMap.GetValueOrDefault(annotation, "");
        return null;
    }

    /// <summary>
    /// A container's resource in units of the divisor, rounded up (cpu "1": whole cores, so 250m is 1);
    /// a limit not set is the node's allocatable. Error: the kubelet's message.
    /// </summary>
    public static (string? Value, string? Error) ResourceValue(ContainerModel container, ResourceFieldRef field, NodeCapacity node)
    {
        var divisorText = string.IsNullOrEmpty(field.Divisor) ? "1" : field.Divisor;
        string? quantity = field.Resource switch
        {
            "limits.cpu" => container.Limits.GetValueOrDefault("cpu") ?? node.Cpu,
            "limits.memory" => container.Limits.GetValueOrDefault("memory") ?? node.Memory,
            "limits.ephemeral-storage" => container.Limits.GetValueOrDefault("ephemeral-storage") ?? node.EphemeralStorage,
            "requests.cpu" => container.Requests.GetValueOrDefault("cpu") ?? "0",
            "requests.memory" => container.Requests.GetValueOrDefault("memory") ?? "0",
            "requests.ephemeral-storage" => container.Requests.GetValueOrDefault("ephemeral-storage") ?? "0",
            _ => null,
        };
        if (quantity is null) return (null, $"unsupported container resource : {field.Resource}");
        if (field.Resource.EndsWith(".cpu", StringComparison.Ordinal))
        {
            var milli = Quantities.MilliValue(quantity) ?? 0;
            var divisor = Quantities.MilliValue(divisorText) is > 0 and var d ? d : 1000;
            return (((long)Math.Ceiling((double)milli / divisor)).ToString(), null);
        }
        var value = Quantities.Value(quantity) ?? 0;
        var by = Quantities.Value(divisorText) is > 0 and var v ? v : 1;
        return (((long)Math.Ceiling((double)value / by)).ToString(), null);
    }

    /// <summary>fieldpath.FormatMap: key="value" lines sorted by key, values quoted as Go's %q does.</summary>
    public static string FormatMap(IReadOnlyDictionary<string, string> map)
    {
        var sb = new StringBuilder();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(key).Append('=').Append(GoQuote(map[key]));
        }
        return sb.ToString();
    }

    private static string GoQuote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }

    /// <summary>metadata.labels['app'] -> app.</summary>
    private static string? Subscript(string path, string prefix) =>
        path.Length > prefix.Length + 4 && path.StartsWith(prefix + "['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal)
            ? path[(prefix.Length + 2)..^2]
            : null;
}

using System.Text;
using Akka.KubeEmu.Actors.Node.Services;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>
/// The environment a container's process starts with, as the kubelet and the image make it:
/// the image's PATH and HOME, HOSTNAME, the Services' variables (see Node/Services), then the container's
/// env in order, with fieldRefs resolved and $(NAME) references to earlier entries expanded
/// (kubelet's expansion: $$ escapes, an unknown reference stays as written).
/// </summary>
public static class ContainerEnvironment
{
    /// <param name="services">The Services' variables the kubelet computed when the container started; none known: the kubernetes Service's defaults.</param>
    public static Dictionary<string, string> For(PodModel pod, ContainerModel container, string? podIp, string hostIp,
        IReadOnlyList<KeyValuePair<string, string>> services)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOSTNAME"] = pod.Hostname,
            ["HOME"] = "/root",
        };
        foreach (var (name, value) in services.Count > 0 ? services : KubernetesServiceDefaults) env[name] = value;
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in container.Env)
        {
            if (e.Name.Length == 0) continue;
            string? value = e.FieldPath is { } field ? Field(pod, field, podIp, hostIp) : Expand(e.Value ?? "", declared);
            if (value is null) continue;
            env[e.Name] = value;
            declared[e.Name] = value;
        }
        return env;
    }

    /// <summary>
    /// The variables of the kubernetes Service as every cluster starts with it (first IP of the
    /// default service range, https on 443), for a node that has not seen the Services yet.
    /// </summary>
    private static readonly KeyValuePair<string, string>[] KubernetesServiceDefaults = ServiceEnvVars.FromService(new V1Service
    {
        Metadata = new V1ObjectMeta { Name = "kubernetes", NamespaceProperty = "default" },
        Spec = new V1ServiceSpec { ClusterIP = "10.96.0.1", Ports = [new V1ServicePort { Name = "https", Port = 443, Protocol = "TCP" }] },
    }).ToArray();

    /// <summary>The container's command and args with $(NAME) expanded from its env.</summary>
    public static IReadOnlyList<string> ExpandAll(IReadOnlyList<string> words, IReadOnlyDictionary<string, string> env) =>
        words.Any(w => w.Contains("$(", StringComparison.Ordinal)) ? words.Select(w => Expand(w, env)).ToArray() : words;

    private static string? Field(PodModel pod, string path, string? podIp, string hostIp) => path switch
    {
        "metadata.name" => pod.Name,
        "metadata.namespace" => pod.Namespace,
        "metadata.uid" => pod.Uid,
        "spec.nodeName" => pod.NodeName,
        "spec.serviceAccountName" => pod.ServiceAccountName,
        "status.podIP" or "status.podIPs" => podIp ?? "",
        "status.hostIP" or "status.hostIPs" => hostIp,
        _ => null,
    };

    public static string Expand(string text, IReadOnlyDictionary<string, string> env)
    {
        if (!text.Contains('$')) return text;
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }
            if (text[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }
            if (text[i + 1] == '(' && text.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = text[(i + 2)..close];
                if (env.TryGetValue(name, out var value))
                {
                    sb.Append(value);
                    i = close;
                    continue;
                }
            }
            sb.Append('$');
        }
        return sb.ToString();
    }
}

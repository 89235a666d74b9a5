using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Services;

/// <summary>
/// pkg/kubelet/envvars FromServices and the kubelet's getServiceEnvVarMap: the Docker-link style
/// variables of the Services a container sees when it starts. Those of its namespace's Services with a
/// cluster IP (unless enableServiceLinks is false), and always the default/kubernetes Service's.
/// </summary>
public static class ServiceEnvVars
{
    private static readonly HashSet<string> MasterServices = ["kubernetes"];

    /// <summary>The variables, in the order the kubelet builds them (Services by name).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> For(string podNamespace, bool enableServiceLinks, IEnumerable<V1Service> services)
    {
        var chosen = new Dictionary<string, V1Service>(StringComparer.Ordinal);
        foreach (var service in services)
        {
            if (!HasClusterIp(service)) continue;
            var name = service.Metadata.Name;
            if (service.Metadata.NamespaceProperty == "default" && MasterServices.Contains(name)) chosen.TryAdd(name, service);
            else if (service.Metadata.NamespaceProperty == podNamespace && enableServiceLinks) chosen[name] = service;
        }
        var result = new List<KeyValuePair<string, string>>();
        foreach (var service in chosen.Values.OrderBy(s => s.Metadata.Name, StringComparer.Ordinal)) result.AddRange(FromService(service));
        return result;
    }

    /// <summary>One Service's variables: _SERVICE_HOST, _SERVICE_PORT (and one per named port), then the link variables.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FromService(V1Service service)
    {
        var prefix = VariableName(service.Metadata.Name);
        var ip = service.Spec.ClusterIP;
        var ports = service.Spec.Ports ?? [];
        yield return new(prefix + "_SERVICE_HOST", ip);
        if (ports.Count == 0) yield break;
        yield return new(prefix + "_SERVICE_PORT", ports[0].Port.ToString());
        foreach (var port in ports.Where(p => !string.IsNullOrEmpty(p.Name)))
            yield return new(prefix + "_SERVICE_PORT_" + VariableName(port.Name), port.Port.ToString());
        for (var i = 0; i < ports.Count; i++)
        {
            var protocol = string.IsNullOrEmpty(ports[i].Protocol) ? "TCP" : ports[i].Protocol;
            var url = $"{protocol.ToLowerInvariant()}://{HostPort(ip, ports[i].Port)}";
            if (i == 0) yield return new(prefix + "_PORT", url);
            var portPrefix = $"{prefix}_PORT_{ports[i].Port}_{protocol.ToUpperInvariant()}";
            yield return new(portPrefix, url);
            yield return new(portPrefix + "_PROTO", protocol.ToLowerInvariant());
            yield return new(portPrefix + "_PORT", ports[i].Port.ToString());
            yield return new(portPrefix + "_ADDR", ip);
        }
    }

    /// <summary>makeEnvVariableName: upper case, dashes as underscores.</summary>
    public static string VariableName(string name) => name.Replace('-', '_').ToUpperInvariant();

    private static bool HasClusterIp(V1Service service) =>
        service.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None";

    // net.JoinHostPort: IPv6 addresses in brackets.
    private static string HostPort(string ip, int port) => ip.Contains(':') ? $"[{ip}]:{port}" : $"{ip}:{port}";
}

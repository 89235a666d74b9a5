using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>
/// Runs one check against the simulated pod (pkg/probe's exec, http, tcp and grpc probers): an
/// exec runs in the container's shell against its files; the network checks look at what the
/// pod's processes listen on (its containers share one network namespace). Failure texts are
/// the kubelet's.
/// </summary>
public static class ProbeRunner
{
    public static (bool Success, string Message) Run(ProbeModel probe, ContainerRecord container, IEnumerable<ContainerRecord> pod, string podIp, DateTimeOffset now)
    {
        switch (probe.Kind)
        {
            case ProbeHandler.Exec:
                if (container.Process is not { } process) return (false, "container not running");
                var result = process.Exec(probe.Command, TimeSpan.FromSeconds(probe.TimeoutSeconds), now);
                if (result.TimedOut) return (false, $"command \"{string.Join(' ', probe.Command)}\" timed out");
                return (result.ExitCode == 0, result.Output.TrimEnd('\n'));
        }
        if (ResolvePort(probe.Port, container.Spec) is not { } port)
            return (false, $"unable to find port \"{probe.Port}\" in container {container.Name}");
        var host = probe.Host ?? podIp;
        var listener = Listener(pod, port);
        var refused = $"dial tcp {host}:{port}: connect: connection refused";
        switch (probe.Kind)
        {
            case ProbeHandler.HttpGet:
                var url = $"{probe.Scheme.ToLowerInvariant()}://{host}:{port}{probe.Path}";
                if (listener is null) return (false, $"Get \"{url}\": {refused}");
                if (!listener.Ports[port]) return (false, $"Get \"{url}\": EOF");
                var status = listener.HttpStatus(probe.Path);
                return status is >= 200 and < 400 ? (true, "") : (false, $"HTTP probe failed with statuscode: {status}");
            case ProbeHandler.TcpSocket:
                return listener is null ? (false, refused) : (true, "");
            default:
                return listener is null
                    ? (false, $"timeout: failed to connect service \"{host}:{port}\" within {probe.TimeoutSeconds}s")
                    : (true, "");
        }
    }

    /// <summary>The running process of the pod that listens on <paramref name="port"/> (its containers share one network namespace).</summary>
    internal static ContainerProcess? Listener(IEnumerable<ContainerRecord> pod, int port) =>
        pod.Select(c => c.Process).FirstOrDefault(p => p is { Exited: false } && p.Ports.ContainsKey(port));

    /// <summary>A port as a probe or hook writes it: a number, or the name of one of the container's ports.</summary>
    internal static int? ResolvePort(string port, ContainerModel container)
    {
        if (int.TryParse(port, out var n)) return n;
        foreach (var (p, name) in container.Ports)
            if (name == port) return p;
        return null;
    }
}

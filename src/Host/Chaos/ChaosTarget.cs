using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Host.StateDirectory;
using k8s;

namespace Akka.KubeEmu.Host.Chaos;

/// <summary>
/// What a chaos command acts on: a process of the state directory named as in processes.json
/// (node-2, control-plane), or a Node, which resolves to the process hosting it through the
/// kubeemu.io/akka-address annotation its kubelet publishes (hollow nodes share one process).
/// </summary>
public static class ChaosTarget
{
    public static async Task<ProcessRecord?> Resolve(string stateDir, string name, TextWriter output)
    {
        var records = Known(stateDir);
        if (records.FirstOrDefault(r => r.Name == name) is { } byName) return byName;

        string? address = null;
        var kubeconfig = Path.Combine(stateDir, "kubeconfig");
        if (File.Exists(kubeconfig))
        {
            try
            {
                using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
                var node = await client.CoreV1.ReadNodeAsync(name);
                node.Metadata.Annotations?.TryGetValue(NodeObject.AkkaAddressAnnotation, out address);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // no such Node either
            }
            catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or TaskCanceledException)
            {
                output.WriteLine($"no process named {name}, and the API server could not tell which process hosts a Node of that name: {e.Message}");
                return null;
            }
        }
        if (address is not null && records.FirstOrDefault(r => r.AkkaAddress == address) is { } host)
        {
            output.WriteLine($"Node {name} is hosted by process {host.Name}");
            return host;
        }
        output.WriteLine($"no process or Node named {name} in {stateDir}; processes: {string.Join(", ", records.Select(r => r.Name))}");
        return null;
    }

    /// <summary>The processes of processes.json, and those that left through `chaos leave` (to restart them).</summary>
    public static IReadOnlyList<ProcessRecord> Known(string stateDir) =>
        ProcessesFile.FromRunFiles(stateDir).Concat(ProcessesFile.Read(stateDir)).Concat(LeftProcesses.Read(stateDir))
            .GroupBy(r => r.Name).Select(g => g.First()).ToArray();
}

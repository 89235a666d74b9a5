using System.Net.Sockets;
using Akka.KubeEmu.Host.Startup;

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>The ports `up` gives its control planes, or why it cannot start.</summary>
/// <param name="ApiPort">The first control plane's API port (the one the kubeconfig names).</param>
/// <param name="AkkaPort">The first control plane's Akka port (every process's first seed).</param>
/// <param name="MoreControlPlanes">API and Akka ports of the second control plane on.</param>
public sealed record PortChoice(int ApiPort, int AkkaPort, IReadOnlyList<string> Notes, string? Error,
    IReadOnlyList<(int Api, int Akka)>? MoreControlPlanes = null)
{
    /// <summary>Every control plane's ports, the first one's first.</summary>
    public IReadOnlyList<(int Api, int Akka)> ControlPlanes => [(ApiPort, AkkaPort), .. MoreControlPlanes ?? []];

    /// <summary>
    /// A port the user gave must be free, else `up` fails at once naming it and its option; a default
    /// that is taken (another cluster on this machine) is replaced by a free port, and said so.
    /// Ports the user gave are settled first, so a default never takes one of them.
    /// </summary>
    public static PortChoice For(UpOptions options, Func<int, SocketError?> probe, Func<int[], int> anyFree)
    {
        var requests = new[]
        {
            (What: "API", Option: "--api-port", options.ApiPort, Given: options.ApiPortGiven),
            (What: "Akka", Option: "--akka-port", options.AkkaPort, Given: options.AkkaPortGiven),
        };
        var chosen = new Dictionary<string, int>();
        var notes = new List<string>();
        foreach (var (what, option, port, given) in requests.OrderByDescending(r => r.Given))
        {
            var clash = chosen.ContainsValue(port);
            var error = clash ? SocketError.AddressAlreadyInUse : probe(port);
            if (error is null)
            {
                chosen[what] = port;
            }
            else if (given)
            {
                return new PortChoice(0, 0, notes, clash
                    ? $"--api-port and --akka-port are both {port}: give them different ports"
                    : LocalPorts.Cannot(what, "127.0.0.1", port, option, error.Value));
            }
            else
            {
                chosen[what] = anyFree(chosen.Values.ToArray());
                notes.Add($"{what} port {port} is in use; using {chosen[what]} ({option} to choose)");
            }
        }
        return new PortChoice(chosen["API"], chosen["Akka"], notes, null, MorePorts(options, chosen, probe, anyFree, notes));
    }

    /// <summary>
    /// Control plane i (from 2) takes the first one's ports plus i-1 when they are free, else any
    /// free port: these were never asked for, so they are replaced without failing.
    /// </summary>
    private static IReadOnlyList<(int Api, int Akka)> MorePorts(UpOptions options, Dictionary<string, int> chosen,
        Func<int, SocketError?> probe, Func<int[], int> anyFree, List<string> notes)
    {
        var taken = chosen.Values.ToList();
        int Take(string what, int wanted, int index)
        {
            var port = !taken.Contains(wanted) && probe(wanted) is null ? wanted : anyFree(taken.ToArray());
            if (port != wanted) notes.Add($"{what} port {wanted} for {ControlPlaneNames.Of(index)} is in use; using {port}");
            taken.Add(port);
            return port;
        }
        return Enumerable.Range(2, Math.Max(0, options.ControlPlanes - 1))
            .Select(i => (Take("API", chosen["API"] + i - 1, i), Take("Akka", chosen["Akka"] + i - 1, i)))
            .ToArray();
    }
}

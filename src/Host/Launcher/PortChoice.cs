using System.Net.Sockets;
using Akka.KubeEmu.Host.Startup;

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>The ports `up` gives its control plane, or why it cannot start.</summary>
public sealed record PortChoice(int ApiPort, int AkkaPort, IReadOnlyList<string> Notes, string? Error)
{
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
        return new PortChoice(chosen["API"], chosen["Akka"], notes, null);
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// CoreDNS 1.11.3 (registry.k8s.io/coredns/coredns, entrypoint /coredns), as kubeadm runs it with
/// `-conf /etc/coredns/Corefile`: it reads the Corefile, prints each server block's zone and port, the
/// reload plugin's SHA512 of the configuration, its version and build, and listens where the Corefile
/// says: DNS on the block's port (53), health on :8080, ready on :8181, prometheus on :9153. The HTTP
/// answers are <see cref="Network.Http.SimulatedHttpServer"/>'s; names are answered by the node's
/// cluster DNS, not by this program. A -conf file that does not exist is fatal (exit 1).
/// </summary>
internal static class CoreDns
{
    public const string Version = "CoreDNS-1.11.3";
    public const string Build = "linux/amd64, go1.21.11, a6338e9";

    // Without a Corefile (no -conf, none in the working directory) CoreDNS serves its default: whoami on .:53.
    private const string DefaultCorefile = ".:53 {\n    whoami\n    log\n}\n";

    public static IEnumerable<ProcessStep> Run(ShellInterpreter shell, string[] argv)
    {
        var args = argv.Length > 0 && Path.GetFileName(argv[0]) == "coredns" ? argv[1..] : argv;
        var conf = GoProgram.Flags(args).GetValueOrDefault("conf");
        var corefile = conf is null ? shell.Host.Files.Read("Corefile") ?? DefaultCorefile : shell.Host.Files.Read(conf);
        if (corefile is null)
        {
            GoProgram.Log(shell, $"open {conf}: no such file or directory");
            shell.Status = 1;
            return [];
        }
        var plugins = new List<(string Name, string? Argument)>();
        foreach (var block in Blocks(corefile))
        {
            var port = Port(block.Key, 53);
            shell.Host.Listen(port, http: false);
            shell.Stdout.Write(Zone(block.Key) + ":" + port.ToString(CultureInfo.InvariantCulture) + "\n");
            plugins.AddRange(block.Plugins);
        }
        foreach (var (name, argument) in plugins)
        {
            switch (name)
            {
                case "health": shell.Host.Listen(Port(argument, 8080), http: true); break;
                case "ready": shell.Host.Listen(Port(argument, 8181), http: true); break;
                case "prometheus": shell.Host.Listen(Port(argument, 9153), http: true); break;
            }
        }
        if (plugins.Any(p => p.Name == "reload"))
            shell.Stdout.Write("[INFO] plugin/reload: Running configuration SHA512 = "
                + Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(corefile))) + "\n");
        shell.Stdout.Write(Version + "\n" + Build + "\n");
        return Serve();
    }

    private static IEnumerable<ProcessStep> Serve()
    {
        yield return ProcessStep.Block.Instance;
    }

    /// <summary>A server block: its key (`.:53`) and the plugins directly inside, with their first argument.</summary>
    private sealed record Block(string Key, List<(string Name, string? Argument)> Plugins);

    private static IEnumerable<Block> Blocks(string corefile)
    {
        var depth = 0;
        Block? current = null;
        foreach (var raw in corefile.Split('\n'))
        {
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            var words = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (depth == 0 && words[0] != "{" && words[0] != "}")
            {
                if (current is not null) yield return current;
                current = new Block(words[0].TrimEnd(','), []);
            }
            else if (depth == 1 && current is not null && words[0] != "}")
                current.Plugins.Add((words[0], words.Length > 1 && words[1] != "{" ? words[1] : null));
            depth += line.Count(c => c == '{') - line.Count(c => c == '}');
        }
        if (current is not null) yield return current;
    }

    // `.:53` and `cluster.local:53` print as `.:53` and `cluster.local.:53`; dns:// prefixes go.
    private static string Zone(string key)
    {
        var zone = key.Replace("dns://", "", StringComparison.Ordinal);
        var colon = zone.LastIndexOf(':');
        if (colon >= 0) zone = zone[..colon];
        return zone.EndsWith('.') ? zone : zone + ".";
    }

    // `:8080`, `localhost:9153`, `.:53`: the number after the last colon; none: the plugin's default.
    private static int Port(string? address, int fallback)
    {
        if (address is null) return fallback;
        var colon = address.LastIndexOf(':');
        return colon >= 0 && int.TryParse(address[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) ? port : fallback;
    }
}

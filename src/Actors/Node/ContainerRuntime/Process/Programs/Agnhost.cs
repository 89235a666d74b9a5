using System.Globalization;
using Akka.KubeEmu.Actors.Node.Network.Udp;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// agnhost, the Kubernetes e2e tests' image (registry.k8s.io/e2e-test-images/agnhost), whose entrypoint
/// takes a subcommand: `netexec` serves HTTP on --http-port (8080) and UDP on --udp-port (8081; -1: none);
/// `serve-hostname` answers its hostname on --port (9376), over HTTP unless --http=false, over UDP with
/// --udp. Null: not one of these subcommands (the image's other programs stay opaque).
/// </summary>
internal static class Agnhost
{
    public static IEnumerable<ProcessStep>? Run(ShellInterpreter shell, string[] argv)
    {
        var args = argv.Length > 0 && Path.GetFileName(argv[0]) == "agnhost" ? argv[1..] : argv;
        if (args.Length == 0) return null;
        var flags = GoProgram.Flags(args[1..]);
        switch (args[0])
        {
            case "netexec":
                var http = Int(flags, "http-port", 8080);
                var udp = Int(flags, "udp-port", 8081);
                shell.Host.Listen(http, http: true);
                if (udp != -1) shell.Host.ListenUdp(udp, UdpServer.Netexec);
                // Go's log package: the UDP server's address is "" (any), hence the two spaces.
                GoProgram.Log(shell, $"Started HTTP server on port {http}");
                if (udp != -1) GoProgram.Log(shell, $"Started UDP server on port  {udp}");
                return Serve();
            case "serve-hostname":
                var port = Int(flags, "port", 9376);
                if (Bool(flags, "http", true)) shell.Host.Listen(port, http: true);
                if (Bool(flags, "udp", false)) shell.Host.ListenUdp(port, UdpServer.ServeHostname);
                GoProgram.Log(shell, $"Serving on port {port}.");
                return Serve();
            default:
                return null;
        }
    }

    private static IEnumerable<ProcessStep> Serve()
    {
        yield return ProcessStep.Block.Instance;
    }

    private static int Int(Dictionary<string, string> flags, string name, int fallback) =>
        flags.TryGetValue(name, out var v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : fallback;

    private static bool Bool(Dictionary<string, string> flags, string name, bool fallback) =>
        flags.TryGetValue(name, out var v) && bool.TryParse(v, out var b) ? b : fallback;
}

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>One process `up` starts: its name, role and full command line.</summary>
public sealed record PlannedProcess(string Name, string Role, IReadOnlyList<string> Command);

/// <summary>The command lines of a cluster's processes, all running this same executable.</summary>
public static class LaunchPlan
{
    /// <summary>How to run this executable again: the apphost, or `dotnet kubeemu.dll`.</summary>
    public static IReadOnlyList<string> Self()
    {
        var processPath = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? [processPath, Path.GetFullPath(Environment.GetCommandLineArgs()[0])]
            : [processPath];
    }

    /// <param name="controlPlanes">The (API, Akka) ports of each control plane; by default one, on the options' ports.</param>
    public static IReadOnlyList<PlannedProcess> For(UpOptions options, string stateDir, IReadOnlyList<string> self,
        IReadOnlyList<(int Api, int Akka)>? controlPlanes = null)
    {
        controlPlanes ??= [(options.ApiPort, options.AkkaPort)];
        // Every process knows every control plane as a seed, so it can (re)join while any one is up.
        var seeds = controlPlanes.SelectMany(p => new[] { "--seed", $"127.0.0.1:{p.Akka}" }).ToArray();
        var plan = new List<PlannedProcess>();
        for (var i = 0; i < controlPlanes.Count; i++)
        {
            var name = ControlPlaneNames.Of(i + 1);
            var (api, akka) = controlPlanes[i];
            plan.Add(new PlannedProcess(name, "control-plane", self.Concat(new List<string>
            {
                "control-plane", "--name", name, "--state-dir", stateDir,
                "--api-port", api.ToString(), "--akka-port", akka.ToString(),
                "--profile", options.Profile, "--store", options.Store, "--sqlite-synchronous", options.SqliteSynchronous,
                "--token-file", Path.Combine(stateDir, "token"),
            })
                // The first control plane founds the cluster (restarted, it rejoins the members it
                // remembers); the others join through any control plane but themselves.
                .Concat(i == 0 ? [] : seeds.Chunk(2).Where((_, j) => j != i).SelectMany(s => s))
                .Concat(i == 0 ? [] : ["--no-kubeconfig"])
                .Concat(options.ConnectionString is null ? [] : ["--connection-string", options.ConnectionString]).Concat(Config(options)).ToArray()));
        }
        for (var i = 1; i <= options.Nodes; i++)
            plan.Add(new PlannedProcess($"node-{i}", "node", self.Concat(new[]
            {
                "node", "--name", $"node-{i}", "--state-dir", stateDir,
            }).Concat(seeds).Concat(["--profile", options.Profile]).Concat(Config(options)).ToArray()));
        return plan;
    }

    private static IEnumerable<string> Config(UpOptions options) =>
        options.ConfigFile is null ? [] : ["--config", Path.GetFullPath(options.ConfigFile)];
}

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

    public static IReadOnlyList<PlannedProcess> For(UpOptions options, string stateDir, IReadOnlyList<string> self)
    {
        var controlPlane = self.Concat(new List<string>
        {
            "control-plane", "--name", "control-plane", "--state-dir", stateDir,
            "--api-port", options.ApiPort.ToString(), "--akka-port", options.AkkaPort.ToString(),
            "--profile", options.Profile, "--store", options.Store, "--sqlite-synchronous", options.SqliteSynchronous,
            "--token-file", Path.Combine(stateDir, "token"),
        }).Concat(options.ConnectionString is null ? [] : ["--connection-string", options.ConnectionString]).Concat(Config(options)).ToArray();
        var plan = new List<PlannedProcess> { new("control-plane", "control-plane", controlPlane) };
        for (var i = 1; i <= options.Nodes; i++)
            plan.Add(new PlannedProcess($"node-{i}", "node", self.Concat(new[]
            {
                "node", "--name", $"node-{i}", "--state-dir", stateDir, "--seed", $"127.0.0.1:{options.AkkaPort}", "--profile", options.Profile,
            }).Concat(Config(options)).ToArray()));
        return plan;
    }

    private static IEnumerable<string> Config(UpOptions options) =>
        options.ConfigFile is null ? [] : ["--config", Path.GetFullPath(options.ConfigFile)];
}

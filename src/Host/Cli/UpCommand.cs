using System.CommandLine;
using Akka.KubeEmu.Host.Launcher;

namespace Akka.KubeEmu.Host.Cli;

public static class UpCommand
{
    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = "Number of node processes.", DefaultValueFactory = _ => 3 };
        var controlPlanes = new Option<int>("--control-planes")
        {
            Description = "Number of control-plane processes, each serving the API on its own port (from --api-port on); the Store, scheduler and controllers move to another when the one running them fails.",
            DefaultValueFactory = _ => 1,
        };
        controlPlanes.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 7) r.AddError("--control-planes must be between 1 and 7");
        });
        var stateDir = CommonOptions.StateDir();
        var apiPort = new Option<int>("--api-port") { Description = "API server port (HTTPS on 127.0.0.1); when the default is taken, a free one.", DefaultValueFactory = _ => 6443 };
        var akkaPort = new Option<int>("--akka-port") { Description = "Akka.Remote port of the control plane (the seed node); when the default is taken, a free one.", DefaultValueFactory = _ => 4053 };
        var profile = CommonOptions.Profile();
        var store = new Option<string>("--store") { Description = "Where the Store journals: sqlite (in the state dir) or postgres.", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string?>("--connection-string") { Description = "PostgreSQL connection string (with --store postgres)." };
        var synchronous = CommonOptions.SqliteSynchronous();
        var detach = new Option<bool>("--detach") { Description = "Return once all nodes are Ready and leave the cluster running (stop it with `kubeemu down`)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for the cluster to be Ready.", DefaultValueFactory = _ => 90 };
        var config = CommonOptions.Config();
        config.Description = "A HOCON file every process of the cluster reads over its defaults and timing profile (e.g. kubeemu.downing.stable-after = 60s).";

        var command = new Command("up", "Start a cluster: control-plane process(es) and N node processes; Ctrl-C stops it.")
        {
            nodes, controlPlanes, stateDir, apiPort, akkaPort, profile, store, connection, synchronous, detach, timeout, config,
        };
        command.SetAction((r, ct) =>
        {
            if (r.GetValue(store) == "postgres" && string.IsNullOrEmpty(r.GetValue(connection)))
            {
                Console.Error.WriteLine("--store postgres needs --connection-string");
                return Task.FromResult(2);
            }
            if (r.GetValue(config) is { } file && !File.Exists(file))
            {
                Console.Error.WriteLine($"--config {file}: no such file");
                return Task.FromResult(2);
            }
            return new ClusterLauncher(new UpOptions
            {
                Nodes = r.GetValue(nodes),
                ControlPlanes = r.GetValue(controlPlanes),
                StateDir = r.GetValue(stateDir)!,
                ApiPort = r.GetValue(apiPort),
                AkkaPort = r.GetValue(akkaPort),
                ApiPortGiven = r.GetResult(apiPort) is { Implicit: false },
                AkkaPortGiven = r.GetResult(akkaPort) is { Implicit: false },
                Profile = r.GetValue(profile)!,
                Store = r.GetValue(store)!,
                ConnectionString = r.GetValue(connection),
                SqliteSynchronous = r.GetValue(synchronous)!,
                Detach = r.GetValue(detach),
                ReadyTimeout = TimeSpan.FromSeconds(r.GetValue(timeout)),
                ConfigFile = r.GetValue(config),
            }, Console.Out).Up(ct);
        });
        return command;
    }
}

using System.CommandLine;
using Akka.KubeEmu.Host.ControlPlane;
using Akka.KubeEmu.Host.Startup;

namespace Akka.KubeEmu.Host.Cli;

public static class ControlPlaneCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Process name (for run files and processes.json).", DefaultValueFactory = _ => "control-plane" };
        var stateDir = CommonOptions.StateDir();
        var apiAddress = new Option<string>("--api-address") { Description = "Address the API server binds to.", DefaultValueFactory = _ => "127.0.0.1" };
        var apiPort = new Option<int>("--api-port") { Description = "API server port.", DefaultValueFactory = _ => 6443 };
        var hostname = CommonOptions.Hostname();
        var publicHostname = CommonOptions.PublicHostname();
        var akkaPort = new Option<int>("--akka-port") { Description = "Akka.Remote port of this process (without --seed it founds the cluster).", DefaultValueFactory = _ => 4053 };
        var seeds = CommonOptions.Seeds("Seed nodes (host:port) to join, e.g. the other control planes; without any, this process founds the cluster.");
        var profile = CommonOptions.Profile();
        var store = new Option<string>("--store") { Description = "Where the Store journals: sqlite (in the state dir) or postgres.", DefaultValueFactory = _ => "sqlite" };
        store.AcceptOnlyFromAmong("sqlite", "postgres");
        var connection = new Option<string?>("--connection-string") { Description = "PostgreSQL connection string (with --store postgres)." };
        var synchronous = CommonOptions.SqliteSynchronous();
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the API bearer token (default: <state-dir>/token, created if missing)." };
        var config = CommonOptions.Config();
        var clusterId = CommonOptions.ClusterId();
        var noKubeconfig = new Option<bool>("--no-kubeconfig")
        {
            Description = "Leave the state directory's kubeconfig alone (the other control planes of a cluster: the kubeconfig names the first).",
        };

        var command = new Command("control-plane", "Run one control-plane process: API server, Store, Scheduler, controllers.")
        {
            name, stateDir, apiAddress, apiPort, hostname, publicHostname, akkaPort, seeds, profile, store, connection, synchronous, tokenFile, config, clusterId, noKubeconfig,
        };
        command.SetAction((r, ct) => StartupFailure.Report(() => ControlPlaneProcess.Run(new ControlPlaneSettings
        {
            Name = r.GetValue(name)!,
            StateDir = r.GetValue(stateDir)!,
            ApiAddress = r.GetValue(apiAddress)!,
            ApiPort = r.GetValue(apiPort),
            Hostname = r.GetValue(hostname)!,
            PublicHostname = r.GetValue(publicHostname),
            AkkaPort = r.GetValue(akkaPort),
            Seeds = r.GetValue(seeds) ?? [],
            Profile = r.GetValue(profile)!,
            Store = r.GetValue(store)!,
            ConnectionString = r.GetValue(connection),
            SqliteSynchronous = CommonOptions.ParseSynchronous(r.GetValue(synchronous)!),
            TokenFile = r.GetValue(tokenFile),
            ConfigFile = r.GetValue(config),
            ClusterId = r.GetValue(clusterId),
            WriteKubeconfig = !r.GetValue(noKubeconfig),
        }, ct)));
        return command;
    }
}

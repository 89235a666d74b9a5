using System.CommandLine;
using Akka.KubeEmu.Host.NodeProcess;
using Akka.KubeEmu.Host.Startup;

namespace Akka.KubeEmu.Host.Cli;

public static class NodeCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Node name (the Node object, e.g. node-1).", Required = true };
        var stateDir = CommonOptions.StateDir();
        var seeds = CommonOptions.Seeds("Seed nodes (host:port) to join, usually the control plane's Akka address.");
        seeds.DefaultValueFactory = _ => ["127.0.0.1:4053"];
        var hostname = CommonOptions.Hostname();
        var publicHostname = CommonOptions.PublicHostname();
        var akkaPort = new Option<int>("--akka-port") { Description = "Akka.Remote port (0: any free port).", DefaultValueFactory = _ => 0 };
        var profile = CommonOptions.Profile();
        var virtualNodes = new Option<int>("--virtual-nodes") { Description = "Emulated nodes in this process (hollow nodes: a process failure is a rack failure).", DefaultValueFactory = _ => 1 };
        var config = CommonOptions.Config();
        var clusterId = CommonOptions.ClusterId();

        var command = new Command("node", "Run one node process: NodeAgent and Kubelet for each emulated node, pods as actors.")
        {
            name, stateDir, seeds, hostname, publicHostname, akkaPort, profile, virtualNodes, config, clusterId,
        };
        command.SetAction((r, ct) => StartupFailure.Report(() => NodeProcessHost.Run(new NodeSettings
        {
            Name = r.GetValue(name)!,
            StateDir = r.GetValue(stateDir)!,
            Seeds = r.GetValue(seeds) is { Length: > 0 } s ? s : ["127.0.0.1:4053"],
            Hostname = r.GetValue(hostname)!,
            PublicHostname = r.GetValue(publicHostname),
            AkkaPort = r.GetValue(akkaPort),
            Profile = r.GetValue(profile)!,
            VirtualNodes = r.GetValue(virtualNodes),
            ConfigFile = r.GetValue(config),
            ClusterId = r.GetValue(clusterId),
        }, ct)));
        return command;
    }
}

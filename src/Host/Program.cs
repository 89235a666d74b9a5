using System.CommandLine;
using Akka.KubeEmu.Host.Bench;
using Akka.KubeEmu.Host.Cli;

if (args is ["bench", ..]) LoadGeneratorThreadPool.DoNotSpin();

var root = new RootCommand("KubeEmu: a Kubernetes cluster emulated by an Akka.NET cluster, driven by the real kubectl.")
{
    UpCommand.Create(),
    DownCommand.Create(),
    KubeconfigCommand.Create(),
    ControlPlaneCommand.Create(),
    NodeCommand.Create(),
    BenchCommand.Create(),
    ChaosCommand.Create(),
    CompactCommand.Create(),
};
return await root.Parse(args).InvokeAsync();

using System.CommandLine;
using Akka.KubeEmu.Host.Cli;
using Akka.KubeEmu.Host.Startup;

// Processes that mostly wait do not spin their thread pool (see ThreadPoolSpinning).
ThreadPoolSpinning.Disable();

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

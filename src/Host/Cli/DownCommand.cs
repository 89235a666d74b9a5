using System.CommandLine;
using Akka.KubeEmu.Host.Launcher;

namespace Akka.KubeEmu.Host.Cli;

public static class DownCommand
{
    public static Command Create()
    {
        var stateDir = CommonOptions.StateDir();
        var command = new Command("down", "Stop the cluster started from a state directory (nodes first, then the control plane).") { stateDir };
        command.SetAction((r, _) => ClusterStopper.Down(r.GetValue(stateDir)!, Console.Out));
        return command;
    }
}

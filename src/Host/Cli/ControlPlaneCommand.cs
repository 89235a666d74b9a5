using System.CommandLine;

namespace Akka.KubeEmu.Host.Cli;

public static class ControlPlaneCommand
{
    public static Command Create()
    {
        var command = new Command("control-plane", "Not implemented yet.");
        command.SetAction(_ => 1);
        return command;
    }
}

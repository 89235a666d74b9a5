using System.CommandLine;

namespace Akka.KubeEmu.Host.Cli;

public static class NodeCommand
{
    public static Command Create()
    {
        var command = new Command("node", "Not implemented yet.");
        command.SetAction(_ => 1);
        return command;
    }
}

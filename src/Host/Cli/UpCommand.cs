using System.CommandLine;

namespace Akka.KubeEmu.Host.Cli;

public static class UpCommand
{
    public static Command Create()
    {
        var command = new Command("up", "Not implemented yet.");
        command.SetAction(_ => 1);
        return command;
    }
}

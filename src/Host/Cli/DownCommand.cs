using System.CommandLine;

namespace Akka.KubeEmu.Host.Cli;

public static class DownCommand
{
    public static Command Create()
    {
        var command = new Command("down", "Not implemented yet.");
        command.SetAction(_ => 1);
        return command;
    }
}

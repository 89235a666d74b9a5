using System.CommandLine;

namespace Akka.KubeEmu.Host.Cli;

public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Not implemented yet.");
        command.SetAction(_ => 1);
        return command;
    }
}

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// busybox ps: it takes `aux`, `-ef` and the like and prints the same columns whatever they say.
internal sealed partial class ShellInterpreter
{
    private int Ps(string[] argv)
    {
        _ = argv;
        var lines = new System.Text.StringBuilder("PID   USER     TIME  COMMAND\n");
        var pid = 1;
        foreach (var command in _host.Processes) lines.Append(PsLine(pid++ == 1 ? 1 : pid + 5, command));
        // ps itself, as the runtime numbers an exec'd process: after the container's own.
        lines.Append(PsLine(pid + 6, "ps " + string.Join(' ', argv)));
        Stdout.Write(lines.ToString().Replace(" \n", "\n"));
        return 0;
    }

    private static string PsLine(int pid, string command) => $"{pid,5} root      0:00 {command}\n";
}

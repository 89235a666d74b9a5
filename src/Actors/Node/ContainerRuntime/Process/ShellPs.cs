namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// busybox ps: it takes `aux`, `-ef` and the like and prints the same columns whatever they say.
internal sealed partial class ShellInterpreter
{
    private int Ps(string[] argv)
    {
        var lines = new System.Text.StringBuilder("PID   USER     TIME  COMMAND\n");
        int pid;
        if (_host.Container?.SharedProcessNamespace is { } pod)
        {
            // One PID namespace for the pod: the sandbox's pause process is PID 1, then every container's
            // processes. An ephemeral container in its target's namespace: the target's program is PID 1.
            pid = 0;
            if (_host.Container.PauseInProcessNamespace)
            {
                lines.Append(PsLine(1, "/pause", user: "65535"));
                pid = 1;
            }
            foreach (var process in pod())
                foreach (var command in ((IShellHost)process).Processes)
                    lines.Append(PsLine(pid = pid == 0 ? 1 : pid + 6, command));
        }
        else
        {
            pid = 1;
            foreach (var command in _host.Processes) lines.Append(PsLine(pid++ == 1 ? 1 : pid + 5, command));
        }
        // ps itself, as the runtime numbers an exec'd process: after the container's own.
        lines.Append(PsLine(pid + 6, "ps " + string.Join(' ', argv)));
        Stdout.Write(lines.ToString().Replace(" \n", "\n"));
        return 0;
    }

    private static string PsLine(int pid, string command, string user = "root") => $"{pid,5} {user,-8} {"0:00",5} {command}\n";
}

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// What a command exec'd into a container (kubectl exec, a probe, a lifecycle hook) can do to the
/// container's main process: `killall`/`pkill` by name (`-0` only asks whether it runs), and the
/// main program's own stop switch (`nginx -s quit`, as the docs' preStop hook uses it). A main
/// process told to stop ends at once, as after a graceful stop; the kubelet sees the container exit.
/// </summary>
internal static class ExecSignals
{
    private static readonly HashSet<string> Killers = ["killall", "pkill"];

    /// <returns>The command's exit status, or null when it is none of these (an opaque program).</returns>
    public static int? Run(ContainerProcess process, string[] argv, DateTimeOffset now, IShellOutput stderr)
    {
        if (argv.Length == 0) return null;
        var program = Path.GetFileName(argv[0]);
        var main = process.MainName;
        if (Killers.Contains(program)) return Kill(process, argv[1..], main, now, stderr);
        // nginx -s quit|stop (the master is told through its pid file): the server stops.
        if (program == main && argv.Length >= 3 && argv[1] == "-s" && argv[2] is "quit" or "stop")
        {
            process.Terminate(0, now);
            return 0;
        }
        return null;
    }

    private static int Kill(ContainerProcess process, string[] args, string? main, DateTimeOffset now, IShellOutput stderr)
    {
        var (signal, names) = Parse(args);
        var status = 0;
        foreach (var name in names)
        {
            if (process.Exited || name != main)
            {
                stderr.Write($"{name}: no process found\n");
                status = 1;
                continue;
            }
            Signal(process, signal, now);
        }
        return status;
    }

    /// <summary>
    /// The shell's `kill [-SIG] PID` from an exec'd command: PID 1 is the container's main program (the
    /// "Configure a Pod to Use a Volume" page kills redis this way and watches the container restart);
    /// `kill -l` and job specs are left to the builtin (null). Other PIDs are gone, in busybox's words.
    /// </summary>
    public static int? KillPid(ContainerProcess process, string[] args, DateTimeOffset now, IShellOutput stderr)
    {
        var (signal, targets) = Parse(args);
        if (targets.Count == 0 || args.Contains("-l") || targets.Any(t => !int.TryParse(t, out _))) return null;
        var status = 0;
        foreach (var pid in targets)
        {
            if (pid == "1" && !process.Exited)
            {
                Signal(process, signal, now);
                continue;
            }
            stderr.Write($"sh: can't kill pid {pid}: No such process\n");
            status = 1;
        }
        return status;
    }

    private static (string Signal, List<string> Targets) Parse(string[] args)
    {
        var signal = "TERM";
        var targets = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "-s" or "--signal" && i + 1 < args.Length) signal = args[++i].ToUpperInvariant().Replace("SIG", "");
            else if (a.StartsWith('-') && a.Length > 1) signal = a[1..].ToUpperInvariant().Replace("SIG", "");
            else targets.Add(a);
        }
        return (signal, targets);
    }

    private static void Signal(ContainerProcess process, string signal, DateTimeOffset now)
    {
        switch (signal)
        {
            case "0": break;
            case "KILL" or "9": process.Terminate(137, now); break;
            // PID 1 gets no default handler: only a program that handles the signal stops.
            default:
                if (process.Image.HandlesSigterm) process.Terminate(process.Image.SigtermExitCode, now);
                break;
        }
    }
}

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

/// <summary>
/// Decides what a container's process does from its command line and its image (see the
/// Node README, "The simulated runtime"): a small vocabulary (`sleep N`, `exit N`, `true`, `false`, `echo`, `sh -c`
/// scripts of these, endless loops) is simulated faithfully; anything else is a program we
/// cannot see, which ends after a short while when it must (init containers, Jobs) and runs
/// until stopped otherwise.
/// </summary>
public static class ContainerProgram
{
    /// <param name="command">The container's command (replaces the image's entrypoint).</param>
    /// <param name="args">The container's args.</param>
    /// <param name="image">The image's catalog entry (defaults when there is no command).</param>
    /// <param name="mustFinish">Init container, or restartPolicy Never/OnFailure.</param>
    /// <param name="stdin">The container keeps stdin open.</param>
    public static ProgramPlan Plan(IReadOnlyList<string> command, IReadOnlyList<string> args, CatalogImage image, bool mustFinish, bool stdin)
    {
        var context = new ProgramContext(mustFinish, stdin);
        // Entrypoint scripts of server images exec their arguments, so args alone are the program too.
        var argv = command.Count > 0 ? command.Concat(args).ToArray() : args.ToArray();
        if (argv.Length > 0) return FromArgv(argv, context);
        if (image.Command is { Count: > 0 } defaultCommand)
            return FromArgv(defaultCommand.ToArray(), context) with
            {
                HandlesSigterm = image.HandlesSigterm,
                SigtermExitCode = image.SigtermExitCode,
            };
        return image.Behaviour == ImageBehaviour.Serve
            ? ProgramPlan.Forever(image.HandlesSigterm, image.SigtermExitCode)
            : new ProgramPlan(TimeSpan.FromSeconds(image.RunSeconds), image.ExitCode, image.HandlesSigterm, image.SigtermExitCode);
    }

    /// <summary>The script of `sh -c script` (flags may be combined: -ec, -xc); null without -c.</summary>
    public static string? ScriptOf(IReadOnlyList<string> shellArgs)
    {
        for (var i = 0; i < shellArgs.Count; i++)
        {
            var a = shellArgs[i];
            if (a == "--" || !a.StartsWith('-')) return null;
            if (!a.StartsWith("--", StringComparison.Ordinal) && a.Contains('c')) return i + 1 < shellArgs.Count ? shellArgs[i + 1] : "";
        }
        return null;
    }

    private static ProgramPlan FromArgv(string[] argv, ProgramContext context)
    {
        try
        {
            if (ShellRun.IsShell(argv[0]) && ScriptOf(argv[1..]) is { } script) return FromScript(script, context);
            return FromCommand(argv, context);
        }
        catch (ShellSyntaxException)
        {
            // "sh: syntax error": the shell exits 2 at once.
            return ProgramPlan.Exits(TimeSpan.Zero, 2);
        }
    }

    private static ProgramPlan FromScript(string script, ProgramContext context)
    {
        var tree = ShellParser.Parse(script);
        // A single command is exec'd by the shell: that command is then PID 1.
        if (tree is ListNode { Items: [(SimpleNode single, false)] }) return FromCommand(single.Words.ToArray(), context);
        var run = new ShellRun(context);
        run.Run(tree);
        var handles = run.TrapsSigterm;
        var sigtermExit = run.TrapExitCode;
        if (run.ExecTarget is { Count: > 0 } exec && !run.TrapsSigterm)
        {
            handles = HandlesSigtermAsPid1(exec[0]);
            sigtermExit = 0;
        }
        return new ProgramPlan(run.Forever ? null : run.Elapsed, run.Status, handles, sigtermExit);
    }

    private static ProgramPlan FromCommand(string[] argv, ProgramContext context)
    {
        var run = new ShellRun(context);
        run.Command(argv);
        return new ProgramPlan(run.Forever ? null : run.Elapsed, run.Status, HandlesSigtermAsPid1(argv[0]), 0);
    }

    /// <summary>Programs we know to install no SIGTERM handler ignore it as PID 1; others (servers, apps) stop.</summary>
    private static bool HandlesSigtermAsPid1(string command) => !ShellRun.IgnoreSigtermAsPid1.Contains(Path.GetFileName(command));
}

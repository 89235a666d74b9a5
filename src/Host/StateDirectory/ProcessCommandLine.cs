namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>The command line that starts this process again, with path options made absolute.</summary>
public static class ProcessCommandLine
{
    private static readonly HashSet<string> PathOptions = ["--state-dir", "--token-file", "--config"];

    public static IReadOnlyList<string> Current()
    {
        var args = Environment.GetCommandLineArgs();
        var processPath = Environment.ProcessPath ?? "dotnet";
        var viaDotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet";
        var command = new List<string> { processPath };
        if (viaDotnet) command.Add(Path.GetFullPath(args[0]));
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            command.Add(arg);
            if (PathOptions.Contains(arg) && i + 1 < args.Length) command.Add(Path.GetFullPath(args[++i]));
        }
        return command;
    }
}

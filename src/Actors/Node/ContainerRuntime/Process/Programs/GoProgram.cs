using System.Globalization;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>What the Go programs of the catalog's images share: their flag parsing and the log package's line prefix.</summary>
internal static class GoProgram
{
    /// <summary>Go's flag and cobra's: -name value, --name value, --name=value; a boolean flag alone is true.</summary>
    public static Dictionary<string, string> Flags(string[] args)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i].TrimStart('-');
            if (a.Length == args[i].Length) continue;
            var eq = a.IndexOf('=');
            if (eq >= 0) result[a[..eq]] = a[(eq + 1)..];
            else if (i + 1 < args.Length && !args[i + 1].StartsWith('-')) result[a] = args[++i];
            else result[a] = "true";
        }
        return result;
    }

    /// <summary>A line of Go's standard logger on stderr: `2006/01/02 15:04:05 text`.</summary>
    public static void Log(ShellInterpreter shell, string text) =>
        shell.Stderr.Write(shell.Host.Now.UtcDateTime.ToString("yyyy/MM/dd HH:mm:ss ", CultureInfo.InvariantCulture) + text + "\n");
}

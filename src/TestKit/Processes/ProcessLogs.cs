namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>The ends of the processes' logs (state-dir/logs/NAME.log), for messages about a failed start.</summary>
internal static class ProcessLogs
{
    public static string Tails(string stateDir, int lines = 15)
    {
        var dir = Path.Combine(stateDir, "logs");
        if (!Directory.Exists(dir)) return "(no logs)";
        return string.Join(Environment.NewLine, Directory.GetFiles(dir, "*.log").Order(StringComparer.Ordinal).Select(path =>
        {
            string tail;
            try { tail = string.Join(Environment.NewLine, File.ReadLines(path).TakeLast(lines)); }
            catch (IOException e) { tail = e.Message; }
            return $"--- {Path.GetFileName(path)}{Environment.NewLine}{tail}";
        }));
    }
}

using System.Text.Json;

namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>
/// <c>&lt;state-dir&gt;/processes.json</c>: every KubeEmu process of the state directory with its
/// name, role, pid, Akka address and the command line that starts it again. Rebuilt from the
/// run files by whoever changes them (a process starting or stopping, the launcher), so it stays
/// current without a supervisor. A killed process keeps its entry: its command is how to restart it.
/// </summary>
public static class ProcessesFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
    private static readonly Lock Lock = new();

    public static string PathIn(string stateDir) => Path.Combine(stateDir, "processes.json");

    public static IReadOnlyList<ProcessRecord> Read(string stateDir)
    {
        try
        {
            return JsonSerializer.Deserialize<ProcessRecord[]>(File.ReadAllText(PathIn(stateDir))) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return [];
        }
    }

    /// <summary>Control plane(s) first, then nodes by name.</summary>
    public static IReadOnlyList<ProcessRecord> FromRunFiles(string stateDir)
    {
        var dir = ProcessRecord.RunDirectory(stateDir);
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.json")
            .Select(ProcessRecord.Read).OfType<ProcessRecord>()
            .OrderBy(r => r.Role == "control-plane" ? 0 : 1).ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToArray();
    }

    public static void Rebuild(string stateDir)
    {
        lock (Lock)
        {
            Directory.CreateDirectory(stateDir);
            var path = PathIn(stateDir);
            var tmp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(FromRunFiles(stateDir), Options));
            File.Move(tmp, path, overwrite: true);
        }
    }
}

using System.Text.Json;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Chaos;

/// <summary>
/// <c>&lt;state-dir&gt;/left/&lt;name&gt;.json</c>: the record of a process that left the cluster
/// gracefully through `chaos leave`. A graceful exit removes the process from processes.json, so
/// this is where `chaos restart` finds its command line; the file goes once it is restarted.
/// </summary>
public static class LeftProcesses
{
    private static string Directory(string stateDir) => Path.Combine(stateDir, "left");

    public static void Remember(string stateDir, ProcessRecord record)
    {
        System.IO.Directory.CreateDirectory(Directory(stateDir));
        File.WriteAllText(Path.Combine(Directory(stateDir), record.Name + ".json"), JsonSerializer.Serialize(record));
    }

    public static void Forget(string stateDir, string name)
    {
        try { File.Delete(Path.Combine(Directory(stateDir), name + ".json")); }
        catch (IOException) { }
    }

    public static IReadOnlyList<ProcessRecord> Read(string stateDir) =>
        System.IO.Directory.Exists(Directory(stateDir))
            ? System.IO.Directory.GetFiles(Directory(stateDir), "*.json").Select(ProcessRecord.Read).OfType<ProcessRecord>().ToArray()
            : [];
}

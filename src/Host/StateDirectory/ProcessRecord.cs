using System.Text.Json;
using System.Text.Json.Serialization;

namespace Akka.KubeEmu.Host.StateDirectory;

/// <summary>
/// What a running KubeEmu process tells the launcher about itself: it writes this file to
/// <c>&lt;state-dir&gt;/run/&lt;name&gt;.json</c> once it has joined the cluster (and, for the
/// control plane, once the API server listens), and deletes it on a graceful exit.
/// </summary>
public sealed record ProcessRecord(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("akkaAddress")] string AkkaAddress,
    [property: JsonPropertyName("apiUrl")] string? ApiUrl,
    [property: JsonPropertyName("command")] IReadOnlyList<string> Command)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string RunDirectory(string stateDir) => Path.Combine(stateDir, "run");

    public static string PathFor(string stateDir, string name) => Path.Combine(RunDirectory(stateDir), name + ".json");

    public void Write(string stateDir)
    {
        Directory.CreateDirectory(RunDirectory(stateDir));
        var path = PathFor(stateDir, Name);
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, JsonSerializer.Serialize(this, Options));
        File.Move(tmp, path, overwrite: true);
        ProcessesFile.Rebuild(stateDir);
    }

    public static ProcessRecord? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ProcessRecord>(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }

    public static void Delete(string stateDir, string name)
    {
        try
        {
            File.Delete(PathFor(stateDir, name));
            ProcessesFile.Rebuild(stateDir);
        }
        catch (IOException) { }
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Akka.KubeEmu.Cluster.Chaos;

/// <summary>
/// A process's order to cut itself off, as `kubeemu chaos partition` writes it to
/// <c>&lt;state-dir&gt;/chaos/partitions/&lt;process&gt;.json</c>; `chaos heal` deletes it, and a
/// process heals by itself once <see cref="Until"/> has passed. The file lives in the state
/// directory because that is what the command line and every process of a cluster on one machine share.
/// </summary>
/// <param name="From">The processes (by name) to cut off from; empty: every other member.</param>
/// <param name="Until">When the partition heals by itself (--heal-after); null: at `chaos heal`.</param>
public sealed record PartitionOrder(
    [property: JsonPropertyName("from")] IReadOnlyList<string> From,
    [property: JsonPropertyName("until")] DateTimeOffset? Until)
{
    public static string Directory(string stateDir) => Path.Combine(stateDir, "chaos", "partitions");

    public static string PathFor(string stateDir, string process) => Path.Combine(Directory(stateDir), process + ".json");

    public void Write(string stateDir, string process)
    {
        System.IO.Directory.CreateDirectory(Directory(stateDir));
        var path = PathFor(stateDir, process);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The order in force for <paramref name="process"/>, or null (none, unreadable, or expired at <paramref name="now"/>).</summary>
    public static PartitionOrder? Read(string stateDir, string process, DateTimeOffset now)
    {
        try
        {
            var order = JsonSerializer.Deserialize<PartitionOrder>(File.ReadAllText(PathFor(stateDir, process)));
            return order is null || order.Until <= now ? null : order;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool Delete(string stateDir, string process)
    {
        var path = PathFor(stateDir, process);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }
}

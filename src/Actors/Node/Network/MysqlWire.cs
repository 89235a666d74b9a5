using System.Text.Json;

namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>
/// The simulated MySQL batch between node processes: the query and the answer each as one line of
/// JSON (the pod network's lines are ASCII, JSON escapes the statements' newlines).
/// </summary>
public static class MysqlWire
{
    public static string Encode(PodMysqlQuery query) => JsonSerializer.Serialize(query);

    public static string Encode(PodMysqlAnswer answer) => JsonSerializer.Serialize(answer);

    public static PodMysqlQuery? DecodeQuery(string? line) => Decode<PodMysqlQuery>(line);

    public static PodMysqlAnswer? DecodeAnswer(string? line) => Decode<PodMysqlAnswer>(line);

    private static T? Decode<T>(string? line) where T : class
    {
        if (string.IsNullOrEmpty(line)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

using System.Text;
using System.Text.Json;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>The opaque <c>continue</c> value of a paged list: where the next page starts.</summary>
public sealed record ContinueToken(long ResourceVersion, string StartAfter)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(new Dictionary<string, object> { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = StartAfter })));

    public static ContinueToken? Decode(string token)
    {
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(token));
            var root = doc.RootElement;
            return new ContinueToken(root.GetProperty("rv").GetInt64(), root.GetProperty("start").GetString()!);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Defaulting;

/// <summary>
/// The v1 to internal conversion of a Secret: every stringData entry is written into data
/// (base64), over a data entry of the same key, and stringData itself is never stored.
/// </summary>
public static class SecretStringData
{
    public static void Merge(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject strings)
        {
            secret.Remove("stringData");
            return;
        }
        var data = secret["data"] as JsonObject;
        if (data is null && strings.Count > 0) secret["data"] = data = new JsonObject();
        foreach (var (key, value) in strings)
            data![key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? ""));
        secret.Remove("stringData");
    }
}

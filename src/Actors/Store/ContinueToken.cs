using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The opaque <c>continue</c> value of a paged list, as kube-apiserver encodes it (unpadded
/// base64url of <c>{"v":"meta.k8s.io/v1","rv":…,"start":…}</c>): the resourceVersion the first
/// page was read at, so every page shows the same snapshot, and the key after which the next page
/// starts. A resourceVersion of -1 continues at the latest state (the token a 410 Expired hands
/// out for an inconsistent remainder).
/// </summary>
public sealed record ContinueToken(long ResourceVersion, string StartAfter)
{
    public const long Latest = -1;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
        JsonSerializer.Serialize(new Dictionary<string, object> { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = StartAfter })));

    /// <summary>The token, or the reason it is not one, worded as apimachinery's DecodeContinue.</summary>
    public static (ContinueToken? Token, string? Error) Decode(string token)
    {
        const string invalid = "continue key is not valid";
        byte[] data;
        try
        {
            // Tokens written before the switch to base64url were padded standard base64.
            data = token.Contains('+') || token.Contains('/') || token.EndsWith('=')
                ? Convert.FromBase64String(token)
                : Base64Url.DecodeFromChars(token);
        }
        catch (FormatException e)
        {
            return (null, $"{invalid}: {e.Message}");
        }
        try
        {
            using var doc = JsonDocument.Parse(data);
            var root = doc.RootElement;
            var version = root.TryGetProperty("v", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (version != "meta.k8s.io/v1")
                return (null, $"{invalid}: server does not recognize this encoded version \"{version}\"");
            var rv = root.TryGetProperty("rv", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt64(out var n) ? n : 0;
            if (rv == 0) return (null, $"{invalid}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            var start = root.TryGetProperty("start", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            if (string.IsNullOrEmpty(start)) return (null, $"{invalid}: encoded start key empty (version meta.k8s.io/v1)");
            return (new ContinueToken(rv, start), null);
        }
        catch (JsonException e)
        {
            return (null, $"{invalid}: {e.Message}");
        }
    }
}

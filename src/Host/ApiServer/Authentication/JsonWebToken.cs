using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Host.ApiServer.Authentication;

/// <summary>
/// Compact JWS with ES256 (RFC 7515/7518): base64url(header).base64url(claims).base64url(r||s).
/// .NET's ECDsa signs in the IEEE P1363 form JWS wants, so no library is needed for this.
/// </summary>
public static class JsonWebToken
{
    public static string Sign(JsonObject claims, ECDsa key)
    {
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = KeyId(key) };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>The claims of a token signed by <paramref name="key"/> with ES256; null for anything else.</summary>
    public static JsonObject? Verify(string token, ECDsa key)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValue<string>() != "ES256") return null;
            var signature = FromBase64Url(parts[2]);
            var valid = key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), signature,
                HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            return valid ? JsonNode.Parse(FromBase64Url(parts[1])) as JsonObject : null;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException or CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Whether a bearer token has the shape of a JWT (and so is not the static admin token).</summary>
    public static bool LooksLikeJwt(string token) => token.Count(c => c == '.') == 2;

    // The key id kube-apiserver publishes: a hash of the public key, so verifiers can pick the key.
    private static string KeyId(ECDsa key) => Base64Url(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}

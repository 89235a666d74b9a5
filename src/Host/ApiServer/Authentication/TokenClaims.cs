using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Rbac;

namespace Akka.KubeEmu.Host.ApiServer.Authentication;

/// <summary>
/// The two kinds of signed token the API accepts besides the admin token: ServiceAccount tokens
/// with kube-apiserver's claims (iss, sub system:serviceaccount:NS:NAME, aud, exp, nbf, iat, jti and
/// the kubernetes.io private claim naming the account and its uid), and user tokens written by
/// `kubeemu kubeconfig` (issuer kubeemu, the user's name and groups, no expiry, like a static token file).
/// </summary>
public static class TokenClaims
{
    /// <summary>kube-apiserver's default --service-account-issuer, also its default API audience.</summary>
    public const string ServiceAccountIssuer = "https://kubernetes.default.svc.cluster.local";

    public const string UserIssuer = "kubeemu";
    public const string GroupsClaim = "kubeemu.io/groups";

    public static JsonObject ServiceAccount(string ns, string name, string uid, IReadOnlyList<string> audiences,
        DateTimeOffset issuedAt, long expirationSeconds, string jti, JsonObject? boundObject = null)
    {
        var kubernetes = new JsonObject
        {
            ["namespace"] = ns,
            ["serviceaccount"] = new JsonObject { ["name"] = name, ["uid"] = uid },
        };
        if (boundObject is not null) kubernetes[boundObject["kind"]!.GetValue<string>().ToLowerInvariant()] =
            new JsonObject { ["name"] = boundObject["name"]?.DeepClone(), ["uid"] = boundObject["uid"]?.DeepClone() };
        return new JsonObject
        {
            ["aud"] = new JsonArray(audiences.Select(a => (JsonNode)a).ToArray()),
            ["exp"] = issuedAt.ToUnixTimeSeconds() + expirationSeconds,
            ["iat"] = issuedAt.ToUnixTimeSeconds(),
            ["iss"] = ServiceAccountIssuer,
            ["jti"] = jti,
            ["kubernetes.io"] = kubernetes,
            ["nbf"] = issuedAt.ToUnixTimeSeconds(),
            ["sub"] = $"{UserInfo.ServiceAccountPrefix}{ns}:{name}",
        };
    }

    public static JsonObject User(string name, IEnumerable<string> groups, DateTimeOffset issuedAt) => new()
    {
        ["iat"] = issuedAt.ToUnixTimeSeconds(),
        ["iss"] = UserIssuer,
        ["sub"] = name,
        [GroupsClaim] = new JsonArray(groups.Select(g => (JsonNode)g).ToArray()),
    };
}

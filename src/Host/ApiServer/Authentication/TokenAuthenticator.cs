using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;

namespace Akka.KubeEmu.Host.ApiServer.Authentication;

/// <summary>
/// Bearer-token authentication: the cluster's static token is kubernetes-admin (system:masters);
/// a JWT signed with the state directory's key is a kubeemu user or a ServiceAccount. A
/// ServiceAccount token is only good while it is unexpired, meant for this API (audience) and its
/// account still exists with the uid it was issued for (the legacy lookup of kube-apiserver).
/// </summary>
public sealed class TokenAuthenticator(string adminToken, ECDsa key, TimeProvider time, Func<StoreClient> store)
{
    // The leeway kube-apiserver allows on exp and nbf.
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    private readonly byte[] _adminToken = Encoding.UTF8.GetBytes(adminToken);

    /// <summary>The user a token stands for, null when it is not a valid token (401).</summary>
    public async Task<UserInfo?> Authenticate(string token, IReadOnlyList<string>? audiences = null)
    {
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), _adminToken)) return UserInfo.ClusterAdmin;
        if (!JsonWebToken.LooksLikeJwt(token) || JsonWebToken.Verify(token, key) is not { } claims) return null;
        return KubeObject.String(claims, "iss") switch
        {
            TokenClaims.UserIssuer => User(claims),
            TokenClaims.ServiceAccountIssuer => await ServiceAccount(claims, audiences ?? [TokenClaims.ServiceAccountIssuer]),
            _ => null,
        };
    }

    private static UserInfo? User(JsonObject claims) =>
        KubeObject.String(claims, "sub") is { Length: > 0 } name
            ? UserInfo.Authenticated(name, (claims[TokenClaims.GroupsClaim] as JsonArray ?? []).Select(g => KubeObject.ScalarText(g) ?? ""))
            : null;

    private async Task<UserInfo?> ServiceAccount(JsonObject claims, IReadOnlyList<string> audiences)
    {
        var now = time.GetUtcNow();
        if (KubeObject.Long(claims["exp"]) is not { } exp || DateTimeOffset.FromUnixTimeSeconds(exp) + Skew < now) return null;
        if (KubeObject.Long(claims["nbf"]) is { } nbf && DateTimeOffset.FromUnixTimeSeconds(nbf) - Skew > now) return null;
        var tokenAudiences = (claims["aud"] as JsonArray ?? []).Select(a => KubeObject.ScalarText(a)).ToArray();
        if (!tokenAudiences.Any(a => a is not null && audiences.Contains(a))) return null;

        var ns = KubeObject.String(claims["kubernetes.io"], "namespace");
        var sa = claims["kubernetes.io"]?["serviceaccount"];
        var name = KubeObject.String(sa, "name");
        var uid = KubeObject.String(sa, "uid");
        if (string.IsNullOrEmpty(ns) || string.IsNullOrEmpty(name) || string.IsNullOrEmpty(uid)) return null;
        if (KubeObject.String(claims, "sub") != $"{UserInfo.ServiceAccountPrefix}{ns}:{name}") return null;

        // A deleted (or deleted and re-created) account invalidates its tokens.
        var found = await store().Get(ResourceCatalog.ServiceAccounts.GroupResource, ns, name);
        if (!found.Ok || KubeObject.Uid(KubeObject.Parse(found.Raw!.Utf8)) != uid) return null;
        var user = Akka.KubeEmu.Actors.Api.Rbac.UserInfo.ServiceAccount(ns, name, uid);
        return KubeObject.String(claims, "jti") is { Length: > 0 } jti
            ? user with { Extra = new Dictionary<string, IReadOnlyList<string>> { ["authentication.kubernetes.io/credential-id"] = [$"JTI={jti}"] } }
            : user;
    }
}

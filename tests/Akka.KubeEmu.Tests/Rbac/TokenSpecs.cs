using System.Security.Cryptography;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Rbac;

public sealed class TokenSpecs
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z"));

    // Expired or foreign tokens are refused before any ServiceAccount lookup.
    private TokenAuthenticator Authenticator() => new("admin-token", _key, _time, () => throw new InvalidOperationException("no store lookup expected"));

    [Fact]
    public void A_signed_token_verifies_with_its_key_only_and_not_once_changed()
    {
        var token = JsonWebToken.Sign(TokenClaims.User("alice", ["dev"], _time.GetUtcNow()), _key);
        Assert.Equal("alice", JsonWebToken.Verify(token, _key)!["sub"]!.GetValue<string>());
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Null(JsonWebToken.Verify(token, other));
        var parts = token.Split('.');
        var bob = JsonWebToken.Base64Url(System.Text.Encoding.UTF8.GetBytes(TokenClaims.User("bob", ["dev"], _time.GetUtcNow()).ToJsonString()));
        Assert.Null(JsonWebToken.Verify($"{parts[0]}.{bob}.{parts[2]}", _key));
        Assert.Null(JsonWebToken.Verify("a.b", _key));
        Assert.Null(JsonWebToken.Verify("!!.??.**", _key));
    }

    [Fact]
    public async Task The_admin_token_is_kubernetes_admin_and_a_user_token_its_user_with_system_authenticated()
    {
        Assert.Equal(UserInfo.ClusterAdmin, await Authenticator().Authenticate("admin-token"));
        var alice = await Authenticator().Authenticate(JsonWebToken.Sign(TokenClaims.User("alice", ["dev"], _time.GetUtcNow()), _key));
        Assert.Equal("alice", alice!.Name);
        Assert.Equal(["dev", UserInfo.AllAuthenticated], alice.Groups);
        Assert.Null(await Authenticator().Authenticate("admin-token2"));
    }

    [Fact]
    public async Task A_service_account_token_is_refused_once_expired_or_for_another_audience()
    {
        var claims = TokenClaims.ServiceAccount("default", "builder", "uid-1", [TokenClaims.ServiceAccountIssuer], _time.GetUtcNow(), 600, "jti-1");
        var token = JsonWebToken.Sign(claims, _key);
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds() + 600, claims["exp"]!.GetValue<long>());
        Assert.Equal("system:serviceaccount:default:builder", claims["sub"]!.GetValue<string>());

        Assert.Null(await Authenticator().Authenticate(token, ["https://vault.example.com"]));
        _time.Advance(TimeSpan.FromSeconds(600 + 61)); // past exp and its 60 s leeway
        Assert.Null(await Authenticator().Authenticate(token));
    }
}

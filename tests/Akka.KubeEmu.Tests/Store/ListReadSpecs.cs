using Akka.KubeEmu.Actors.Store;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

/// <summary>The read semantics of a list, table-driven after the api-concepts "Semantics for get and list" table.</summary>
public sealed class ListReadSpecs
{
    private static readonly string Token = new ContinueToken(40, "default/b").Encode();
    private static readonly string LatestToken = new ContinueToken(ContinueToken.Latest, "default/b").Encode();

    public static TheoryData<string?, string?, int, string?, ListConsistency, long, bool> Reads => new()
    {
        // resourceVersion, match, limit, continue -> consistency, resourceVersion, limit ignored
        { null, null, 0, null, ListConsistency.Latest, 0, false },
        { null, null, 500, null, ListConsistency.Latest, 0, false },
        { "0", null, 0, null, ListConsistency.Latest, 0, true },
        { "0", null, 500, null, ListConsistency.Latest, 0, true },
        { "0", "NotOlderThan", 500, null, ListConsistency.Latest, 0, true },
        { "42", null, 0, null, ListConsistency.NotOlderThan, 42, false },
        { "42", null, 500, null, ListConsistency.Exact, 42, false },
        { "42", "NotOlderThan", 500, null, ListConsistency.NotOlderThan, 42, false },
        { "42", "Exact", 0, null, ListConsistency.Exact, 42, false },
        { null, null, 500, "token", ListConsistency.Exact, 40, false },
        { "0", null, 500, "token", ListConsistency.Exact, 40, false },
        { null, null, 500, "latest", ListConsistency.Latest, 0, false },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public void Chooses_the_state_a_list_reads(string? rv, string? match, int limit, string? continueToken,
        ListConsistency consistency, long resourceVersion, bool ignoreLimit)
    {
        var token = continueToken switch { "token" => Token, "latest" => LatestToken, _ => null };
        var (read, error) = ListRead.Decide(new ListObjects("configmaps", "default", Limit: limit, Continue: token,
            ResourceVersion: rv, ResourceVersionMatch: match));
        Assert.Null(error);
        Assert.Equal(consistency, read!.Consistency);
        Assert.Equal(resourceVersion, read.ResourceVersion);
        Assert.Equal(ignoreLimit, read.IgnoreLimit);
        Assert.Equal(token is null ? null : "default/b", read.StartAfter);
    }

    [Theory]
    [InlineData("42", null, "token", "specifying resource version is not allowed when using continue")]
    [InlineData(null, null, "garbage!", "invalid continue token: continue key is not valid: ")]
    [InlineData(null, null, "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MCwic3RhcnQiOiJhIn0", "invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")]
    [InlineData(null, null, "eyJ2IjoibWV0YS5rOHMuaW8vdjIiLCJydiI6MSwic3RhcnQiOiJhIn0", "invalid continue token: continue key is not valid: server does not recognize this encoded version \"meta.k8s.io/v2\"")]
    [InlineData("abc", null, null, "resourceVersion: Invalid value: \"abc\": strconv.ParseUint: parsing \"abc\": invalid syntax")]
    [InlineData("-1", null, null, "resourceVersion: Invalid value: \"-1\"")]
    public void Refuses_what_the_apiserver_refuses_with_400(string? rv, string? match, string? continueToken, string message)
    {
        var token = continueToken == "token" ? Token : continueToken;
        var (read, error) = ListRead.Decide(new ListObjects("configmaps", "default", Limit: 1, Continue: token,
            ResourceVersion: rv, ResourceVersionMatch: match));
        Assert.Null(read);
        Assert.Equal(400, error!.Code);
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_token_is_unpadded_base64url_and_reads_back()
    {
        var token = new ContinueToken(12345, "kube-system/coredns-x?y").Encode();
        Assert.DoesNotContain('=', token);
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
        Assert.Equal(new ContinueToken(12345, "kube-system/coredns-x?y"), ContinueToken.Decode(token).Token);
    }
}

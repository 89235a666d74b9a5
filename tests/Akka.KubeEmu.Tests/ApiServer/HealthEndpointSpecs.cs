using System.Net;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

public sealed class HealthEndpointSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    /// <summary>
    /// What a probe or `kubectl get --raw` reads: the checks in the apiserver's order, `exclude`
    /// honoured and warned about when it matches nothing; one check by name needs credentials
    /// (the public-info-viewer role covers the bare paths only).
    /// </summary>
    [Theory]
    [InlineData(false, "/readyz", 200, "ok")]
    [InlineData(false, "/livez", 200, "ok")]
    [InlineData(false, "/healthz", 200, "ok")]
    [InlineData(false, "/livez?verbose", 200, "[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n")]
    [InlineData(false, "/readyz?verbose", 200,
        "[+]ping ok\n[+]log ok\n[+]etcd ok\n[+]etcd-readiness ok\n[+]informer-sync ok\n[+]shutdown ok\nreadyz check passed\n")]
    [InlineData(false, "/readyz?verbose&exclude=etcd&exclude=nosuch", 200,
        "[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\n[+]etcd-readiness ok\n[+]informer-sync ok\n[+]shutdown ok\n" +
        "warn: some health checks cannot be excluded: no matches for \"nosuch\"\nreadyz check passed\n")]
    [InlineData(false, "/livez/etcd", 401, null)]
    [InlineData(true, "/livez/etcd", 200, "ok")]
    [InlineData(true, "/readyz/ping", 200, "ok")]
    [InlineData(true, "/livez/nosuch", 404, null)]
    public async Task Readyz_livez_and_healthz_answer_ok_or_list_their_checks(bool authenticated, string path, int code, string? body)
    {
        var client = authenticated ? holder.Fixture.Client : holder.Fixture.Anonymous;
        using var response = await client.GetAsync(path);
        Assert.Equal(code, (int)response.StatusCode);
        if (body is not null) Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_store_that_does_not_answer_fails_the_etcd_check_with_a_500_listing_every_check()
    {
        await using var fixture = new ApiServerFixture(silentStore: true);
        var readyz = await fixture.Anonymous.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.InternalServerError, readyz.StatusCode);
        Assert.Equal("[+]ping ok\n[+]log ok\n[-]etcd failed: reason withheld\n[-]etcd-readiness failed: reason withheld\n" +
                     "[+]informer-sync ok\n[+]shutdown ok\nreadyz check failed\n", await readyz.Content.ReadAsStringAsync());

        var etcd = await fixture.Client.GetAsync("/livez/etcd");
        Assert.Equal(HttpStatusCode.InternalServerError, etcd.StatusCode);
        Assert.StartsWith("internal server error: ", await etcd.Content.ReadAsStringAsync());
        Assert.Equal("ok", await fixture.Anonymous.GetStringAsync("/readyz?exclude=etcd&exclude=etcd-readiness"));
    }
}

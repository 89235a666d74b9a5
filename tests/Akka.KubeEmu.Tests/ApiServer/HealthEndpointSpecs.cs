using System.Net;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

public sealed class HealthEndpointSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    [Fact]
    public async Task Readyz_and_livez_answer_ok_or_list_their_checks_when_verbose_and_skip_excluded_ones()
    {
        var anonymous = holder.Fixture.Anonymous;
        Assert.Equal("ok", await anonymous.GetStringAsync("/readyz"));
        Assert.Equal("[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n", await anonymous.GetStringAsync("/livez?verbose"));
        Assert.Equal("[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\n[+]etcd-readiness ok\n[+]informer-sync ok\n[+]shutdown ok\n" +
                     "warn: some health checks cannot be excluded: no matches for \"nosuch\"\nreadyz check passed\n",
            await anonymous.GetStringAsync("/readyz?verbose&exclude=etcd&exclude=nosuch"));

        // One check by name needs credentials, as in kube-apiserver's public-info-viewer role.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/livez/etcd")).StatusCode);
        Assert.Equal("ok", await holder.Fixture.Client.GetStringAsync("/livez/etcd"));
        Assert.Equal(HttpStatusCode.NotFound, (await holder.Fixture.Client.GetAsync("/livez/nosuch")).StatusCode);
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

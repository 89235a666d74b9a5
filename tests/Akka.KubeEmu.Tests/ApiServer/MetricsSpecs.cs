using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

public sealed class MetricsSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private async Task<string> Scrape() => await _client.GetStringAsync("/metrics");

    private static double Sample(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Requests_are_counted_and_timed_with_the_apiservers_labels()
    {
        const string list = """apiserver_request_total{verb="LIST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",code="200"}""";
        const string missing = """apiserver_request_total{verb="GET",dry_run="",group="apps",version="v1",resource="deployments",subresource="scale",scope="resource",component="apiserver",code="404"}""";
        var before = await Scrape();

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/namespaces/default/configmaps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/namespaces/default/configmaps?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/apis/apps/v1/namespaces/default/deployments/nosuch/scale")).StatusCode);

        var after = await Scrape();
        Assert.Equal(2, Sample(after, list) - Sample(before, list));
        Assert.Equal(1, Sample(after, missing) - Sample(before, missing));
        Assert.Contains("# TYPE apiserver_request_duration_seconds histogram", after);
        Assert.Matches(new Regex("""apiserver_request_duration_seconds_bucket\{verb="LIST",dry_run="",group="",version="v1",resource="configmaps",subresource="",scope="namespace",component="apiserver",le="0.005"\} \d+"""), after);
    }

    /// <summary>
    /// apiserver_request_total's labels for each kind of request: the verb as the apiserver names it
    /// (LIST and WATCH for collections), the scope (resource, namespace, cluster), the subresource,
    /// dry_run and the answer's code.
    /// </summary>
    [Theory]
    [InlineData("GET", "/api/v1/namespaces/default/configmaps", "LIST", "", "", "configmaps", "", "namespace", 200)]
    [InlineData("GET", "/api/v1/configmaps", "LIST", "", "", "configmaps", "", "cluster", 200)]
    [InlineData("GET", "/api/v1/nodes", "LIST", "", "", "nodes", "", "cluster", 200)]
    [InlineData("GET", "/apis/apps/v1/namespaces/default/deployments/nosuch/scale", "GET", "", "apps", "deployments", "scale", "resource", 404)]
    [InlineData("POST", "/api/v1/namespaces/default/configmaps?dryRun=All", "POST", "All", "", "configmaps", "", "resource", 201)]
    [InlineData("DELETE", "/api/v1/namespaces/default/configmaps/nosuch", "DELETE", "", "", "configmaps", "", "resource", 404)]
    [InlineData("PATCH", "/api/v1/namespaces/default/secrets/nosuch", "PATCH", "", "", "secrets", "", "resource", 404)]
    public async Task Each_request_is_counted_with_its_verb_scope_and_code(string method, string path,
        string verb, string dryRun, string group, string resource, string subresource, string scope, int code)
    {
        var series = $"apiserver_request_total{{verb=\"{verb}\",dry_run=\"{dryRun}\",group=\"{group}\",version=\"v1\",resource=\"{resource}\"," +
                     $"subresource=\"{subresource}\",scope=\"{scope}\",component=\"apiserver\",code=\"{code}\"}}";
        var before = Sample(await Scrape(), series);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH")
            request.Content = new StringContent("""{"metadata":{"name":"counted"}}""", System.Text.Encoding.UTF8,
                method == "POST" ? "application/json" : "application/merge-patch+json");
        (await _client.SendAsync(request)).Dispose();
        Assert.Equal(1, Sample(await Scrape(), series) - before);
    }

    [Fact]
    public async Task The_stores_revision_moves_with_each_write()
    {
        var before = await Revision(r => r > 0);
        var created = await _client.PostAsync("/api/v1/namespaces/default/configmaps",
            new StringContent("""{"metadata":{"generateName":"metrics-"}}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Revision(r => r > before);
    }

    /// <summary>The revision once it meets the condition (a loaded Store may miss a scrape's deadline).</summary>
    private async Task<double> Revision(Func<double, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        double revision;
        while (!condition(revision = Sample(await Scrape(), "kubeemu_store_revision")))
        {
            Assert.True(DateTime.UtcNow < deadline, $"kubeemu_store_revision still {revision}");
            await Task.Delay(200);
        }
        return revision;
    }
}

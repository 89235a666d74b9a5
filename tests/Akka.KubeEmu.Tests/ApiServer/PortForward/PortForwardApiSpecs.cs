using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer.PortForward;

/// <summary>pods/portforward over HTTP: what is refused, with kube-apiserver's Status, before any upgrade.</summary>
public sealed class PortForwardApiSpecs : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client;

    public PortForwardApiSpecs(ApiServerFixtureHolder holder) => _client = holder.Fixture.Client;

    private async Task Pod(string name, string? node)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "web", ["image"] = "nginx" }) };
        if (node is not null) spec["nodeName"] = node;
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
        var created = await _client.PostAsync("/api/v1/namespaces/default/pods", Body(pod.ToJsonString()));
        Assert.True(created.IsSuccessStatusCode || (int)created.StatusCode == 409, await created.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_missing_pod_an_unscheduled_pod_and_a_node_nobody_serves_are_refused_with_kube_apiservers_status()
    {
        await Pod("pf-unscheduled", null);
        await Pod("pf-ghost", "ghost-node");
        const string pods = "/api/v1/namespaces/default/pods";

        Assert.Equal("pods \"nosuch\" not found", await Failure(await _client.PostAsync($"{pods}/nosuch/portforward", null), 404, "NotFound"));
        Assert.Equal("pod pf-unscheduled does not have a host assigned", await Failure(await _client.PostAsync($"{pods}/pf-unscheduled/portforward", null), 400, "BadRequest"));
        Assert.Equal("Internal error occurred: error dialing backend: dial tcp 127.0.0.1:10250: connect: connection refused",
            await Failure(await _client.GetAsync($"{pods}/pf-ghost/portforward"), 500, "InternalError"));
    }
}

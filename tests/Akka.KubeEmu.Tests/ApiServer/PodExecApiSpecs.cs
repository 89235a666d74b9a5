using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>pods/exec and pods/attach over HTTP: what is refused before the upgrade, and what comes on the error channel after it.</summary>
public sealed class PodExecApiSpecs : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client;

    public PodExecApiSpecs(ApiServerFixtureHolder holder) => _client = holder.Fixture.Client;

    private async Task Pod(string name, string? node, params string[] containers)
    {
        var spec = new JsonObject { ["containers"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject { ["name"] = c, ["image"] = "busybox" }).ToArray()) };
        if (node is not null) spec["nodeName"] = node;
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
        var created = await _client.PostAsync("/api/v1/namespaces/default/pods", Body(pod.ToJsonString()));
        Assert.True(created.IsSuccessStatusCode || (int)created.StatusCode == 409, await created.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Requests_kube_apiserver_would_refuse_are_refused_with_its_status_before_any_upgrade()
    {
        await Pod("exec-unscheduled", null, "main");
        await Pod("exec-two", "node-x", "a", "b");
        await Pod("exec-one", "node-x", "main");
        const string pods = "/api/v1/namespaces/default/pods";

        Assert.Equal("you must specify at least 1 command", await Failure(await _client.GetAsync($"{pods}/exec-one/exec?stdout=true"), 400, "BadRequest"));
        Assert.Equal("you must specify at least one of stdin, stdout, stderr", await Failure(await _client.GetAsync($"{pods}/exec-one/exec?command=ls"), 400, "BadRequest"));
        Assert.Equal("pods \"nosuch\" not found", await Failure(await _client.GetAsync($"{pods}/nosuch/exec?command=ls&stdout=true"), 404, "NotFound"));
        Assert.Equal("container nope is not valid for pod exec-one",
            await Failure(await _client.GetAsync($"{pods}/exec-one/exec?command=ls&stdout=true&container=nope"), 400, "BadRequest"));
        Assert.Equal("a container name must be specified for pod exec-two, choose one of: [a b]",
            await Failure(await _client.PostAsync($"{pods}/exec-two/exec?command=ls&stdout=true", null), 400, "BadRequest"));
        Assert.Equal("pod exec-unscheduled does not have a host assigned",
            await Failure(await _client.GetAsync($"{pods}/exec-unscheduled/attach?stdin=true&stdout=true"), 400, "BadRequest"));
        Assert.Equal("Upgrade request required", await Failure(await _client.GetAsync($"{pods}/exec-one/exec?command=ls&stdout=true"), 400, "BadRequest"));
    }

    [Fact]
    public async Task Over_WebSocket_v5_is_chosen_and_an_unreachable_node_is_an_internal_error_on_the_error_channel()
    {
        await Pod("exec-ghost", "ghost-node", "main");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("v5.channel.k8s.io");
        socket.Options.AddSubProtocol("v4.channel.k8s.io");
        socket.Options.SetRequestHeader("Authorization", new AuthenticationHeaderValue("Bearer", ApiServerFixture.Token).ToString());
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var uri = new UriBuilder(new Uri(_client.BaseAddress!, "/api/v1/namespaces/default/pods/exec-ghost/exec?command=ls&stdout=true")) { Scheme = "wss" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(uri, timeout.Token);
        Assert.Equal("v5.channel.k8s.io", socket.SubProtocol);

        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(3, buffer[0]); // the error channel
        var status = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 1, received.Count - 1))!;
        Assert.Equal("InternalError", (string?)status["reason"]);
        Assert.Equal("Internal error occurred: error dialing backend: dial tcp 127.0.0.1:10250: connect: connection refused", (string?)status["message"]);
        Assert.Equal(WebSocketMessageType.Close, (await socket.ReceiveAsync(buffer, timeout.Token)).MessageType);
    }
}

using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Host.ApiServer.Exec;
using Akka.KubeEmu.Host.ApiServer.Http;
using Akka.KubeEmu.Host.ApiServer.Spdy;
using Microsoft.AspNetCore.Http.Features;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>
/// GET/POST pods/{name}/exec and pods/{name}/attach (pkg/registry/core/pod/rest/subresources.go with ExecLocation, and
/// the StreamTranslator kube-apiserver puts in front of the kubelet for WebSocket clients): the
/// options and the container are checked first (errors answered as a Status before any upgrade),
/// then the connection is upgraded (a WebSocket with the channel protocols kubectl 1.30+ speaks, or
/// SPDY/3.1 with one stream per channel, what older clients speak) and an <see cref="ExecBridge"/>
/// runs the command in the pod's node process. What goes wrong after the upgrade (no running
/// container, node unreachable) comes back on the error channel as the kubelet writes it.
/// </summary>
public sealed class PodExecHandler(ApiServerServices services)
{
    /// <summary>How long the node may take to start the command before it counts as unreachable.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(5);

    public async Task Serve(HttpContext context, string ns, string name, bool attach)
    {
        var (options, invalid) = ExecOptions.Parse(context.Request.Query, attach);
        if (invalid is not null)
        {
            await StatusResponses.Write(context, invalid);
            return;
        }
        var got = await services.Rest.Get(ResourceCatalog.Pods, ns, name);
        if (got.Error is not null)
        {
            await StatusResponses.Write(context, got.Error);
            return;
        }
        var pod = KubeObject.Parse(got.Body!.Utf8);
        var (container, containerError) = PodContainers.Choose(pod, name, options!.Container);
        if (containerError is not null)
        {
            await StatusResponses.Write(context, containerError);
            return;
        }
        var nodeName = KubeObject.ScalarAt(pod, "spec.nodeName");
        if (string.IsNullOrEmpty(nodeName))
        {
            await StatusResponses.Write(context, ApiStatus.BadRequest($"pod {name} does not have a host assigned"));
            return;
        }
        var exec = new ExecTarget(nodeName, new ExecStart("", nodeName, KubeObject.Uid(pod) ?? "", ns, name, container!, options.Command, options.Stdin, options.Tty, attach));
        if (context.WebSockets.IsWebSocketRequest)
        {
            await ServeWebSocket(context, options, attach, exec);
            return;
        }
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is { IsUpgradableRequest: true }
            && context.Request.Headers.Upgrade.Any(v => v is not null && v.Contains(SpdyUpgrade.Protocol, StringComparison.OrdinalIgnoreCase)))
        {
            await ServeSpdy(context, upgrade, options, attach, exec);
            return;
        }
        await StatusResponses.Write(context, ApiStatus.BadRequest("Upgrade request required"));
    }

    private sealed record ExecTarget(string NodeName, ExecStart Start);

    private async Task ServeWebSocket(HttpContext context, ExecOptions options, bool attach, ExecTarget target)
    {
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        if (RemoteCommandProtocol.Negotiate(offered) is not { } protocol)
        {
            await StatusResponses.Write(context, ApiStatus.BadRequest(RemoteCommandProtocol.Unsupported(offered)));
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var stream = new ExecStream(socket, protocol, options, attach, context.RequestAborted);
        var (bridge, session, fromNode, unreachable) = await StartBridge(target);
        if (bridge is null) await stream.Fail(unreachable);
        else await stream.Run(bridge, session, fromNode!, unreachable);
    }

    /// <summary>
    /// The plain upgrade to SPDY/3.1 with a remotecommand sub-protocol (X-Stream-Protocol-Version),
    /// what kubectl before 1.30 uses and later ones fall back to: a 101, then one stream per channel.
    /// </summary>
    private async Task ServeSpdy(HttpContext context, IHttpUpgradeFeature upgrade, ExecOptions options, bool attach, ExecTarget target)
    {
        var offered = context.Request.Headers[SpdyUpgrade.ProtocolVersionHeader]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (RemoteCommandProtocol.Negotiate(offered) is not { } protocol)
        {
            // httpstream.Handshake: a plain-text 403 naming what the server accepts.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers[SpdyUpgrade.AcceptedProtocolVersionsHeader] = string.Join(", ", RemoteCommandProtocol.Served);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(" ", offered)}], server accepts [{string.Join(" ", RemoteCommandProtocol.Served)}]\n");
            return;
        }
        context.Response.Headers.Upgrade = SpdyUpgrade.Protocol;
        context.Response.Headers[SpdyUpgrade.ProtocolVersionHeader] = protocol;
        await using var connection = await upgrade.UpgradeAsync();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var streams = new SpdyExecStreams(options);
        var spdy = new SpdySession(connection, streams);
        var serving = spdy.Run(done.Token);
        try
        {
            await streams.Complete.WaitAsync(SpdyExecStreams.StreamCreationTimeout, services.Time, done.Token);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // kubectl gave up, or never opened every stream: the kubelet drops the connection.
            done.Cancel();
            await serving;
            return;
        }
        var session = new SpdyExecSession(streams, protocol, options, attach, done.Token);
        var (bridge, id, fromNode, unreachable) = await StartBridge(target);
        if (bridge is null) await session.Fail(unreachable);
        else await session.Run(bridge, id, fromNode!, unreachable);
        done.Cancel();
        await serving;
    }

    /// <summary>Asks the pod's node to run the command; no bridge when the node's kubelet is not known.</summary>
    private async Task<(IActorRef? Bridge, string Session, ChannelReader<object>? FromNode, string Unreachable)> StartBridge(ExecTarget target)
    {
        var location = await KubeletLocation.Of(services, target.NodeName);
        var unreachable = $"error dialing backend: dial tcp {location.DialHost}: connect: connection refused";
        if (location.Kubelet is not { } kubelet) return (null, "", null, unreachable);
        var session = Guid.NewGuid().ToString("N");
        var toClient = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var bridge = services.System.ActorOf(ExecBridge.Props(kubelet, target.Start with { Session = session }, toClient.Writer, StartTimeout), $"exec-{session}");
        return (bridge, session, toClient.Reader, unreachable);
    }
}

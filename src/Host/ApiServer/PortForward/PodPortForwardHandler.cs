using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Host.ApiServer.Handlers;
using Akka.KubeEmu.Host.ApiServer.Http;
using Akka.KubeEmu.Host.ApiServer.Spdy;
using Microsoft.AspNetCore.Http.Features;

namespace Akka.KubeEmu.Host.ApiServer.PortForward;

/// <summary>
/// GET/POST pods/{name}/portforward (PortForwardREST in pkg/registry/core/pod/rest, the kubelet's
/// streaming server behind it): the pod and its node are checked first (errors answered as a Status
/// before any upgrade), then the connection becomes a SPDY/3.1 session, either tunnelled in a
/// WebSocket (sub-protocol <c>SPDY/3.1+portforward.k8s.io</c>, what kubectl 1.30+ tries first) or
/// through a plain HTTP/1.1 upgrade (<c>Upgrade: SPDY/3.1</c>, its fallback and older clients'),
/// and every stream pair kubectl opens is forwarded to the pod through its node's pod network.
/// </summary>
public sealed class PodPortForwardHandler(ApiServerServices services)
{
    public const string StreamProtocol = "portforward.k8s.io";

    public async Task Serve(HttpContext context, string ns, string name)
    {
        var got = await services.Rest.Get(ResourceCatalog.Pods, ns, name);
        if (got.Error is not null)
        {
            await StatusResponses.Write(context, got.Error);
            return;
        }
        var pod = KubeObject.Parse(got.Body!.Utf8);
        var nodeName = KubeObject.ScalarAt(pod, "spec.nodeName");
        if (string.IsNullOrEmpty(nodeName))
        {
            await StatusResponses.Write(context, ApiStatus.BadRequest($"pod {name} does not have a host assigned"));
            return;
        }
        var location = await KubeletLocation.Of(services, nodeName);
        var podNetwork = await PodNetworkOf(nodeName);
        if (podNetwork is null || !await PodNetworkDialer.Reachable(podNetwork, services.Time, context.RequestAborted))
        {
            await StatusResponses.Write(context, ApiStatus.Internal($"error dialing backend: dial tcp {location.DialHost}: connect: connection refused"));
            return;
        }
        var target = new PortForwardTarget(ns, name, KubeObject.Uid(pod) ?? "", KubeObject.ScalarAt(pod, "status.podIP") ?? "", podNetwork);

        if (context.WebSockets.IsWebSocketRequest)
        {
            var tunnel = SpdyUpgrade.TunnelProtocol(StreamProtocol);
            if (!WebSocketTunnelHandshake.Offers(context.Request, tunnel))
            {
                await StatusResponses.Write(context, ApiStatus.BadRequest(
                    $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(" ", context.Request.Headers.SecWebSocketProtocol.ToString())}], server accepts [{tunnel}]"));
                return;
            }
            using var socket = await WebSocketTunnelHandshake.Accept(context, tunnel);
            var stream = new WebSocketByteStream(socket);
            await Run(stream, target, context.RequestAborted);
            await stream.Close(CancellationToken.None);
            return;
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var wantsSpdy = context.Request.Headers.Upgrade.Any(v => v is not null && v.Contains(SpdyUpgrade.Protocol, StringComparison.OrdinalIgnoreCase));
        if (upgrade is not { IsUpgradableRequest: true } || !wantsSpdy)
        {
            await StatusResponses.Write(context, ApiStatus.BadRequest("Upgrade request required"));
            return;
        }
        var offered = context.Request.Headers[SpdyUpgrade.ProtocolVersionHeader]
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (!offered.Contains(StreamProtocol))
        {
            // httpstream.Handshake: a plain-text 403 naming what the server accepts.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers[SpdyUpgrade.AcceptedProtocolVersionsHeader] = StreamProtocol;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(" ", offered)}], server accepts [{StreamProtocol}]\n");
            return;
        }
        context.Response.Headers.Upgrade = SpdyUpgrade.Protocol;
        context.Response.Headers[SpdyUpgrade.ProtocolVersionHeader] = StreamProtocol;
        await using var connection = await upgrade.UpgradeAsync();
        await Run(connection, target, context.RequestAborted);
    }

    private async Task Run(Stream transport, PortForwardTarget target, CancellationToken aborted)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var session = new SpdySession(transport, new PortForwardStreams(target, services.Time, done.Token));
        await session.Run(done.Token);
        done.Cancel();
    }

    private async Task<string?> PodNetworkOf(string nodeName)
    {
        var node = await services.Rest.Get(ResourceCatalog.Nodes, "", nodeName);
        if (node.Body is not { } body) return null;
        return KubeObject.String(KubeObject.At(KubeObject.Parse(body.Utf8), "metadata.annotations"), PodNetwork.Annotation);
    }
}

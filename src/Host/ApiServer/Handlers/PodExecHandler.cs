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

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>
/// GET/POST pods/{name}/exec and pods/{name}/attach (pkg/registry/core/pod/rest/subresources.go with ExecLocation, and
/// the StreamTranslator kube-apiserver puts in front of the kubelet for WebSocket clients): the
/// options and the container are checked first (errors answered as a Status before any upgrade),
/// then the WebSocket is accepted and an <see cref="ExecBridge"/> runs the command in the pod's
/// node process. What goes wrong after the upgrade (no running container, node unreachable)
/// comes back on the error channel as the translator writes it.
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
        if (!context.WebSockets.IsWebSocketRequest)
        {
            // SPDY/3.1 (kubectl before 1.30) is not served: its upgrade is refused as a plain request is.
            await StatusResponses.Write(context, ApiStatus.BadRequest("Upgrade request required"));
            return;
        }
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        if (RemoteCommandProtocol.Negotiate(offered) is not { } protocol)
        {
            await StatusResponses.Write(context, ApiStatus.BadRequest(RemoteCommandProtocol.Unsupported(offered)));
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(protocol);
        var stream = new ExecStream(socket, protocol, options, attach, context.RequestAborted);

        var location = await KubeletLocation.Of(services, nodeName);
        var unreachable = $"error dialing backend: dial tcp {location.DialHost}: connect: connection refused";
        if (location.Kubelet is not { } kubelet)
        {
            await stream.Fail(unreachable);
            return;
        }
        var session = Guid.NewGuid().ToString("N");
        var start = new ExecStart(session, nodeName, KubeObject.Uid(pod) ?? "", ns, name, container!, options.Command, options.Stdin, options.Tty, attach);
        var toClient = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var bridge = services.System.ActorOf(ExecBridge.Props(kubelet, start, toClient.Writer, StartTimeout), $"exec-{session}");
        await stream.Run(bridge, session, toClient.Reader, unreachable);
    }
}

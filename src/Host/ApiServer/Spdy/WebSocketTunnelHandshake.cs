using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>
/// The server half of the WebSocket handshake (RFC 6455 4.2.2) for sub-protocols ASP.NET Core refuses
/// to name: <c>SPDY/3.1+portforward.k8s.io</c> contains '/', which is not an RFC 7230 token, so
/// AcceptWebSocketAsync throws after its 101 is on the wire; kube-apiserver (gorilla/websocket) does
/// not check. The frames are still .NET's (<see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>).
/// </summary>
public static class WebSocketTunnelHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Whether the request asks for a WebSocket offering <paramref name="protocol"/>.</summary>
    public static bool Offers(HttpRequest request, string protocol) =>
        request.Headers.SecWebSocketProtocol.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Contains(protocol, StringComparer.Ordinal);

    /// <summary>Answers 101 with <paramref name="protocol"/> and returns the server side of the WebSocket.</summary>
    public static async Task<WebSocket> Accept(HttpContext context, string protocol)
    {
        var key = context.Request.Headers.SecWebSocketKey.ToString();
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + Guid)));
        var upgrade = context.Features.Get<IHttpUpgradeFeature>() ?? throw new InvalidOperationException("not an upgradable request");
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = accept;
        context.Response.Headers.SecWebSocketProtocol = protocol;
        var stream = await upgrade.UpgradeAsync();
        return WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.FromSeconds(30) });
    }
}

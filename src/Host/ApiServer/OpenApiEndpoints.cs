using Akka.KubeEmu.Host.ApiServer.Handlers;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer;

/// <summary>/openapi/v2 (JSON or protobuf), /openapi/v3 and its group-version documents.</summary>
public static class OpenApiEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/openapi/v2", (HttpContext c) => StatusResponses.Write(c, WatchHandler.NotFound));
        app.MapGet("/openapi/v3", (HttpContext c) => StatusResponses.Write(c, WatchHandler.NotFound));
    }
}

using Akka.KubeEmu.Host.ApiServer.Handlers;
using Akka.KubeEmu.Host.ApiServer.Http;
using Akka.KubeEmu.Host.OpenApi;

namespace Akka.KubeEmu.Host.ApiServer;

/// <summary>/openapi/v2 (JSON or protobuf), /swagger-2.0.0.pb-v1, /openapi/v3 and its group-version documents.</summary>
public static class OpenApiEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/openapi/v2", (HttpContext c) =>
            Serve(c, c.Request.Headers.Accept.ToString().Contains("protobuf", StringComparison.Ordinal)
                ? OpenApiDocuments.V2Protobuf
                : OpenApiDocuments.V2Json));
        app.MapGet("/swagger-2.0.0.pb-v1", (HttpContext c) => Serve(c, OpenApiDocuments.V2Protobuf));
        app.MapGet("/openapi/v3", (HttpContext c) => Serve(c, OpenApiDocuments.V3Discovery));
        app.MapGet("/openapi/v3/{**path}", (HttpContext c, string path) =>
            OpenApiDocuments.V3(path) is { } doc ? Serve(c, doc) : StatusResponses.Write(c, WatchHandler.NotFound));
    }

    private static Task Serve(HttpContext c, OpenApiDocument doc)
    {
        var etag = $"\"{doc.ETag}\"";
        c.Response.Headers.ETag = etag;
        c.Response.Headers.Vary = "Accept";
        if (c.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            c.Response.StatusCode = 304;
            return Task.CompletedTask;
        }
        c.Response.Headers.CacheControl = c.Request.Query.ContainsKey("hash") ? "public, immutable" : "no-cache, private";
        return ResponseWriter.Json(c, 200, doc.Body, doc.ContentType);
    }
}

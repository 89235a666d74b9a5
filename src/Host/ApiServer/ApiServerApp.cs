using System.Net;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Akka.KubeEmu.Host.ApiServer.Authorization;
using Akka.KubeEmu.Host.ApiServer.Discovery;
using Akka.KubeEmu.Host.ApiServer.Handlers;
using Akka.KubeEmu.Host.ApiServer.Health;
using Akka.KubeEmu.Host.ApiServer.Metrics;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer;

/// <summary>
/// The HTTP face of the control plane: kube-apiserver's URL space on ASP.NET Core, bound to
/// 127.0.0.1 unless told otherwise, with bearer-token authentication and RBAC authorization.
/// </summary>
public static class ApiServerApp
{
    public static void ConfigureKestrel(WebApplicationBuilder builder, ApiServerOptions options)
    {
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Parse(options.Address), options.Port, listen => listen.UseHttps(options.Certificate));
            // The API enforces its own 3 MiB limit and answers with a Status (413).
            k.Limits.MaxRequestBodySize = null;
        });
    }

    public static void Map(WebApplication app, ApiServerOptions options, Func<ApiServerServices> services)
    {
        app.UseWebSockets(); // pods/exec streams (remotecommand over WebSocket)
        var metrics = new ApiServerMetrics(services);
        var authenticator = new TokenAuthenticator(options.Token, options.SigningKey, TimeProvider.System, () => services().Rest.Store);
        var filter = new AuthorizationFilter(authenticator, services);
        app.Use(async (context, next) =>
        {
            if (!await filter.Admit(context)) return;
            await metrics.Measure(context, async () =>
            {
                try
                {
                    await next(context);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    app.Logger.LogError(e, "request {Method} {Path} failed", context.Request.Method, context.Request.Path);
                    await StatusResponses.Write(context, ApiStatus.Internal(e.Message));
                }
            });
        });

        app.MapGet("/version", (HttpContext c) => ResponseWriter.Json(c, DiscoveryDocuments.Version));
        HealthEndpoints.Map(app, services);
        app.MapGet("/metrics", metrics.Export);
        Compaction.CompactionEndpoint.Map(app, services);

        app.MapGet("/api", (HttpContext c) => AggregatedDiscovery.Negotiate(c.Request.Headers.Accept) is { } aggregated
            ? Discovery(c, AggregatedDiscovery.Document(core: true, ApiVersionOf(aggregated)), aggregated)
            : ResponseWriter.Json(c, DiscoveryDocuments.CoreVersions($"{options.Address}:{options.Port}")));
        app.MapGet("/api/v1", (HttpContext c) => ResponseWriter.Json(c, DiscoveryDocuments.Resources("", "v1")!));
        app.MapGet("/apis", (HttpContext c) => AggregatedDiscovery.Negotiate(c.Request.Headers.Accept) is { } aggregated
            ? Discovery(c, AggregatedDiscovery.Document(core: false, ApiVersionOf(aggregated)), aggregated)
            : ResponseWriter.Json(c, DiscoveryDocuments.Groups()));
        app.MapGet("/apis/{group}", (HttpContext c, string group) =>
            DiscoveryDocuments.Group(group) is { } g ? ResponseWriter.Json(c, g) : StatusResponses.Write(c, WatchHandler.NotFound));
        app.MapGet("/apis/{group}/{version}", (HttpContext c, string group, string version) =>
            DiscoveryDocuments.Resources(group, version) is { } r ? ResponseWriter.Json(c, r) : StatusResponses.Write(c, WatchHandler.NotFound));

        OpenApiEndpoints.Map(app);

        ResourceHandler? handler = null;
        ResourceHandler Handler() => handler ??= new ResourceHandler(services(), new Reviews.ReviewHandler(services(), authenticator,
            new Reviews.TokenRequests(services().Rest.Store, options.SigningKey, TimeProvider.System)));
        app.Map("/api/v1/{**path}", (HttpContext c, string? path) => Handler().Handle(c, "", "v1", path));
        app.Map("/apis/{group}/{version}/{**path}", (HttpContext c, string group, string version, string? path) =>
            Handler().Handle(c, group, version, path));
        app.MapFallback((HttpContext c) => StatusResponses.Write(c, WatchHandler.NotFound));
    }

    private static Task Discovery(HttpContext c, System.Text.Json.Nodes.JsonObject document, string contentType)
    {
        c.Response.Headers.Vary = "Accept";
        return ResponseWriter.Json(c, 200, Akka.KubeEmu.Actors.Api.Objects.KubeObject.ToBytes(document), contentType);
    }

    private static string ApiVersionOf(string contentType) =>
        contentType.Contains("v=v2beta1") ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2";
}

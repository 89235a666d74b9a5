using System.Globalization;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Host.ApiServer.Handlers;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer.Compaction;

/// <summary>
/// <c>POST /kubeemu/v1/compact[?resourceVersion=N]</c>: what `etcdctl compact` is to a real
/// cluster. The Store forgets its history up to N (the current resourceVersion by default), so
/// that a test can send a reflector down its relist path: watches, exact lists and continue
/// tokens from before it answer 410 Expired. Not a Kubernetes API; `kubeemu compact` calls it.
/// </summary>
public static class CompactionEndpoint
{
    public const string Path = "/kubeemu/v1/compact";

    public static void Map(WebApplication app, Func<ApiServerServices> services) =>
        app.MapPost(Path, (HttpContext c) => Compact(c, services()));

    private static async Task Compact(HttpContext context, ApiServerServices services)
    {
        long? through = null;
        var text = context.Request.Query["resourceVersion"].ToString();
        if (text.Length > 0)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var rv))
            {
                await StatusResponses.Write(context, ApiStatus.BadRequest($"invalid resource version: {text}"));
                return;
            }
            through = rv;
        }
        try
        {
            var done = await services.Store.Ask<WindowCompacted>(new CompactWindow(through), TimeSpan.FromSeconds(10), context.RequestAborted);
            await ResponseWriter.Json(context, new JsonObject { ["compactedResourceVersion"] = done.ResourceVersion.ToString(CultureInfo.InvariantCulture) });
        }
        catch (AskTimeoutException)
        {
            await StatusResponses.Write(context, ApiStatus.Timeout("the store did not answer the compaction in time"));
        }
    }
}

using System.Text;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.ApiServer.Health;

/// <summary>
/// kube-apiserver's /healthz, /livez and /readyz: "ok", or with <c>?verbose</c> one line per
/// check and "livez check passed"; a failing check makes the answer a 500 that lists them all.
/// <c>?exclude=NAME</c> skips a check and <c>/livez/NAME</c> runs one. The checks are the
/// apiserver's that mean something here: etcd is the Store answering a read.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>How long the Store has to answer before the etcd check fails.</summary>
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(2);

    private delegate Task<string?> Check(HttpContext context, ApiServerServices services);

    private static readonly (string Name, Check Check)[] Livez = [("ping", Ok), ("log", Ok), ("etcd", Store)];

    private static readonly (string Name, Check Check)[] Readyz =
        [("ping", Ok), ("log", Ok), ("etcd", Store), ("etcd-readiness", Store), ("informer-sync", Ok), ("shutdown", Shutdown)];

    public static void Map(WebApplication app, Func<ApiServerServices> services)
    {
        foreach (var (name, checks) in new[] { ("healthz", Livez), ("livez", Livez), ("readyz", Readyz) })
        {
            app.MapGet($"/{name}", (HttpContext c) => All(c, name, checks, services()));
            app.MapGet($"/{name}/{{check}}", (HttpContext c, string check) => One(c, checks, check, services()));
        }
    }

    private static async Task All(HttpContext context, string name, (string Name, Check Check)[] checks, ApiServerServices services)
    {
        var excluded = context.Request.Query["exclude"].SelectMany(v => (v ?? "").Split(',')).Where(v => v.Length > 0).ToHashSet();
        var output = new StringBuilder();
        var failed = false;
        foreach (var (check, run) in checks)
        {
            if (excluded.Remove(check))
            {
                output.Append($"[+]{check} excluded: ok\n");
                continue;
            }
            if (await run(context, services) is null) output.Append($"[+]{check} ok\n");
            else
            {
                output.Append($"[-]{check} failed: reason withheld\n");
                failed = true;
            }
        }
        if (excluded.Count > 0)
            output.Append($"warn: some health checks cannot be excluded: no matches for {string.Join(",", excluded.Select(e => $"\"{e}\""))}\n");

        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (failed)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"{output}{name} check failed\n");
            return;
        }
        await context.Response.WriteAsync(context.Request.Query.ContainsKey("verbose") ? $"{output}{name} check passed\n" : "ok");
    }

    private static async Task One(HttpContext context, (string Name, Check Check)[] checks, string name, ApiServerServices services)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        if (checks.FirstOrDefault(c => c.Name == name).Check is not { } run)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsync("404 page not found\n");
            return;
        }
        if (await run(context, services) is { } error)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"internal server error: {error}\n");
            return;
        }
        await context.Response.WriteAsync("ok");
    }

    private static Task<string?> Ok(HttpContext context, ApiServerServices services) => Task.FromResult<string?>(null);

    /// <summary>Whether the Store answers a read in time (a 404 is an answer).</summary>
    private static async Task<string?> Store(HttpContext context, ApiServerServices services)
    {
        var read = services.Rest.Get(ResourceCatalog.Namespaces, "", "default");
        if (await Task.WhenAny(read, Task.Delay(StoreTimeout, services.Time, context.RequestAborted)) != read)
            return "the store did not answer within " + StoreTimeout.TotalSeconds + "s";
        var result = await read;
        return result.Error is { Code: >= 500 } error ? error.Message : null;
    }

    private static Task<string?> Shutdown(HttpContext context, ApiServerServices services) =>
        Task.FromResult(context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested
            ? "process is shutting down"
            : null);
}

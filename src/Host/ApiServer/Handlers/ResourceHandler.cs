using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>Maps one resource request (verb + RequestInfo) to the REST storage.</summary>
public sealed class ResourceHandler(ApiServerServices services, Reviews.ReviewHandler reviews)
{
    private readonly WatchHandler _watch = new(services);
    private readonly ScaleREST _scale = new(services.Rest);
    private readonly PodLogHandler _logs = new(services);
    private readonly PodExecHandler _exec = new(services);
    private readonly PortForward.PodPortForwardHandler _portForward = new(services);
    private readonly EvictionREST _eviction = new(services.Rest, services.Time);
    private RestStorage Rest => services.Rest;

    public async Task Handle(HttpContext context, string group, string version, string? path)
    {
        var parts = (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var info = RequestInfo.Parse(group, version, parts);
        if (info is null)
        {
            await StatusResponses.Write(context, WatchHandler.NotFound);
            return;
        }
        Metrics.RequestLabels.Remember(context, info);
        var format = MediaTypes.Negotiate(context.Request.Headers.Accept);
        if (format == ResponseFormat.Unacceptable)
        {
            await StatusResponses.Write(context, ApiStatus.NotAcceptable());
            return;
        }

        var method = context.Request.Method;
        var now = services.Time.GetUtcNow();
        switch (method)
        {
            case "POST" when ResourceCatalog.IsReview(info.Type) && info.Name is null && (info.Namespace is not null || !info.Type.Namespaced):
            case "POST" when info.Subresource == "token":
                await reviews.Create(context, info, format);
                return;
            case not "POST" when ResourceCatalog.IsReview(info.Type):
                await StatusResponses.Write(context, ApiStatus.MethodNotAllowed("the server does not allow this method on the requested resource"));
                return;
            case "GET" when info.WatchPrefix || QueryOptions.IsWatch(context.Request):
                await _watch.Serve(context, info, format);
                return;
            case "GET" when info.Name is null:
                await List(context, info, format, now);
                return;
            case "GET" or "POST" when info.Subresource is "exec" or "attach":
                await _exec.Serve(context, info.Namespace ?? "", info.Name!, attach: info.Subresource == "attach");
                return;
            case "GET" or "POST" when info.Subresource == "portforward":
                await _portForward.Serve(context, info.Namespace ?? "", info.Name!);
                return;
            case "GET" when info.Subresource == "log":
                await _logs.Serve(context, info.Namespace ?? "", info.Name!);
                return;
            case "GET" when info.Subresource == "scale":
                await ResponseWriter.Result(context, await _scale.Get(info.Type, info.Namespace ?? "", info.Name!), info.Type, format, now);
                return;
            case "PUT" when info.Subresource == "scale":
                await WithBody(context, (body, options) => _scale.Update(info.Type, info.Namespace ?? "", info.Name!, body, options), info, format, now);
                return;
            case "GET" when info.Subresource is null or "status" or "ephemeralcontainers":
                await ResponseWriter.Result(context, await Rest.Get(info.Type, info.Namespace ?? "", info.Name), info.Type, format, now);
                return;
            case "POST" when info.Name is null && (info.Namespace is not null || !info.Type.Namespaced):
                await WithBody(context, (body, options) => Rest.Create(info.Type, info.Namespace, body, options), info, format, now);
                return;
            case "POST" when info.Subresource == "binding":
                await WithBody(context, (body, _) => Rest.Bind(info.Namespace!, info.Name!, body), info, format, now);
                return;
            case "POST" when info.Subresource == "eviction":
                await WithBody(context, (body, options) => _eviction.Create(info.Namespace!, info.Name!, body, options), info, format, now);
                return;
            case "PUT" when info.Name is not null && info.Subresource is null or "status" or "finalize" or "ephemeralcontainers":
                await WithBody(context, (body, options) => Rest.Update(info.Type, info.Namespace ?? "", info.Name!, info.Subresource, body, options), info, format, now);
                return;
            case "PATCH" when info.Name is not null && info.Subresource is null or "status" or "scale" or "ephemeralcontainers":
                await Patch(context, info, format, now);
                return;
            case "DELETE" when info.Name is not null && info.Subresource is null:
                await Delete(context, info, format, now);
                return;
            case "DELETE" when info.Name is null:
                var request = await DeleteOptionsFrom(context);
                if (request.Error is not null)
                {
                    await StatusResponses.Write(context, request.Error);
                    return;
                }
                if (FieldLabels.Check(info.Type, context.Request.Query["fieldSelector"]) is { } unsupported)
                {
                    await StatusResponses.Write(context, unsupported);
                    return;
                }
                await ResponseWriter.Result(context, await Rest.DeleteCollection(info.Type, info.Namespace,
                    context.Request.Query["labelSelector"], context.Request.Query["fieldSelector"], request.Request!), info.Type, format, now);
                return;
            default:
                await StatusResponses.Write(context, ApiStatus.MethodNotAllowed($"the server does not allow this method on the requested resource"));
                return;
        }
    }

    private async Task List(HttpContext context, RequestInfo info, ResponseFormat format, DateTimeOffset now)
    {
        var (limit, limitError) = QueryOptions.Limit(context.Request);
        if (limitError is not null)
        {
            await StatusResponses.Write(context, limitError);
            return;
        }
        var q = context.Request.Query;
        if ((ListOptionsValidation.Check(context.Request) ?? FieldLabels.Check(info.Type, q["fieldSelector"])) is { } refused)
        {
            await StatusResponses.Write(context, refused);
            return;
        }
        var (list, error) = await Rest.List(info.Type, info.Namespace, q["labelSelector"], q["fieldSelector"], limit,
            NonEmpty(q["continue"]), NonEmpty(q["resourceVersion"]), NonEmpty(q["resourceVersionMatch"]));
        if (list is null) await StatusResponses.Write(context, error!);
        else await ResponseWriter.List(context, info.Type, list, format, now);
    }

    private async Task Patch(HttpContext context, RequestInfo info, ResponseFormat format, DateTimeOffset now)
    {
        if (PatchDispatch.Unsupported(context.Request.ContentType ?? "", info.Type.Custom is not null) is { } unsupported)
        {
            await StatusResponses.Write(context, unsupported);
            return;
        }
        var (options, optionsError) = QueryOptions.Write(context.Request);
        var (body, bodyError) = await RequestBodies.Read(context.Request, context.RequestAborted);
        if ((optionsError ?? bodyError) is { } error)
        {
            await StatusResponses.Write(context, error);
            return;
        }
        options = options! with { Escalation = Escalation(context) };
        var contentType = context.Request.ContentType ?? "";
        var result = info.Subresource == "scale"
            ? await _scale.Patch(info.Type, info.Namespace ?? "", info.Name!, contentType, body!, options!)
            : await Rest.Patch(info.Type, info.Namespace ?? "", info.Name!, info.Subresource, contentType, body!, options!);
        await ResponseWriter.Result(context, result, info.Type, format, now);
    }

    private async Task Delete(HttpContext context, RequestInfo info, ResponseFormat format, DateTimeOffset now)
    {
        var request = await DeleteOptionsFrom(context);
        if (request.Error is not null)
        {
            await StatusResponses.Write(context, request.Error);
            return;
        }
        await ResponseWriter.Result(context, await Rest.Delete(info.Type, info.Namespace ?? "", info.Name!, request.Request!), info.Type, format, now);
    }

    private static async Task<(DeleteRequest? Request, ApiStatus? Error)> DeleteOptionsFrom(HttpContext context)
    {
        var (body, error) = await RequestBodies.Read(context.Request, context.RequestAborted);
        if (error is not null) return (null, error);
        JsonObject? options = null;
        if (body!.Length > 0)
        {
            var (parsed, parseError, _) = RequestBodies.Decode(context.Request.ContentType, body);
            if (parseError is not null) return (null, parseError);
            options = parsed;
        }
        return (DeleteRequestFrom(options, context.Request.Query), null);
    }

    private static DeleteRequest DeleteRequestFrom(JsonObject? options, IQueryCollection? query)
    {
        long? grace = KubeObject.Long(options?["gracePeriodSeconds"]);
        if (grace is null && query is not null && long.TryParse(query["gracePeriodSeconds"], out var qg)) grace = qg;
        var propagation = KubeObject.String(options, "propagationPolicy") ?? query?["propagationPolicy"].ToString();
        // The body's DeleteOptions when there is one (kubectl sends them), else the query's.
        IReadOnlyList<string> dryRun = options?["dryRun"] is JsonArray values
            ? [.. values.Select(v => KubeObject.ScalarText(v) ?? "")]
            : query is null ? [] : QueryOptions.DryRunValues(query["dryRun"]);
        // The deprecated orphanDependents (kubectl before 1.20 sends it; client libraries still may).
        bool? orphan = KubeObject.ScalarAt(options, "orphanDependents") is { } bodyOrphan ? bodyOrphan == "true"
            : query is null ? null : QueryOptions.OptionalBool(query, "orphanDependents");
        return new DeleteRequest(grace, string.IsNullOrEmpty(propagation) ? null : propagation,
            KubeObject.ScalarAt(options, "preconditions.uid"), KubeObject.ScalarAt(options, "preconditions.resourceVersion"), dryRun.Count > 0, orphan)
        {
            DryRunValues = dryRun,
        };
    }

    // Writes of roles and bindings by anyone but system:masters go through RBAC's escalation check.
    private EscalationCheck? Escalation(HttpContext context) =>
        RequestUser.Of(context) is { IsPrivileged: false } user ? new EscalationCheck(user, services.Authorizer) : null;

    private async Task WithBody(HttpContext context, Func<JsonObject, WriteOptions, Task<RestResult>> action,
        RequestInfo info, ResponseFormat format, DateTimeOffset now)
    {
        var (options, optionsError) = QueryOptions.Write(context.Request);
        if (optionsError is not null)
        {
            await StatusResponses.Write(context, optionsError);
            return;
        }
        var (bytes, readError) = await RequestBodies.Read(context.Request, context.RequestAborted);
        if (readError is not null)
        {
            await StatusResponses.Write(context, readError);
            return;
        }
        var (body, decodeError, duplicates) = RequestBodies.Decode(context.Request.ContentType, bytes!);
        if (decodeError is not null)
        {
            await StatusResponses.Write(context, decodeError);
            return;
        }
        await ResponseWriter.Result(context, await action(body!, options! with { DuplicateFields = duplicates, Escalation = Escalation(context) }), info.Type, format, now);
    }

    private static string? NonEmpty(Microsoft.Extensions.Primitives.StringValues value) => value.ToString() is { Length: > 0 } v ? v : null;
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Host.ApiServer.Http;

/// <summary>Writes a failed request as kube-apiserver does: a metav1.Status with the HTTP code.</summary>
public static class StatusResponses
{
    public static JsonObject ToJson(ApiStatus status)
    {
        var json = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = status.Continue is { } next ? new JsonObject { ["continue"] = next } : new JsonObject(),
            ["status"] = "Failure",
            ["message"] = status.Message,
            ["reason"] = status.Reason,
        };
        // metav1.Status's reason is omitempty (the eviction's 500 for two budgets has none).
        if (status.Reason.Length == 0) json.Remove("reason");
        if (status.Details is { } d)
        {
            var details = new JsonObject();
            if (d.Name is not null) details["name"] = d.Name;
            if (d.Group is not null) details["group"] = d.Group;
            if (d.Kind is not null) details["kind"] = d.Kind;
            if (d.Uid is not null) details["uid"] = d.Uid;
            if (d.Causes is { Count: > 0 })
                details["causes"] = new JsonArray(d.Causes.Select(c => (JsonNode)Cause(c)).ToArray());
            if (d.RetryAfterSeconds is { } retry) details["retryAfterSeconds"] = retry;
            json["details"] = details;
        }
        json["code"] = status.Code;
        return json;
    }

    /// <summary>A StatusCause: reason, message and field are each omitempty (an eviction's cause names no field).</summary>
    private static JsonObject Cause(StatusCause c)
    {
        var cause = new JsonObject { ["reason"] = c.Type, ["message"] = c.Message, ["field"] = c.Field };
        foreach (var key in new[] { "reason", "message", "field" })
            if (cause[key]?.GetValue<string>() is null or "") cause.Remove(key);
        return cause;
    }

    public static async Task Write(HttpContext context, ApiStatus status, IReadOnlyList<string>? warnings = null)
    {
        if (context.Response.HasStarted) return;
        WarningHeaders.Add(context, warnings);
        context.Response.StatusCode = status.Code;
        context.Response.ContentType = "application/json";
        if (status.Details?.RetryAfterSeconds is { } retry) context.Response.Headers.RetryAfter = retry.ToString();
        await context.Response.Body.WriteAsync(KubeObject.ToBytes(ToJson(status)));
    }
}

/// <summary>RFC 7234 Warning headers, as the apiserver sends them: <c>299 - "text"</c>.</summary>
public static class WarningHeaders
{
    public static void Add(HttpContext context, IReadOnlyList<string>? warnings)
    {
        if (warnings is null) return;
        foreach (var w in warnings)
            context.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");
    }
}

using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Api.Printers;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>Query parameters of resource requests, parsed once with the apiserver's error texts.</summary>
public static class QueryOptions
{
    public static bool IsWatch(HttpRequest r) => Bool(r, "watch");

    /// <summary>
    /// A boolean parameter as apimachinery converts it: absent is false, "0" and "false" (any case)
    /// are false, anything else is true, even "True" or an empty value (the Python client sends
    /// `watch=True`).
    /// </summary>
    public static bool Bool(HttpRequest r, string name) =>
        r.Query.TryGetValue(name, out var values) && values.Count > 0
        && values[0] is var v && v != "0" && !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase);

    public static (WriteOptions? Options, ApiStatus? Error) Write(HttpRequest r)
    {
        var dryRun = r.Query["dryRun"].ToString();
        if (dryRun.Length > 0 && dryRun != "All")
            return (null, ApiStatus.BadRequest($"Invalid dryRun value: {dryRun}"));
        FieldValidation validation;
        switch (r.Query["fieldValidation"].ToString())
        {
            case "" or "Warn": validation = FieldValidation.Warn; break;
            case "Strict": validation = FieldValidation.Strict; break;
            case "Ignore": validation = FieldValidation.Ignore; break;
            case var other: return (null, ApiStatus.BadRequest($"fieldValidation parameter unsupported: {other}"));
        }
        var manager = r.Query["fieldManager"].ToString();
        // ValidateFieldManager: at most 128 characters, all printable.
        if (manager.Length > 128 || manager.Any(char.IsControl))
            return (null, ApiStatus.Invalid("meta.k8s.io", "PatchOptions", "", [manager.Length > 128
                ? new FieldError(FieldError.TooLong, "fieldManager", null, "may not be more than 128 bytes")
                : FieldError.Invalid("fieldManager", manager, "must only contain printable characters")]));
        var userAgent = r.Headers.UserAgent.ToString();
        return (new WriteOptions(dryRun == "All", validation, manager.Length > 0 ? manager : null)
        {
            Force = r.Query.ContainsKey("force") ? Bool(r, "force") : null,
            UserAgentManager = userAgent.Split('/')[0] is var prefix && prefix.Length > 128 ? prefix[..128] : prefix,
        }, null);
    }

    public static (int Limit, ApiStatus? Error) Limit(HttpRequest r)
    {
        var text = r.Query["limit"].ToString();
        if (text.Length == 0) return (0, null);
        return long.TryParse(text, out var limit) && limit >= 0
            ? ((int)Math.Min(limit, int.MaxValue), null)
            : (0, ApiStatus.BadRequest($"invalid limit: {text}"));
    }

    public static IncludeObject Include(HttpRequest r) => r.Query["includeObject"].ToString() switch
    {
        "None" => Actors.Api.Printers.IncludeObject.None,
        "Object" => Actors.Api.Printers.IncludeObject.Object,
        _ => Actors.Api.Printers.IncludeObject.Metadata,
    };

    public static TimeSpan WatchTimeout(HttpRequest r) =>
        long.TryParse(r.Query["timeoutSeconds"], out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromMinutes(30 + Random.Shared.Next(30));
}

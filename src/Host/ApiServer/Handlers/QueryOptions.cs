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
    public static bool Bool(HttpRequest r, string name) => Bool(r.Query, name);

    /// <inheritdoc cref="Bool(HttpRequest, string)"/>
    public static bool Bool(IQueryCollection query, string name) => OptionalBool(query, name) ?? false;

    /// <summary>A <c>*bool</c> parameter (orphanDependents): null when absent, else read as <see cref="Bool(HttpRequest, string)"/>.</summary>
    public static bool? OptionalBool(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.Count > 0
            ? values[0] is var v && v != "0" && !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase)
            : null;

    public static (WriteOptions? Options, ApiStatus? Error) Write(HttpRequest r)
    {
        var dryRun = DryRunValues(r.Query["dryRun"]);
        var fieldValidation = r.Query["fieldValidation"].ToString();
        var manager = r.Query["fieldManager"].ToString();
        var errors = r.Method == "PATCH"
            ? WriteOptionsValidation.Patch(PatchDispatch.IsApply(r.ContentType ?? ""), r.Query.ContainsKey("force"), manager, dryRun, fieldValidation)
            : WriteOptionsValidation.Write(manager, dryRun, fieldValidation);
        if (errors.Count > 0)
            return (null, ApiStatus.Invalid("meta.k8s.io", WriteOptionsValidation.OptionsKind(r.Method), "", errors));
        var validation = fieldValidation switch
        {
            "Strict" => FieldValidation.Strict,
            "Ignore" => FieldValidation.Ignore,
            _ => FieldValidation.Warn,
        };
        var userAgent = r.Headers.UserAgent.ToString();
        return (new WriteOptions(dryRun.Count > 0, validation, manager.Length > 0 ? manager : null)
        {
            Force = r.Query.ContainsKey("force") ? Bool(r, "force") : null,
            UserAgentManager = userAgent.Split('/')[0] is var prefix && prefix.Length > 128 ? prefix[..128] : prefix,
        }, null);
    }

    /// <summary>The dryRun parameter's values (it may repeat; an empty one is a value, which validation refuses).</summary>
    public static IReadOnlyList<string> DryRunValues(Microsoft.Extensions.Primitives.StringValues values) =>
        [.. values.Select(v => v ?? "")];

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

using System.Globalization;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Host.ApiServer.Handlers;

/// <summary>The query parameters of GET pods/{name}/log (core/v1 PodLogOptions), with the API's validation.</summary>
public sealed record PodLogOptions(
    string? Container,
    bool Follow,
    bool Previous,
    long? SinceSeconds,
    DateTimeOffset? SinceTime,
    bool Timestamps,
    long? TailLines,
    long? LimitBytes)
{
    public static (PodLogOptions? Options, ApiStatus? Error) Parse(IQueryCollection query, DateTimeOffset now)
    {
        var errors = new List<string>();
        bool Flag(string name) => QueryOptions.Bool(query, name);
        long? Number(string name)
        {
            if (query[name].ToString() is not { Length: > 0 } text) return null;
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
            errors.Add($"{name}: Invalid value: \"{text}\": must be an integer");
            return null;
        }
        var sinceSeconds = Number("sinceSeconds");
        var tail = Number("tailLines");
        var limit = Number("limitBytes");
        DateTimeOffset? sinceTime = null;
        if (query["sinceTime"].ToString() is { Length: > 0 } st)
        {
            sinceTime = KubeObject.ParseTimestamp(st);
            if (sinceTime is null) errors.Add($"sinceTime: Invalid value: \"{st}\": must be RFC3339");
        }
        // ValidatePodLogOptions (pkg/apis/core/validation).
        if (tail is < 0) errors.Add("tailLines: Invalid value: " + tail + ": must be greater than or equal to 0");
        if (limit is < 1) errors.Add("limitBytes: Invalid value: " + limit + ": must be greater than 0");
        if (sinceSeconds is not null && sinceTime is not null) errors.Add("sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        if (sinceSeconds is < 1) errors.Add("sinceSeconds: Invalid value: " + sinceSeconds + ": must be greater than 0");
        if (errors.Count > 0)
            return (null, new ApiStatus(422, "Invalid", $"PodLogOptions \"\" is invalid: {string.Join(", ", errors)}"));
        if (sinceSeconds is { } seconds) sinceTime = now - TimeSpan.FromSeconds(seconds);
        var container = query["container"].ToString();
        return (new PodLogOptions(container.Length > 0 ? container : null, Flag("follow"), Flag("previous"), sinceSeconds, sinceTime,
            Flag("timestamps"), tail, limit), null);
    }
}

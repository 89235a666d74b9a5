using Akka.KubeEmu.Host.ApiServer.Handlers;
using Akka.KubeEmu.Host.ApiServer.Http;

namespace Akka.KubeEmu.Host.ApiServer.Metrics;

/// <summary>
/// The labels kube-apiserver's request metrics carry (endpoints/metrics: CleanVerb, CleanScope),
/// from the request and the resource it named, if any.
/// </summary>
public sealed record RequestLabels(string Verb, string DryRun, string Group, string Version, string Resource, string Subresource, string Scope)
{
    public const string Component = "apiserver";

    /// <summary>Where the resource handler leaves the parsed request for the metrics.</summary>
    public static void Remember(HttpContext context, RequestInfo info) => context.Items[typeof(RequestInfo)] = info;

    public static RequestLabels Of(HttpContext context)
    {
        var request = context.Request;
        var dryRun = request.Query["dryRun"].ToString();
        if (context.Items[typeof(RequestInfo)] is not RequestInfo info)
            return new RequestLabels(request.Method.ToUpperInvariant(), dryRun, "", "", "", "", "");

        var verb = request.Method.ToUpperInvariant() switch
        {
            "GET" when info.WatchPrefix || QueryOptions.IsWatch(request) => "WATCH",
            _ when info.Subresource is "exec" or "attach" or "portforward" or "proxy" => "CONNECT",
            "GET" when info.Name is null => "LIST",
            "DELETE" when info.Name is null => "DELETECOLLECTION",
            "PATCH" when (request.ContentType ?? "").StartsWith("application/apply-patch", StringComparison.Ordinal) => "APPLY",
            var method => method,
        };
        var scope = info.Name is not null || verb == "POST" ? "resource" : info.Namespace is not null ? "namespace" : "cluster";
        return new RequestLabels(verb, dryRun, info.Type.Group, info.Type.Version, info.Type.Plural, info.Subresource ?? "", scope);
    }

    public bool IsLongRunning => Verb is "WATCH" or "CONNECT";
}

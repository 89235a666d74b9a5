using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Host.ApiServer.Handlers;

namespace Akka.KubeEmu.Host.ApiServer.Watch;

/// <summary>
/// What a watch request asks beyond its selectors: bookmarks (allowWatchBookmarks) and the
/// WatchList form (sendInitialEvents with resourceVersionMatch=NotOlderThan: the current state as
/// ADDED events, then a BOOKMARK annotated <c>k8s.io/initial-events-end</c>), validated as
/// apimachinery's ValidateListOptions does for a watch (the WatchList gate is on in 1.32).
/// </summary>
public sealed record WatchOptions(bool Bookmarks, bool SendInitialEvents)
{
    public const string InitialEventsEndAnnotation = "k8s.io/initial-events-end";

    /// <summary>The initial-events-end bookmark is sent only to a watch that also allows bookmarks (the cacher's isListWatchRequest).</summary>
    public bool InitialEventsEnd => SendInitialEvents && Bookmarks;

    public static (WatchOptions? Options, ApiStatus? Error) From(HttpRequest r)
    {
        var match = r.Query["resourceVersionMatch"].ToString();
        var sendInitialEvents = r.Query.ContainsKey("sendInitialEvents") ? QueryOptions.Bool(r, "sendInitialEvents") : (bool?)null;
        var errors = new List<FieldError>();
        if (sendInitialEvents is not null && match != "NotOlderThan")
            errors.Add(FieldError.ForbiddenField("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
        if (match.Length > 0)
        {
            if (sendInitialEvents is null)
                errors.Add(FieldError.ForbiddenField("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            if (match != "NotOlderThan")
                errors.Add(FieldError.Unsupported("resourceVersionMatch", match, ["NotOlderThan"]));
            if (r.Query["continue"].ToString().Length > 0)
                errors.Add(FieldError.ForbiddenField("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
        }
        if (errors.Count > 0) return (null, ApiStatus.Invalid("meta.k8s.io", "ListOptions", "", errors));
        return (new WatchOptions(QueryOptions.Bool(r, "allowWatchBookmarks"), sendInitialEvents == true), null);
    }
}

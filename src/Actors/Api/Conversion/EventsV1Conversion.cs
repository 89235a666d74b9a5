using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// events.k8s.io/v1 Event &lt;-&gt; core/v1 Event, the field mapping of
/// pkg/apis/events/v1/conversion.go: regarding=involvedObject, note=message,
/// reportingController=reportingComponent, deprecated* = the core timestamps/count/source.
/// </summary>
public static class EventsV1Conversion
{
    private static readonly (string V1, string Core)[] Renamed =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    public static JsonObject ToCore(JsonObject v1) => Map(v1, "v1", r => (r.V1, r.Core));

    public static JsonObject FromCore(JsonObject core) => Map(core, "events.k8s.io/v1", r => (r.Core, r.V1));

    private static JsonObject Map(JsonObject source, string apiVersion, Func<(string V1, string Core), (string From, string To)> direction)
    {
        var target = source.DeepClone().AsObject();
        target["apiVersion"] = apiVersion;
        foreach (var pair in Renamed)
        {
            var (from, to) = direction(pair);
            if (target[from] is { } value)
            {
                target.Remove(from);
                target[to] = value;
            }
        }
        return target;
    }
}

using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>printEvent: LAST SEEN TYPE REASON OBJECT MESSAGE, and SUBOBJECT SOURCE FIRST SEEN COUNT NAME with -o wide.</summary>
public static class EventPrinter
{
    public static readonly Printer Printer = new(
    [
        new("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        new("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "The object that this event is about."),
        new("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.", 1),
        new("Source", "The component reporting this event. Should be a short machine understandable string.", 1),
        new("Message", "A human-readable description of the status of this operation."),
        new("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
        new("Count", "The number of times this event has occurred.", 1),
        new("Name", Column.NameColumn.Description, 1, Format: "name"),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject json, DateTimeOffset now)
    {
        var ev = KubernetesJson.Deserialize<Corev1Event>(json.ToJsonString());
        var first = ev.FirstTimestamp is { } f && f != default ? HumanDuration.Since(f, now) : HumanDuration.Since(ev.EventTime, now);
        var last = ev.LastTimestamp is { } l && l != default ? HumanDuration.Since(l, now) : first;
        var count = ev.Count ?? 0;
        if (ev.Series is not null)
        {
            last = HumanDuration.Since(ev.Series.LastObservedTime, now);
            count = ev.Series.Count ?? 0;
        }
        else if (count == 0) count = 1;
        var involved = ev.InvolvedObject;
        var target = string.IsNullOrEmpty(involved?.Name) ? (involved?.Kind ?? "").ToLowerInvariant() : $"{involved.Kind?.ToLowerInvariant()}/{involved.Name}";
        var component = FirstNonEmpty(ev.Source?.Component, ev.ReportingComponent);
        var instance = FirstNonEmpty(ev.Source?.Host, ev.ReportingInstance);
        var source = instance.Length == 0 ? component : $"{component}, {instance}";
        return [last, ev.Type, ev.Reason, target, involved?.FieldPath ?? "", source, (ev.Message ?? "").Trim(), first, count, ev.Metadata.Name];
    }

    private static string FirstNonEmpty(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>
/// The apiextensions table convertor: NAME, then the version's additionalPrinterColumns (default: AGE
/// from .metadata.creationTimestamp). A date column shows as an age; a path that finds nothing is an
/// empty cell. JSONPath is the simple subset CRDs use: <c>.spec.a.b</c>, <c>.items[0].x</c>, optionally in braces.
/// </summary>
public static class CustomResourcePrinter
{
    private static readonly PrinterColumn DefaultAge = new("Age", "date", "", Column.Age.Description, 0, ".metadata.creationTimestamp");

    public static Printer For(ResourceType type)
    {
        var columns = type.Custom?.PrinterColumns is { Count: > 0 } defined ? defined : [DefaultAge];
        return new Printer(
            [Column.NameColumn, .. columns.Select(c => new Column(c.Name, c.Description, c.Priority, c.Type, c.Format))],
            (o, now) => [KubeObject.Name(o), .. columns.Select(c => Cell(o, c, now))]);
    }

    private static JsonNode? Cell(JsonObject obj, PrinterColumn column, DateTimeOffset now)
    {
        var value = Find(obj, column.JsonPath);
        if (value is null) return null;
        if (column.Type == "date" && KubeObject.ParseTimestamp(KubeObject.ScalarText(value)) is { } at)
            return HumanDuration.Since(at.UtcDateTime, now);
        return value is JsonValue v && v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? v.DeepClone()
            : value is JsonValue s ? KubeObject.ScalarText(s) : value.ToJsonString();
    }

    /// <summary>Follows a simple JSONPath (<c>.a.b[0].c</c>); null where it leads nowhere.</summary>
    public static JsonNode? Find(JsonNode? node, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}')) p = p[1..^1];
        foreach (var segment in p.TrimStart('$').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = segment;
            var index = -1;
            if (segment.IndexOf('[') is var open and >= 0 && segment.EndsWith(']'))
            {
                name = segment[..open];
                if (!int.TryParse(segment[(open + 1)..^1], out index)) return null;
            }
            if (name.Length > 0) node = node is JsonObject o ? o[name] : null;
            if (index >= 0) node = node is JsonArray a && index < a.Count ? a[index] : null;
            if (node is null) return null;
        }
        return node;
    }
}

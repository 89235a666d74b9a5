using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>A metav1.TableColumnDefinition; priority 1 columns show with `-o wide`.</summary>
public sealed record Column(string Name, string Description, int Priority = 0, string Type = "string", string Format = "")
{
    public static Column NameColumn { get; } = new("Name",
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        Format: "name");

    public static Column Age { get; } = new("Age",
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}

/// <summary>Columns plus the function that fills a row's cells for one object.</summary>
public sealed record Printer(IReadOnlyList<Column> Columns, Func<JsonObject, DateTimeOffset, IReadOnlyList<JsonNode?>> Cells);

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Host.ApiServer.Tables;

/// <summary>The includeObject query parameter of Table requests.</summary>
public enum TableObjects { None, Metadata, Object }

/// <summary>Turns objects into a meta.k8s.io/v1 Table for kubectl get.</summary>
public static class TableRendering
{
    public static JsonObject Render(ResourceType type, IReadOnlyList<JsonObject> objects, DateTimeOffset now, TableObjects include)
    {
        var rows = new JsonArray();
        foreach (var o in objects)
        {
            var row = new JsonObject
            {
                ["cells"] = new JsonArray(KubeObject.Name(o), KubeObject.ScalarAt(o, "metadata.creationTimestamp")),
            };
            if (include != TableObjects.None)
                row["object"] = include == TableObjects.Object ? o.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = o["metadata"]?.DeepClone(),
                };
            rows.Add(row);
        }
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["columnDefinitions"] = new JsonArray(
                new JsonObject { ["name"] = "Name", ["type"] = "string", ["format"] = "name", ["description"] = "Name", ["priority"] = 0 },
                new JsonObject { ["name"] = "Created At", ["type"] = "date", ["format"] = "", ["description"] = "Created", ["priority"] = 0 }),
            ["rows"] = rows,
        };
    }
}

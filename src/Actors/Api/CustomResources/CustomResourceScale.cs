using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Printers;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// The scale subresource of a custom resource: an autoscaling/v1 Scale read from and written to the
/// paths the definition names (specReplicasPath, statusReplicasPath, labelSelectorPath).
/// </summary>
public static class CustomResourceScale
{
    public static (long? Value, FieldError? Error) Replicas(JsonObject obj, string path)
    {
        var node = CustomResourcePrinter.Find(obj, path);
        if (node is null) return (null, null);
        var value = KubeObject.Long(node);
        return value is null
            ? (null, FieldError.Invalid(path.TrimStart('.'), node.ToJsonString(), "must be an integer"))
            : (value, null);
    }

    /// <summary>The Scale of the object (apiVersion autoscaling/v1).</summary>
    public static JsonObject ToScale(JsonObject obj, ScalePaths paths)
    {
        var status = new JsonObject { ["replicas"] = Replicas(obj, paths.StatusReplicasPath).Value ?? 0 };
        if (paths.LabelSelectorPath is { Length: > 0 } selectorPath && KubeObject.ScalarText(CustomResourcePrinter.Find(obj, selectorPath)) is { } selector)
            status["selector"] = selector;
        var meta = KubeObject.Metadata(obj);
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Replicas(obj, paths.SpecReplicasPath).Value ?? 0 },
            ["status"] = status,
        };
    }

    /// <summary>Writes spec.replicas of a Scale to the object's specReplicasPath (creating the objects on the way).</summary>
    public static void SetReplicas(JsonObject obj, ScalePaths paths, long replicas)
    {
        var segments = paths.SpecReplicasPath.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries);
        var node = obj;
        foreach (var segment in segments[..^1]) node = KubeObject.EnsureObject(node, segment);
        node[segments[^1]] = replicas;
    }
}

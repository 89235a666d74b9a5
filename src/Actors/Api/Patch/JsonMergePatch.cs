using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Patch;

/// <summary>RFC 7386 JSON merge patch (application/merge-patch+json): objects merge, null deletes, the rest replaces.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        var target = original is JsonObject o ? o.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in p)
        {
            if (value is null) target.Remove(key);
            else target[key] = Apply(target[key], value);
        }
        return target;
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>A patch the server cannot apply, with the HTTP code and message to answer.</summary>
public sealed class PatchFailure(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>Routes a PATCH body to the patch implementation its media type names.</summary>
public static class PatchDispatch
{
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    public static JsonObject Apply(string contentType, JsonObject original, byte[] patch, Type modelType)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(patch);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new PatchFailure(400, $"error decoding patch: {e.Message}");
        }
        return mediaType switch
        {
            MergePatch or StrategicMergePatch => Merge(original.DeepClone(), node) as JsonObject
                                                 ?? throw new PatchFailure(422, "patch produced a non-object"),
            _ => throw new PatchFailure(415, $"unsupported patch type {mediaType}"),
        };
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        var t = target as JsonObject ?? new JsonObject();
        foreach (var (k, v) in p)
        {
            if (v is null) t.Remove(k);
            else t[k] = Merge(t[k]?.DeepClone(), v);
        }
        return t;
    }

    internal static string Describe(JsonObject o) => KubeObject.Name(o);
}

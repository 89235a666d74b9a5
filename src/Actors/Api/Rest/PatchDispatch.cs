using System.Text.Json.Nodes;

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

    /// <summary>
    /// The patch types the installer registers (custom resources have no strategic merge), checked
    /// first as PatchResource does: before the options, the body or the object, a 415 naming them.
    /// </summary>
    public static ApiStatus? Unsupported(string contentType, bool customResource)
    {
        string[] supported = customResource ? [JsonPatch, MergePatch, ApplyPatch] : [JsonPatch, MergePatch, StrategicMergePatch, ApplyPatch];
        return supported.Contains(contentType.Split(';')[0].Trim(), StringComparer.Ordinal)
            ? null
            : new ApiStatus(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", supported)}");
    }

    public static bool IsApply(string contentType) =>
        contentType.Split(';')[0].Trim().Equals(ApplyPatch, StringComparison.OrdinalIgnoreCase);

    /// <summary>Custom resources have no patch strategies: kube-apiserver refuses strategic merge patches for them.</summary>
    public static void RefuseStrategicMerge(string contentType)
    {
        if (contentType.Split(';')[0].Trim().Equals(StrategicMergePatch, StringComparison.OrdinalIgnoreCase))
            throw new PatchFailure(415, $"the body of the request was in an unknown format - accepted media types include: {JsonPatch}, {MergePatch}, {ApplyPatch}");
    }

    public static JsonObject Apply(string contentType, JsonObject original, byte[] patch, Type modelType)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not (MergePatch or StrategicMergePatch or JsonPatch))
            throw new PatchFailure(415, $"the body of the request was in an unknown format - accepted media types include: {JsonPatch}, {MergePatch}, {StrategicMergePatch}, {ApplyPatch}");
        JsonNode? node;
        try
        {
            // A field named twice: its last value, as Go's decoder reads the patch.
            node = Schema.DuplicateFields.Parse(patch).Node;
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new PatchFailure(400, $"error decoding patch: {e.Message}");
        }
        var result = mediaType switch
        {
            MergePatch => Api.Patch.JsonMergePatch.Apply(original, node),
            JsonPatch => Api.Patch.JsonPatch.Apply(original, node),
            _ => node is JsonObject smp
                ? Api.Patch.StrategicMergePatch.Apply(original, smp, modelType)
                : throw new PatchFailure(400, "strategic merge patch must be a JSON object"),
        };
        return result as JsonObject ?? throw new PatchFailure(422, "the patch produced something other than an object");
    }
}

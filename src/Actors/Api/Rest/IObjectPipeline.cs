using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>What a decoded object goes through before it is stored, in kube-apiserver's order.</summary>
public interface IObjectPipeline
{
    /// <summary>Type errors (400) and unknown fields (strict: 400, warn: warnings) of the decoded body.</summary>
    DecodeResult Decode(ResourceType type, JsonObject obj);

    /// <summary>Defaulting plus mutating admission.</summary>
    void Default(ResourceType type, JsonObject obj);

    void PrepareForCreate(ResourceType type, JsonObject obj);

    void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old);

    IReadOnlyList<FieldError> ValidateCreate(ResourceType type, JsonObject obj);

    IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject obj, JsonObject old);

    /// <summary>
    /// A write of the status subresource (<paramref name="obj"/> is the stored object with the new status):
    /// the status strategies validate metadata and status, not a spec the write cannot change.
    /// </summary>
    IReadOnlyList<FieldError> ValidateStatusUpdate(ResourceType type, JsonObject obj, JsonObject old) => ValidateUpdate(type, obj, old);
}

/// <param name="DecodeError">The apiserver's decode error text, answered with 400.</param>
/// <param name="UnknownFields">Paths of fields the schema does not know, e.g. "spec.foo".</param>
public sealed record DecodeResult(string? DecodeError, IReadOnlyList<string> UnknownFields)
{
    public static readonly DecodeResult Clean = new(null, []);
}

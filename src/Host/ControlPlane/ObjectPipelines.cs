using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;

namespace Akka.KubeEmu.Host.ControlPlane;

/// <summary>The object pipeline the API server runs.</summary>
public static class ObjectPipelines
{
    public static IObjectPipeline Default { get; } = new Passthrough();

    private sealed class Passthrough : IObjectPipeline
    {
        public DecodeResult Decode(ResourceType type, JsonObject obj) => DecodeResult.Clean;
        public void Default(ResourceType type, JsonObject obj) { }
        public void PrepareForCreate(ResourceType type, JsonObject obj) { }
        public void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old) { }
        public IReadOnlyList<FieldError> ValidateCreate(ResourceType type, JsonObject obj) => [];
        public IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject obj, JsonObject old) => [];
    }
}

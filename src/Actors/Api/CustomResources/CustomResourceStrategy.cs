using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// The apiextensions-apiserver's customResourceStrategy and its decoder: unknown fields pruned,
/// defaults applied, status dropped on create when it has its own subresource, then ObjectMeta and
/// the structural schema validated.
/// </summary>
public static class CustomResourceStrategy
{
    public static IReadOnlyList<string> UnknownFields(ResourceType type, JsonObject obj) =>
        type.Custom?.Schema is { } schema ? StructuralSchema.UnknownFields(schema, obj) : [];

    /// <summary>Pruning then defaulting, as the decoder does on the way in.</summary>
    public static void Default(ResourceType type, JsonObject obj)
    {
        if (type.Custom?.Schema is not { } schema) return;
        StructuralSchema.Prune(schema, obj);
        StructuralSchema.Default(schema, obj);
    }

    public static void PrepareForCreate(ResourceType type, JsonObject obj)
    {
        if (type.Subresources.Contains("status")) obj.Remove("status");
    }

    public static IReadOnlyList<FieldError> ValidateCreate(ResourceType type, JsonObject obj)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(obj, NameValidation.Dns1123Subdomain, errors);
        Schema(type, obj, errors);
        return errors;
    }

    public static IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.ValidateUpdate(obj, old, errors);
        ObjectMetaValidation.UpdatedLists(obj, errors);
        Schema(type, obj, errors);
        if (type.Custom?.Scale is { } scale)
            foreach (var path in new[] { scale.SpecReplicasPath, scale.StatusReplicasPath })
                if (CustomResourceScale.Replicas(obj, path) is { Error: { } error }) errors.Add(error);
        return errors;
    }

    private static void Schema(ResourceType type, JsonObject obj, List<FieldError> errors)
    {
        if (type.Custom?.Schema is { } schema) errors.AddRange(StructuralSchema.Validate(schema, obj));
    }

    /// <summary>The warning a write gets while x-kubernetes-validations rules are not evaluated here.</summary>
    public static IReadOnlyList<string> Warnings(ResourceType type) =>
        type.Custom?.HasValidationRules == true
            ? [$"x-kubernetes-validations rules of {type.Custom.DefinitionName} are not enforced by this emulator"]
            : [];
}

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
        Schema(type, obj, null, errors);
        return errors;
    }

    public static IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.ValidateUpdate(obj, old, errors);
        ObjectMetaValidation.UpdatedLists(obj, errors);
        Schema(type, obj, old, errors);
        if (type.Custom?.Scale is { } scale)
            foreach (var path in new[] { scale.SpecReplicasPath, scale.StatusReplicasPath })
                if (CustomResourceScale.Replicas(obj, path) is { Error: { } error }) errors.Add(error);
        return errors;
    }

    // The x-kubernetes-validations rules run unless an error so far is one the apiserver deems blocking
    // (hasBlockingErr: a wrong type, a missing required field, an unsupported or too long/many value),
    // which it reports in their place.
    private static void Schema(ResourceType type, JsonObject obj, JsonObject? old, List<FieldError> errors)
    {
        if (type.Custom?.Schema is not { } schema) return;
        errors.AddRange(StructuralSchema.Validate(schema, obj));
        if (!type.Custom.HasValidationRules) return;
        if (errors.Any(e => e.Type is FieldError.NotSupported or FieldError.Required or FieldError.TooLong or FieldError.TooMany or FieldError.TypeInvalid))
            errors.Add(FieldError.Invalid("<nil>", "null",
                "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
        else errors.AddRange(ValidationRules.RuleValidator.Validate(schema, obj, old));
    }
}

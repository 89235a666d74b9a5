using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Registry;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Schema;
using Akka.KubeEmu.Actors.Api.Validation;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>The object pipeline of kube-apiserver: strict decoding, defaulting and admission, strategy, validation.</summary>
public sealed class KubernetesPipeline(AdmissionSettings admission) : IObjectPipeline
{
    public DecodeResult Decode(ResourceType type, JsonObject obj)
    {
        if (type.Custom is not null) return new DecodeResult(null, CustomResourceStrategy.UnknownFields(type, obj));
        var result = SchemaCheck.Find(type.ModelType, obj);
        return new DecodeResult(result.DecodeError, result.UnknownFields);
    }

    public void Default(ResourceType type, JsonObject obj)
    {
        if (type.Custom is not null) CustomResourceStrategy.Default(type, obj);
        else ObjectDefaulter.Apply(type, obj, admission);
    }

    public void PrepareForCreate(ResourceType type, JsonObject obj)
    {
        if (type.Custom is not null) CustomResourceStrategy.PrepareForCreate(type, obj);
        else RegistryStrategy.PrepareForCreate(type, obj);
    }

    public void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        if (type.Custom is null) RegistryStrategy.PrepareForUpdate(type, obj, old);
    }

    public IReadOnlyList<FieldError> ValidateCreate(ResourceType type, JsonObject obj) =>
        type.Custom is not null ? CustomResourceStrategy.ValidateCreate(type, obj) : ObjectValidator.ValidateCreate(type, obj);

    public IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject obj, JsonObject old) =>
        type.Custom is not null ? CustomResourceStrategy.ValidateUpdate(type, obj, old) : ObjectValidator.ValidateUpdate(type, obj, old);

    public IReadOnlyList<FieldError> ValidateStatusUpdate(ResourceType type, JsonObject obj, JsonObject old)
    {
        // A custom resource's status strategy validates the whole object against its schema.
        if (type.Custom is not null) return CustomResourceStrategy.ValidateUpdate(type, obj, old);
        var errors = ObjectValidator.ValidateStatusUpdate(obj, old);
        if (type != ResourceCatalog.PodDisruptionBudgets && type != ResourceCatalog.ResourceQuotas) return errors;
        var all = errors.ToList();
        if (type == ResourceCatalog.PodDisruptionBudgets) PodDisruptionBudgetValidation.ValidateStatus(obj, all);
        else QuotaValidation.ValidateResourceQuotaStatus(obj, all);
        return all;
    }
}

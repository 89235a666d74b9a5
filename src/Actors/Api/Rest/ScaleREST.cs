using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Schema;
using Akka.KubeEmu.Actors.Api.Validation;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// The scale subresource of Deployments, ReplicaSets, StatefulSets and ReplicationControllers
/// (each registry's ScaleREST): an autoscaling/v1 Scale derived from the parent, and writes
/// that move only the Scale's spec.replicas and resourceVersion onto the parent, which then
/// takes its own update path (defaulting, validation, generation).
/// </summary>
public sealed class ScaleREST(RestStorage storage)
{
    private const int ConflictRetries = 5;

    public async Task<RestResult> Get(ResourceType type, string ns, string name)
    {
        var parent = await storage.Get(type, ns, name);
        return parent.IsError ? parent : RestResult.Ok(FromParent(type, KubeObject.Parse(parent.Body!.Utf8)));
    }

    public async Task<RestResult> Update(ResourceType type, string ns, string name, JsonObject scale, WriteOptions options)
    {
        if (RestStorage.CheckTypeMeta("autoscaling", "v1", "Scale", scale) is { } typeError) return RestResult.Fail(typeError);
        // The update handler's checks, before any storage: EnsureObjectNamespaceMatchesRequestNamespace
        // (which fills an empty namespace), then checkName.
        if (KubeObject.Namespace(scale).Length == 0) KubeObject.Metadata(scale)["namespace"] = ns;
        else if (KubeObject.Namespace(scale) != ns)
            return RestResult.Fail(ApiStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request"));
        if (KubeObject.Name(scale) != name)
            return RestResult.Fail(ApiStatus.BadRequest($"the name of the object ({KubeObject.Name(scale)}) does not match the name on the URL ({name})"));
        return await Write(type, ns, name, _ => scale.DeepClone().AsObject(), options);
    }

    public async Task<RestResult> Patch(ResourceType type, string ns, string name, string contentType, byte[] patch, WriteOptions options)
    {
        if (!PatchDispatch.IsApply(contentType))
            return await Write(type, ns, name, old => PatchDispatch.Apply(contentType, old, patch, typeof(V1Scale)), options);
        // An applied Scale owns the parent's replicas, recorded with subresource "scale" (the scale handler's path mapping).
        var applied = await storage.ApplyScale(type, ns, name, patch, options, (parent, replicas) =>
        {
            if (type.Custom?.Scale is { } paths) CustomResources.CustomResourceScale.SetReplicas(parent, paths, replicas);
            else KubeObject.EnsureObject(parent, "spec")["replicas"] = replicas;
        });
        return applied.IsError ? applied : RestResult.Ok(FromParent(type, KubeObject.Parse(applied.Body!.Utf8)), 200, applied.Warnings);
    }

    /// <summary>
    /// scaleUpdatedObjectInfo: current parent, its Scale, the requested Scale, the new parent.
    /// A Scale that names no resourceVersion of its own is applied to whatever is current,
    /// retried on conflict; one that names a stale one fails with 409.
    /// </summary>
    private async Task<RestResult> Write(ResourceType type, string ns, string name, Func<JsonObject, JsonObject> requested, WriteOptions options)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await storage.Get(type, ns, name);
            if (current.IsError) return current;
            var parent = KubeObject.Parse(current.Body!.Utf8);
            JsonObject scale;
            try
            {
                scale = requested(FromParent(type, parent));
            }
            catch (PatchFailure e)
            {
                return RestResult.Fail(new ApiStatus(e.Code, e.Code switch { 422 => "Invalid", 415 => "UnsupportedMediaType", _ => "BadRequest" }, e.Message));
            }
            var decode = SchemaCheck.Find(typeof(V1Scale), scale);
            var decoded = new DecodeResult(decode.DecodeError, decode.UnknownFields);
            if (RestStorage.Decoded("Scale", "v1", decoded, options) is { } decodeError) return RestResult.Fail(decodeError);
            var warnings = RestStorage.Warnings(decoded, options);
            // checkName, as the patcher runs it on the patched object.
            if (KubeObject.Name(scale) != name)
                return RestResult.Fail(ApiStatus.BadRequest($"the name of the object ({KubeObject.Name(scale)}) does not match the name on the URL ({name})"));
            if (KubeObject.Namespace(scale).Length > 0 && KubeObject.Namespace(scale) != ns)
                return RestResult.Fail(ApiStatus.BadRequest($"the namespace of the object ({KubeObject.Namespace(scale)}) does not match the namespace on the request ({ns})"));
            if (Validate(scale) is { Count: > 0 } errors)
                return RestResult.Fail(ApiStatus.Invalid("autoscaling", "Scale", name, errors));
            if (KubeObject.Uid(scale) is { Length: > 0 } uid && uid != KubeObject.Uid(parent))
                return RestResult.Fail(UidConflict(type, name, uid, KubeObject.Uid(parent)));

            var parentVersion = KubeObject.ResourceVersion(parent);
            var version = KubeObject.ResourceVersion(scale);
            var pinned = string.IsNullOrEmpty(version) || version == parentVersion;
            var replicas = KubeObject.Long(KubeObject.At(scale, "spec.replicas")) ?? 0;
            if (type.Custom?.Scale is { } paths) CustomResources.CustomResourceScale.SetReplicas(parent, paths, replicas);
            else KubeObject.EnsureObject(parent, "spec")["replicas"] = replicas;
            KubeObject.Metadata(parent)["resourceVersion"] = pinned ? parentVersion : version;

            var result = await storage.Update(type, ns, name, null, parent, options with { ManagedSubresource = "scale" });
            if (pinned && result.Error is { Code: 409, Reason: "Conflict" } && attempt < ConflictRetries) continue;
            return result.IsError
                ? result with { Warnings = [.. warnings, .. result.Warnings] }
                : RestResult.Ok(FromParent(type, KubeObject.Parse(result.Body!.Utf8)), 200, [.. warnings, .. result.Warnings]);
        }
    }

    // A custom resource's Scale comes from the paths its definition names.
    private static JsonObject FromParent(ResourceType type, JsonObject parent) =>
        type.Custom?.Scale is { } paths ? CustomResources.CustomResourceScale.ToScale(parent, paths) : ScaleConversion.FromParent(type, parent);

    /// <summary>ValidateScale (pkg/apis/autoscaling/validation): the object meta, and replicas not negative.</summary>
    private static List<FieldError> Validate(JsonObject scale)
    {
        var errors = new List<FieldError>();
        ObjectMetaValidation.Validate(scale, NameValidation.Dns1123Subdomain, errors);
        if (KubeObject.Long(KubeObject.At(scale, "spec.replicas")) is { } replicas && replicas < 0)
            errors.Add(FieldError.InvalidRaw("spec.replicas", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), "must be greater than or equal to 0"));
        return errors;
    }

    /// <summary>The registries report this conflict on "deployments/scale" (GroupResource deployments/scale.apps).</summary>
    private static ApiStatus UidConflict(ResourceType type, string name, string given, string? actual)
    {
        var resource = $"{type.Plural}/scale";
        var qualified = type.Group.Length == 0 ? resource : $"{resource}.{type.Group}";
        return new ApiStatus(409, "Conflict",
            $"Operation cannot be fulfilled on {qualified} \"{name}\": Precondition failed: UID in precondition: {given}, UID in object meta: {actual}",
            new StatusDetails(name, type.Group.Length == 0 ? null : type.Group, resource));
    }
}

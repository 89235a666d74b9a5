using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.ManagedFields;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// Server-side apply (PATCH with application/apply-patch+yaml): the patcher's applyPatcher. The
/// configuration is merged into the live object by the <see cref="FieldManager"/>, or creates the
/// object when there is none, and the result goes down the same update path as every other write.
/// </summary>
public sealed partial class RestStorage
{
    private async Task<RestResult> Apply(ResourceType type, string ns, string name, string? subresource, byte[] patch, WriteOptions options)
    {
        // ValidatePatchOptions: an applier must say who it is (kubectl says "kubectl").
        if (string.IsNullOrEmpty(options.FieldManager))
            return RestResult.Fail(ApiStatus.Invalid("meta.k8s.io", "PatchOptions", "", [FieldError.RequiredValue("fieldManager", "is required for apply patch")]));
        if (subresource is not (null or "status" or "scale"))
            return RestResult.Fail(ApiStatus.UnsupportedMediaType());
        var (config, error) = ApplyConfiguration(type, name, patch);
        if (error is not null) return RestResult.Fail(error);
        if (CheckNamespace(type, ns, config!) is { } nsError) return RestResult.Fail(nsError);
        var decode = pipeline.Decode(type, config!);
        if (Decoded(type, decode, options) is { } decodeError) return RestResult.Fail(decodeError);
        var warnings = Warnings(type, decode, options);
        var force = options.Force == true;

        for (var attempt = 0; ; attempt++)
        {
            var current = await store.Get(Storage(type).GroupResource, ns, name);
            if (!current.Ok && current.Error!.Code != 404) return RestResult.Fail(Rename(type, current.Error));
            if (!current.Ok)
            {
                if (subresource is not null) return RestResult.Fail(Rename(type, current.Error!));
                var created = FieldManager.Apply(type, null, config!, options.Manager, force, null, _time.GetUtcNow()).Object!;
                var result = await Create(type, ns, created, options, applied: true);
                if (result.Error is { Reason: "AlreadyExists" } && attempt < PatchRetries) continue;
                return result with { Warnings = [.. warnings, .. result.Warnings] };
            }

            var live = KubeObject.Parse(Out(type, current.Raw!).Utf8);
            var applied = FieldManager.Apply(type, live, config!, options.Manager, force, subresource, _time.GetUtcNow());
            if (applied.Conflicts.Count > 0) return RestResult.Fail(ApplyConflicts.Status(applied.Conflicts), warnings);
            var merged = applied.Object!;
            var pinned = KubeObject.ResourceVersion(config!) is not { Length: > 0 };
            KubeObject.Metadata(merged)["resourceVersion"] = pinned ? KubeObject.ResourceVersion(live) : KubeObject.ResourceVersion(config!);
            // A Scale's replicas are the parent's own: written through the main resource.
            var written = await Write(type, subresource == "scale" ? null : subresource, merged, live, options, warnings, applied: true);
            if (pinned && written.Error is { Code: 409, Reason: "Conflict" } && attempt < PatchRetries) continue;
            return written;
        }
    }

    /// <summary>
    /// An applied autoscaling/v1 Scale: its replicas, written by <paramref name="setReplicas"/> into a
    /// configuration of the parent, applied to the parent with subresource "scale".
    /// </summary>
    public async Task<RestResult> ApplyScale(ResourceType type, string ns, string name, byte[] patch, WriteOptions options, Action<JsonObject, long> setReplicas)
    {
        if (string.IsNullOrEmpty(options.FieldManager))
            return RestResult.Fail(ApiStatus.Invalid("meta.k8s.io", "PatchOptions", "", [FieldError.RequiredValue("fieldManager", "is required for apply patch")]));
        var (scale, error) = YamlBody.ToJson(patch);
        if (scale is null) return RestResult.Fail(error!);
        if (KubeObject.ApiVersion(scale) != "autoscaling/v1")
            return RestResult.Fail(ApiStatus.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {KubeObject.ApiVersion(scale)}, expected: autoscaling/v1"));
        if (KubeObject.Kind(scale) != "Scale" || KubeObject.At(scale, "metadata.managedFields") is not null || KubeObject.Name(scale) != name)
            return RestResult.Fail(ApiStatus.BadRequest(KubeObject.At(scale, "metadata.managedFields") is not null
                ? "metadata.managedFields must be nil"
                : $"the name of the object ({KubeObject.Name(scale)}) does not match the name on the URL ({name})"));
        var parent = new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind, ["metadata"] = new JsonObject { ["name"] = name } };
        if (KubeObject.Long(KubeObject.At(scale, "spec.replicas")) is { } replicas) setReplicas(parent, replicas);
        return await Apply(type, ns, name, "scale", Encoding.UTF8.GetBytes(parent.ToJsonString()), options);
    }

    /// <summary>The applied configuration: YAML (JSON is YAML too) naming this endpoint's kind and version.</summary>
    private static (JsonObject? Config, ApiStatus? Error) ApplyConfiguration(ResourceType type, string name, byte[] patch)
    {
        var (config, error) = YamlBody.ToJson(patch);
        if (config is null) return (null, error);
        if (string.IsNullOrEmpty(KubeObject.Kind(config)))
            return (null, ApiStatus.BadRequest($"Object 'Kind' is missing in '{Encoding.UTF8.GetString(KubeObject.ToBytes(config))}'"));
        if (KubeObject.ApiVersion(config) != type.ApiVersion)
            return (null, ApiStatus.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {KubeObject.ApiVersion(config)}, expected: {type.ApiVersion}"));
        if (CheckTypeMeta(type, config) is { } typeError) return (null, typeError);
        if (KubeObject.At(config, "metadata.managedFields") is not null) return (null, ApiStatus.BadRequest("metadata.managedFields must be nil"));
        if (KubeObject.Name(config) != name)
            return (null, ApiStatus.BadRequest($"the name of the object ({KubeObject.Name(config)}) does not match the name on the URL ({name})"));
        return (config, null);
    }
}

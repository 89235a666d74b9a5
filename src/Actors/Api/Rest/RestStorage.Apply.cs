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
    // ValidatePatchOptions: an applier must say who it is (kubectl says "kubectl").
    private static readonly ApiStatus FieldManagerRequired =
        ApiStatus.Invalid("meta.k8s.io", "PatchOptions", "", [FieldError.RequiredValue("fieldManager", "is required for apply patch")]);

    private async Task<RestResult> Apply(ResourceType type, string ns, string name, string? subresource, byte[] patch, WriteOptions options)
    {
        if (string.IsNullOrEmpty(options.FieldManager)) return RestResult.Fail(FieldManagerRequired);
        if (subresource is not (null or "status"))
            return RestResult.Fail(ApiStatus.UnsupportedMediaType());
        var (config, error) = ApplyConfiguration(type.Group, type.Version, type.Kind, name, patch);
        return config is null ? RestResult.Fail(error!) : await Apply(type, ns, name, subresource, config, options);
    }

    /// <summary>
    /// An applied autoscaling/v1 Scale: its replicas, written by <paramref name="setReplicas"/> into a
    /// configuration of the parent, applied to the parent with subresource "scale".
    /// </summary>
    public async Task<RestResult> ApplyScale(ResourceType type, string ns, string name, byte[] patch, WriteOptions options, Action<JsonObject, long> setReplicas)
    {
        if (string.IsNullOrEmpty(options.FieldManager)) return RestResult.Fail(FieldManagerRequired);
        var (scale, error) = ApplyConfiguration("autoscaling", "v1", "Scale", name, patch);
        if (scale is null) return RestResult.Fail(error!);
        var parent = new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind, ["metadata"] = new JsonObject { ["name"] = name } };
        if (KubeObject.Long(KubeObject.At(scale, "spec.replicas")) is { } replicas) setReplicas(parent, replicas);
        return await Apply(type, ns, name, "scale", parent, options);
    }

    private async Task<RestResult> Apply(ResourceType type, string ns, string name, string? subresource, JsonObject config, WriteOptions options)
    {
        if (CheckNamespace(type, ns, config) is { } nsError) return RestResult.Fail(nsError);
        var decode = pipeline.Decode(type, config);
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
                var created = FieldManager.Apply(type, null, config, options.Manager, force, null, _time.GetUtcNow()).Object!;
                var result = await Create(type, ns, created, options, applied: true);
                if (result.Error is { Reason: "AlreadyExists" } && attempt < PatchRetries) continue;
                return result with { Warnings = [.. warnings, .. result.Warnings] };
            }

            var live = KubeObject.Parse(Out(type, current.Raw!).Utf8);
            var applied = FieldManager.Apply(type, live, config, options.Manager, force, subresource, _time.GetUtcNow());
            if (applied.Conflicts.Count > 0) return RestResult.Fail(ApplyConflicts.Status(applied.Conflicts), warnings);
            var merged = applied.Object!;
            var pinned = KubeObject.ResourceVersion(config) is not { Length: > 0 };
            KubeObject.Metadata(merged)["resourceVersion"] = pinned ? KubeObject.ResourceVersion(live) : KubeObject.ResourceVersion(config);
            // A Scale's replicas are the parent's own: written through the main resource.
            var written = await Write(type, subresource == "scale" ? null : subresource, merged, live, options, warnings, applied: true);
            if (pinned && written.Error is { Code: 409, Reason: "Conflict" } && attempt < PatchRetries) continue;
            return written;
        }
    }

    /// <summary>The applied configuration: YAML (JSON is YAML too) naming the endpoint's kind and version.</summary>
    private static (JsonObject? Config, ApiStatus? Error) ApplyConfiguration(string group, string version, string kind, string name, byte[] patch)
    {
        var apiVersion = group.Length == 0 ? version : $"{group}/{version}";
        var (config, error) = YamlBody.ToJson(patch);
        if (config is null) return (null, error);
        if (string.IsNullOrEmpty(KubeObject.Kind(config)))
            return (null, ApiStatus.BadRequest($"Object 'Kind' is missing in '{Encoding.UTF8.GetString(KubeObject.ToBytes(config))}'"));
        if (KubeObject.ApiVersion(config) != apiVersion)
            return (null, ApiStatus.BadRequest($"Incorrect version specified in apply patch. Specified patch version: {KubeObject.ApiVersion(config)}, expected: {apiVersion}"));
        if (CheckTypeMeta(group, version, kind, config) is { } typeError) return (null, typeError);
        if (KubeObject.At(config, "metadata.managedFields") is not null) return (null, ApiStatus.BadRequest("metadata.managedFields must be nil"));
        if (KubeObject.Name(config) != name)
            return (null, ApiStatus.BadRequest($"the name of the object ({KubeObject.Name(config)}) does not match the name on the URL ({name})"));
        return (config, null);
    }
}

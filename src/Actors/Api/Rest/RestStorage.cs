using Akka.KubeEmu.Actors.Api.Registry;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Api.Rest;

/// <summary>
/// The request half of kube-apiserver's generic registry (k8s.io/apiserver endpoints/handlers +
/// registry/generic): decode checks, defaulting, admission, validation, then the Store. The
/// HTTP layer only maps HTTP to these calls; controllers inside the cluster may call them too
/// so that what they create is defaulted and validated like user input.
/// </summary>
public sealed partial class RestStorage(StoreClient store, IObjectPipeline pipeline, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private const int PatchRetries = 5;

    public StoreClient Store => store;

    public async Task<RestResult> Get(ResourceType type, string ns, string name)
    {
        var result = await store.Get(Storage(type).GroupResource, ns, name);
        return result.Ok ? RestResult.Ok(Out(type, result.Raw!)) : RestResult.Fail(Rename(type, result.Error!));
    }

    public async Task<(StoreList? List, ApiStatus? Error)> List(ResourceType type, string? ns, string? labelSelector,
        string? fieldSelector, int limit, string? continueToken, string? resourceVersion = null, string? resourceVersionMatch = null)
    {
        var (list, error) = await store.List(new ListObjects(Storage(type).GroupResource, ns, labelSelector, fieldSelector, limit, continueToken,
            resourceVersion, resourceVersionMatch));
        if (list is null || !(ServedVersions.IsConverted(type) || Converted(type))) return (list, error);
        return (list with { Items = list.Items.Select(i => Out(type, i)).ToArray() }, null);
    }

    public Task<RestResult> Create(ResourceType type, string? ns, JsonObject body, WriteOptions options) =>
        Create(type, ns, body, options, applied: false);

    /// <param name="applied">A server-side apply's create: its managedFields are already the applier's.</param>
    private async Task<RestResult> Create(ResourceType type, string? ns, JsonObject body, WriteOptions options, bool applied)
    {
        if (type.Custom?.Terminating == true)
            return RestResult.Fail(ApiStatus.MethodNotAllowed("create not allowed while custom resource definition is terminating"));
        if (CheckTypeMeta(type, body) is { } typeError) return RestResult.Fail(typeError);
        if (CheckNamespace(type, ns, body) is { } nsError) return RestResult.Fail(nsError);
        var decode = pipeline.Decode(type, body);
        if (Decoded(type, decode, options) is { } decodeError) return RestResult.Fail(decodeError);
        var warnings = Warnings(type, decode, options);
        var served = type;
        if (ServedVersions.ConvertsBeforeAdmission(served)) (type, body) = (Storage(served), ServedVersions.ToStorage(served, body));

        // FillObjectMetaSystemFields: the uid is the server's, and known to the strategy (a Job's selector names it).
        KubeObject.Metadata(body)["uid"] = Uids.New();
        pipeline.Default(type, body);
        // The create handler records the creator's fields after defaulting, before admission and PrepareForCreate.
        if (!applied) ManagedFields.FieldManager.Update(type, null, body, options.Manager, null, _time.GetUtcNow());
        if (await Admission.StorageAdmission.AdmitCreate(type, body, store) is { } denied) return RestResult.Fail(denied, warnings);
        if (await Admission.PriorityAdmission.AdmitCreate(type, body, store) is { } refused) return RestResult.Fail(refused, warnings);
        if (await Admission.IngressClassAdmission.AdmitCreate(type, body, store) is { } rejected) return RestResult.Fail(rejected, warnings);
        if (await Admission.LimitRangerAdmission.AdmitCreate(type, body, store) is { } limited) return RestResult.Fail(limited, warnings);
        if (options.Escalation is { } escalation && await escalation.Check(type, body) is { } escalating) return RestResult.Fail(escalating, warnings);
        pipeline.PrepareForCreate(type, body);
        var errors = pipeline.ValidateCreate(type, body);
        if (errors.Count > 0) return RestResult.Fail(ApiStatus.Invalid(type, NameOrGenerate(body), errors), warnings);
        // Validating admission runs after the strategy's validation, as in kube-apiserver's create handler.
        if (await Admission.ResourceQuotaAdmission.AdmitCreate(type, body, store, options.DryRun) is { } exceeded) return RestResult.Fail(exceeded, warnings);
        warnings = [.. warnings, .. Admission.WebhookConfigurationWarning.OnWrite(type, body)];
        type = served;

        var result = await store.Create(Storage(type).GroupResource, In(type, body), options.DryRun);
        return result.Ok
            ? RestResult.Ok(Out(type, result.Raw!), 201, warnings)
            : RestResult.Fail(Rename(type, result.Error!), warnings);
    }

    /// <param name="current">
    /// The object as the caller last saw it, when the body carries its resourceVersion: the update is then
    /// validated against it without reading the Store first, and the Store's resourceVersion check refuses
    /// it (409) if it is stale. kube-apiserver does the same with the watch cache's copy in GuaranteedUpdate.
    /// </param>
    public async Task<RestResult> Update(ResourceType type, string ns, string name, string? subresource, JsonObject body, WriteOptions options,
        JsonObject? current = null)
    {
        if (CheckTypeMeta(type, body) is { } typeError) return RestResult.Fail(typeError);
        if (CheckNamespace(type, ns, body) is { } nsError) return RestResult.Fail(nsError);
        if (KubeObject.Name(body) is var bodyName && bodyName != name)
            return RestResult.Fail(bodyName.Length == 0
                ? ApiStatus.BadRequest("name is required")
                : ApiStatus.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})"));
        var decode = pipeline.Decode(type, body);
        if (Decoded(type, decode, options) is { } decodeError) return RestResult.Fail(decodeError);
        var warnings = Warnings(type, decode, options);

        if (current is not null && KubeObject.ResourceVersion(body) is { Length: > 0 } rv && rv == KubeObject.ResourceVersion(current)
            && KubeObject.Name(current) == name)
            return await Write(type, subresource, body, current, options, warnings);
        var stored = await store.Get(Storage(type).GroupResource, ns, name);
        if (!stored.Ok && stored.Error!.Code == 404 && subresource is null && CreateOnUpdate.Allowed(type))
        {
            KubeObject.Metadata(body).Remove("resourceVersion"); // the version of nothing: the create ignores it
            return await Create(type, ns, body, options);
        }
        if (!stored.Ok) return RestResult.Fail(Rename(type, stored.Error!), warnings);
        if (string.IsNullOrEmpty(KubeObject.ResourceVersion(body)) && !UnconditionalUpdate.Allowed(type))
            return RestResult.Fail(UnconditionalUpdate.Refusal(type, name), warnings);
        return await Write(type, subresource, body, KubeObject.Parse(Out(type, stored.Raw!).Utf8), options, warnings);
    }

    public async Task<RestResult> Patch(ResourceType type, string ns, string name, string? subresource,
        string contentType, byte[] patch, WriteOptions options)
    {
        if (PatchDispatch.IsApply(contentType)) return await Apply(type, ns, name, subresource, patch, options);
        if (options.Force is not null)
            return RestResult.Fail(ApiStatus.Invalid("meta.k8s.io", "PatchOptions", "", [FieldError.ForbiddenField("force", "may not be specified for non-apply patch")]));
        for (var attempt = 0; ; attempt++)
        {
            var current = await store.Get(Storage(type).GroupResource, ns, name);
            if (!current.Ok) return RestResult.Fail(Rename(type, current.Error!));
            var original = KubeObject.Parse(Out(type, current.Raw!).Utf8);

            JsonObject patched;
            try
            {
                if (type.Custom is not null) PatchDispatch.RefuseStrategicMerge(contentType);
                patched = PatchDispatch.Apply(contentType, original, patch, type.ModelType);
            }
            catch (PatchFailure e)
            {
                return RestResult.Fail(new ApiStatus(e.Code, e.Code switch { 422 => "Invalid", 415 => "UnsupportedMediaType", _ => "BadRequest" }, e.Message));
            }

            // A patch that names no resourceVersion of its own applies to whatever is current: pin the
            // version it was computed against and retry on conflict, as the apiserver's patcher does.
            var pinned = KubeObject.ResourceVersion(patched) is var rv && (string.IsNullOrEmpty(rv) || rv == KubeObject.ResourceVersion(original));
            if (pinned) KubeObject.Metadata(patched)["resourceVersion"] = KubeObject.ResourceVersion(original);
            if (KubeObject.Name(patched) != name)
                return RestResult.Fail(ApiStatus.BadRequest($"the name of the object ({KubeObject.Name(patched)}) does not match the name on the URL ({name})"));

            var decode = pipeline.Decode(type, patched);
            if (Decoded(type, decode, options) is { } decodeError) return RestResult.Fail(decodeError);
            var result = await Write(type, subresource, patched, original, options, Warnings(type, decode, options));
            if (pinned && result.Error?.Code == 409 && result.Error.Reason == "Conflict" && attempt < PatchRetries) continue;
            return result;
        }
    }

    public async Task<RestResult> Delete(ResourceType type, string ns, string name, DeleteRequest request)
    {
        if (ValidateDeleteOptions(request) is { } invalid) return RestResult.Fail(invalid);
        var warnings = DeleteWarnings(type, request);
        var resource = Storage(type).GroupResource;
        var result = await store.Delete(new DeleteObject(resource, ns, name, request.GracePeriodSeconds,
            request.PreconditionUid, request.PreconditionResourceVersion, request.DryRun, request.EffectivePropagationPolicy));
        if (!result.Ok) return RestResult.Fail(Rename(type, result.Error!), warnings);

        // Anything still present (waiting for finalizers or a grace period) comes back as the
        // object, and so do the kinds whose registry returns deleted objects; the others answer
        // with a Success Status, as the generic registry does.
        // From the delete's own answer, not a read after it: a finalizer's owner may have finished
        // the job meanwhile, and the response is still the object as the delete left it.
        var obj = KubeObject.Parse(Out(type, result.Raw!).Utf8);
        var stillThere = !result.Removed;
        // 202 when a cascading delete asked for with orphanDependents=false could not delete at once.
        if (stillThere && request.OrphanDependents == false) return RestResult.Ok(obj, 202, warnings);
        if (stillThere || DeleteResponse.ReturnsObject(type)) return RestResult.Ok(obj, warnings: warnings);
        // StatusDetails.group is omitempty: the core group has none (not a null).
        var details = new JsonObject { ["name"] = name };
        if (type.Group.Length > 0) details["group"] = type.Group;
        details["kind"] = type.Plural;
        details["uid"] = KubeObject.Uid(obj);
        return RestResult.Ok(new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["details"] = details,
        }, warnings: warnings);
    }

    /// <summary>
    /// ValidateDeleteOptions, which the DELETE handler runs before anything else: orphanDependents and
    /// propagationPolicy exclude each other, the policy is one of three, dryRun only "All".
    /// </summary>
    public static ApiStatus? ValidateDeleteOptions(DeleteRequest request)
    {
        var errors = new List<FieldError>();
        if (request.OrphanDependents is not null && request.PropagationPolicy is not null)
            errors.Add(FieldError.Invalid("propagationPolicy", request.PropagationPolicy, "orphanDependents and deletionPropagation cannot be both set"));
        if (request.PropagationPolicy is { } policy && !GarbageCollectionPolicy.Policies.Contains(policy))
            errors.Add(FieldError.Unsupported("propagationPolicy", policy, [.. GarbageCollectionPolicy.Policies, "nil"]));
        if (WriteOptionsValidation.DryRun(request.DryRunValues) is { } dryRun) errors.Add(dryRun);
        return errors.Count == 0 ? null : ApiStatus.Invalid("meta.k8s.io", "DeleteOptions", "", errors);
    }

    // The Job registry warns when a DELETE leaves the policy to batch/v1's default, which orphans the pods.
    private static IReadOnlyList<string> DeleteWarnings(ResourceType type, DeleteRequest request) =>
        type == ResourceCatalog.Jobs && request is { PropagationPolicy: null, OrphanDependents: null }
            ? ["child pods are preserved by default when jobs are deleted; set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning"]
            : [];

    public async Task<RestResult> DeleteCollection(ResourceType type, string? ns, string? labelSelector, string? fieldSelector, DeleteRequest request)
    {
        if (ValidateDeleteOptions(request) is { } invalid) return RestResult.Fail(invalid);
        var (list, error) = await store.List(new ListObjects(Storage(type).GroupResource, ns, labelSelector, fieldSelector));
        if (list is null) return RestResult.Fail(error!);
        var deleted = new JsonArray();
        foreach (var item in list.Items)
        {
            var obj = KubeObject.Parse(item.Utf8);
            var result = await Delete(type, KubeObject.Namespace(obj), KubeObject.Name(obj), request);
            if (result.IsError && result.Error!.Code != 404) return result;
            if (!result.IsError) deleted.Add(KubeObject.Parse(Out(type, item).Utf8));
        }
        return RestResult.Ok(new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = list.ResourceVersion },
            ["items"] = deleted,
        }, warnings: DeleteWarnings(type, request));
    }

    /// <summary>
    /// POST pods/{name}/binding: sets spec.nodeName and the PodScheduled condition in one write,
    /// refused with 409 when the pod is already bound (the scheduler's only way to assign).
    /// </summary>
    public async Task<RestResult> Bind(string ns, string podName, JsonObject binding)
    {
        var target = KubeObject.ScalarAt(binding, "target.name");
        if (string.IsNullOrEmpty(target))
            return RestResult.Fail(ApiStatus.Invalid(ResourceCatalog.Pods, podName, [FieldError.RequiredValue("target.name")]));
        if (KubeObject.Name(binding) is { Length: > 0 } bindingName && bindingName != podName)
            return RestResult.Fail(ApiStatus.BadRequest($"the name of the object ({bindingName}) does not match the name on the URL ({podName})"));

        // One request: the Store checks that the pod is unbound and not being deleted, and assigns it,
        // in one step of its single writer (the apiserver's GuaranteedUpdate of assignPod).
        var meta = new JsonObject { ["name"] = podName, ["namespace"] = ns };
        if (KubeObject.Uid(binding) is { Length: > 0 } uid) meta["uid"] = uid;
        if (KubeObject.At(binding, "metadata.annotations") is JsonObject annotations) meta["annotations"] = annotations.DeepClone();
        var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = meta, ["spec"] = new JsonObject { ["nodeName"] = target } };
        var result = await store.Update("pods", pod, "binding");
        return result.Ok
            ? RestResult.Ok(new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Success", ["code"] = 201 }, 201)
            : RestResult.Fail(result.Error!);
    }

    private async Task<RestResult> Write(ResourceType type, string? subresource, JsonObject body, JsonObject old,
        WriteOptions options, IReadOnlyList<string> warnings, bool applied = false)
    {
        var served = type;
        if (ServedVersions.ConvertsBeforeAdmission(served))
            (type, body, old) = (Storage(served), ServedVersions.ToStorage(served, body), ServedVersions.ToStorage(served, old));
        // A custom resource's decoder prunes and defaults every body, /status and /scale ones included
        // (a status the schema does not describe is warned about and dropped, not stored).
        if (subresource is not null && type.Custom is not null) pipeline.Default(type, body);
        // The pod's decoder defaults the ephemeral containers a pods/ephemeralcontainers write adds.
        if (subresource == "ephemeralcontainers") pipeline.Default(type, body);
        if (subresource is null)
        {
            pipeline.Default(type, body);
            pipeline.PrepareForUpdate(type, body, old);
            if (await Admission.StorageAdmission.AdmitUpdate(type, body, old, store) is { } denied) return RestResult.Fail(denied, warnings);
            if (await Admission.PriorityAdmission.AdmitUpdate(type, body, old, store) is { } refused) return RestResult.Fail(refused, warnings);
        }
        if (subresource is null && options.Escalation is { } escalation && await escalation.Check(type, body) is { } escalating)
            return RestResult.Fail(escalating, warnings);
        // A subresource write is validated as what the Store will keep (the field manager's merge, reused:
        // each merge copies the whole stored object, and a kubelet writes statuses all the time).
        var merged = applied ? null : RecordUpdate(type, subresource, body, old, options);
        if (subresource is not null) merged ??= Merged(subresource, body, old);
        var name = KubeObject.Name(old);
        var errors = subresource switch
        {
            "status" => pipeline.ValidateStatusUpdate(type, merged!, old),
            "ephemeralcontainers" => Validation.ObjectValidator.ValidateEphemeralContainersUpdate(merged!, old),
            _ => pipeline.ValidateUpdate(type, merged ?? body, old),
        };
        if (errors.Count > 0) return RestResult.Fail(ApiStatus.Invalid(type, name, errors), warnings);
        if (subresource is null) warnings = [.. warnings, .. Admission.WebhookConfigurationWarning.OnWrite(type, body)];
        type = served;

        var result = await store.Update(Storage(type).GroupResource, In(type, body), subresource, options.DryRun);
        return result.Ok
            ? RestResult.Ok(Out(type, result.Raw!), 200, warnings)
            : RestResult.Fail(Rename(type, result.Error!), warnings);
    }

    /// <summary>
    /// The fields this write changes become its manager's (subresource writes: of what the Store will
    /// keep). Returns that next state for a subresource write (its managedFields set), null otherwise.
    /// </summary>
    private JsonObject? RecordUpdate(ResourceType type, string? subresource, JsonObject body, JsonObject old, WriteOptions options)
    {
        var now = _time.GetUtcNow();
        var managed = subresource ?? options.ManagedSubresource;
        if (subresource is null)
        {
            ManagedFields.FieldManager.Update(type, old, body, options.Manager, managed, now);
            return null;
        }
        var next = Merged(subresource, body, old);
        ManagedFields.FieldManager.Update(type, old, next, options.Manager, managed, now);
        if (KubeObject.At(next, "metadata.managedFields") is { } fields) KubeObject.Metadata(body)["managedFields"] = fields.DeepClone();
        else KubeObject.Metadata(body).Remove("managedFields");
        return next;
    }

    // What a /status or /finalize write will store, so validation sees the real next state.
    private static JsonObject Merged(string subresource, JsonObject body, JsonObject old)
    {
        var next = old.DeepClone().AsObject();
        switch (subresource)
        {
            case "status":
                next["status"] = body["status"]?.DeepClone();
                break;
            case "finalize":
                KubeObject.EnsureObject(next, "spec")["finalizers"] = KubeObject.At(body, "spec.finalizers")?.DeepClone();
                break;
            case "ephemeralcontainers":
                // ephemeralContainersStrategy: everything but spec.ephemeralContainers stays as stored.
                KubeObject.EnsureObject(next, "spec")["ephemeralContainers"] = KubeObject.At(body, "spec.ephemeralContainers")?.DeepClone();
                break;
        }
        return next;
    }

    private static ApiStatus? CheckTypeMeta(ResourceType type, JsonObject body) =>
        CheckTypeMeta(type.Group, type.Version, type.Kind, body);

    internal static ApiStatus? CheckTypeMeta(string group, string version, string expectedKind, JsonObject body)
    {
        var kind = KubeObject.Kind(body);
        var apiVersion = KubeObject.ApiVersion(body);
        var expected = group.Length == 0 ? version : $"{group}/{version}";
        // The apiserver decodes a body with the endpoint's group, version and kind as defaults
        // (gvkWithDefaults): the official clients leave them out and rely on it.
        if (string.IsNullOrEmpty(apiVersion)) Default(body, 0, "apiVersion", apiVersion = expected);
        if (string.IsNullOrEmpty(kind)) Default(body, 1, "kind", kind = expectedKind);
        if (apiVersion != expected)
            return ApiStatus.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expected})");
        if (kind != expectedKind)
            return ApiStatus.BadRequest($"{expectedKind} in version \"{version}\" cannot be handled as a {expectedKind}: the kind in the data ({kind}) does not match the expected kind ({expectedKind})");
        return null;
    }

    private static ApiStatus? CheckNamespace(ResourceType type, string? ns, JsonObject body)
    {
        if (!type.Namespaced)
        {
            KubeObject.Metadata(body).Remove("namespace");
            return null;
        }
        var bodyNs = KubeObject.Namespace(body);
        if (bodyNs.Length == 0) KubeObject.Metadata(body)["namespace"] = ns;
        else if (bodyNs != ns)
            return ApiStatus.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        return null;
    }

    private static ApiStatus? Decoded(ResourceType type, DecodeResult decode, WriteOptions options) =>
        Decoded(type.Kind, type.Version, decode, options);

    /// <summary>The decoder's verdict, worded as kube-apiserver's: "Pod in version "v1" cannot be handled as a Pod: ...".</summary>
    internal static ApiStatus? Decoded(string kind, string version, DecodeResult decode, WriteOptions options)
    {
        var prefix = $"{kind} in version \"{version}\" cannot be handled as a {kind}: ";
        if (decode.DecodeError is { } error) return ApiStatus.BadRequest(prefix + error);
        if (options.FieldValidation == FieldValidation.Strict && StrictDecodingErrors(decode, options) is { Count: > 0 } errors)
            return ApiStatus.BadRequest(prefix + "strict decoding error: " + string.Join(", ", errors));
        return null;
    }

    internal static IReadOnlyList<string> Warnings(DecodeResult decode, WriteOptions options) =>
        options.FieldValidation == FieldValidation.Warn ? StrictDecodingErrors(decode, options) : [];

    private static IReadOnlyList<string> Warnings(ResourceType type, DecodeResult decode, WriteOptions options) => Warnings(decode, options);

    // Duplicates before unknown fields: kube-apiserver lists them in document order, which is this
    // order whenever a body has only one of the two kinds.
    private static IReadOnlyList<string> StrictDecodingErrors(DecodeResult decode, WriteOptions options) =>
        options.DuplicateFields.Select(f => $"duplicate field \"{f}\"")
            .Concat(decode.UnknownFields.Select(f => $"unknown field \"{f}\"")).ToArray();

    private static string NameOrGenerate(JsonObject obj) =>
        KubeObject.Name(obj) is { Length: > 0 } name ? name : KubeObject.ScalarAt(obj, "metadata.generateName") ?? "";

    private static ResourceType Storage(ResourceType type) => ResourceCatalog.StorageOf(type);

    // Versions served from another's storage convert on the way in (unless already converted) and out.
    // Custom objects served in another version than their storage version are converted as
    // strategy None does: only apiVersion changes.
    private static JsonObject In(ResourceType type, JsonObject obj)
    {
        if (!Converted(type)) return ServedVersions.ConvertsBeforeAdmission(type) ? obj : ServedVersions.ToStorage(type, obj);
        obj["apiVersion"] = $"{type.Group}/{type.Custom!.StorageVersion}";
        return obj;
    }

    /// <summary>The object as <paramref name="type"/>'s version shows it.</summary>
    public static RawJson Out(ResourceType type, RawJson stored)
    {
        if (!Converted(type))
            return ServedVersions.IsConverted(type) ? new RawJson(KubeObject.ToBytes(ServedVersions.FromStorage(type, KubeObject.Parse(stored.Utf8)))) : stored;
        var obj = KubeObject.Parse(stored.Utf8);
        obj["apiVersion"] = type.ApiVersion;
        return new RawJson(KubeObject.ToBytes(obj));
    }

    private static bool Converted(ResourceType type) => type.Custom is { } c && c.StorageVersion != type.Version;

    private static ApiStatus Rename(ResourceType type, ApiStatus status) =>
        type == ResourceCatalog.EventsV1 && status.Details?.Kind == "events"
            ? status with { Message = status.Message.Replace("events \"", "events.events.k8s.io \""), Details = status.Details with { Group = "events.k8s.io" } }
            : status;

    /// <summary>Sets a type field where a manifest has it (first), also when the body carries it empty.</summary>
    private static void Default(JsonObject body, int index, string field, string value)
    {
        if (body.ContainsKey(field)) body[field] = value;
        else body.Insert(Math.Min(index, body.Count), field, value);
    }

    /// <summary>
    /// Parses a request body, reporting JSON errors with the apiserver's wording; with the fields it
    /// names twice (their last value kept, as Go's decoder keeps it).
    /// </summary>
    public static (JsonObject? Object, ApiStatus? Error, IReadOnlyList<string> Duplicates) ParseBody(ReadOnlySpan<byte> body)
    {
        try
        {
            var (node, duplicates) = Schema.DuplicateFields.Parse(body);
            return node is JsonObject o
                ? (o, null, duplicates)
                : (null, ApiStatus.BadRequest("the body of the request must be a JSON object"), []);
        }
        catch (JsonException e)
        {
            return (null, ApiStatus.BadRequest($"json: {e.Message}"), []);
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Store.Allocation;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The storage semantics of kube-apiserver's generic registry over etcd, as pure functions from
/// (current state, request) to a <see cref="Planned"/> write: system metadata, preconditions,
/// generation, status subresource, finalizers and graceful deletion.
/// </summary>
public sealed class ObjectWrites(Func<string, ObjectTable> tables, TimeProvider time, ServiceAllocator? services = null)
{
    // The alphabet of utilrand.String: no vowels (no words), no confusable characters.
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public PlanResult Create(CreateObject cmd, long nextRv)
    {
        var type = StorageRules.Type(cmd.Resource);
        if (!TryParse(cmd.Object, out var obj, out var parseError)) return parseError!;
        var meta = KubeObject.Metadata(obj);
        var namespaced = type?.Namespaced ?? KubeObject.Namespace(obj).Length > 0;
        var ns = KubeObject.Namespace(obj);
        if (!namespaced) meta.Remove("namespace");
        else if (ns.Length == 0) return ApiStatus.BadRequest("the namespace of the object must be set");
        if (!string.IsNullOrEmpty(KubeObject.ResourceVersion(obj)))
            return ApiStatus.BadRequest("resourceVersion should not be set on objects to be created");

        var table = tables(cmd.Resource);
        var name = KubeObject.Name(obj);
        if (name.Length == 0)
        {
            var prefix = KubeObject.String(meta, "generateName");
            if (string.IsNullOrEmpty(prefix) || type is null)
                return ApiStatus.Invalid(type ?? ResourceCatalog.ConfigMaps, "",
                    [FieldError.RequiredValue("metadata.name", "name or generateName is required")]);
            do name = prefix + RandomSuffix(); while (table.Get(ns, name) is not null);
            meta["name"] = name;
        }

        if (namespaced && NamespaceProblem(type, ns, name) is { } nsError) return nsError;
        if (table.Get(namespaced ? ns : "", name) is not null)
            return ApiStatus.AlreadyExists(type ?? ResourceCatalog.ConfigMaps, name);

        // The API server assigns it before its strategies run; other writers get one here.
        if (string.IsNullOrEmpty(KubeObject.String(meta, "uid"))) meta["uid"] = Uids.New();
        meta["creationTimestamp"] = KubeObject.Timestamp(time.GetUtcNow());
        meta["resourceVersion"] = nextRv.ToString();
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        if (StorageRules.TracksGeneration(cmd.Resource)) meta["generation"] = 1;
        else meta.Remove("generation");
        DropEmptyLists(meta);
        if (Allocate(cmd.Resource, obj, null) is { } refused) return refused;
        // The naming and establishing controllers' part, done in the write so the resource is served at once.
        if (cmd.Resource == StorageRules.CustomResourceDefinitions) CustomResourceDefinitionStatus.Accept(obj, time.GetUtcNow());
        return Commit(cmd.Resource, type, null, obj);
    }

    public PlanResult Update(UpdateObject cmd, long nextRv)
    {
        var type = StorageRules.Type(cmd.Resource);
        if (!TryParse(cmd.Object, out var submitted, out var parseError)) return parseError!;
        var namespaced = type?.Namespaced ?? true;
        var ns = namespaced ? KubeObject.Namespace(submitted) : "";
        var name = KubeObject.Name(submitted);
        var existing = tables(cmd.Resource).Get(ns, name);
        var typeOrDefault = type ?? ResourceCatalog.ConfigMaps;
        if (existing is null) return ApiStatus.NotFound(typeOrDefault, name);

        var rv = KubeObject.ResourceVersion(submitted);
        if (!string.IsNullOrEmpty(rv) && rv != existing.ResourceVersion.ToString())
            return ApiStatus.Modified(typeOrDefault, name);
        var uid = KubeObject.Uid(submitted);
        if (!string.IsNullOrEmpty(uid) && uid != existing.Uid)
            return ApiStatus.Conflict(typeOrDefault, name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}");

        var current = existing.ToJsonObject();
        JsonObject next;
        switch (cmd.Subresource)
        {
            case "status":
                // current is this write's own parse of the stored bytes: changed in place, not copied
                // (a copy materialises every node of a large object; the untouched parts are written
                // back straight from the parsed bytes).
                next = current;
                if (submitted.Remove("status", out var status) && status is not null) next["status"] = status;
                else next.Remove("status");
                if (StorageRules.StatusWritesAnnotations(cmd.Resource))
                {
                    if (KubeObject.At(submitted, "metadata.annotations") is { } statusAnnotations)
                        KubeObject.Metadata(next)["annotations"] = statusAnnotations.DeepClone();
                    else KubeObject.Metadata(next).Remove("annotations");
                }
                break;
            case "binding" when cmd.Resource == "pods":
                // Binding is atomic here: the check that the pod is unbound and the assignment
                // happen in one step of the single writer.
                // (pkg/registry/core/pod/storage assignPod: node name, PodScheduled=True, the binding's annotations.)
                if (KubeObject.ScalarAt(current, "spec.nodeName") is { Length: > 0 } bound)
                    return ApiStatus.Conflict(typeOrDefault, name, $"pod {name} is already assigned to node \"{bound}\"");
                if (KubeObject.At(current, "metadata.deletionTimestamp") is not null)
                    return ApiStatus.Conflict(typeOrDefault, name, $"pod {name} is being deleted, cannot be assigned to a host");
                next = current;
                PodBinding.Bind(next, KubeObject.ScalarAt(submitted, "spec.nodeName") ?? "", time.GetUtcNow());
                if (KubeObject.At(submitted, "metadata.annotations") is JsonObject annotations)
                {
                    var podAnnotations = KubeObject.EnsureObject(KubeObject.Metadata(next), "annotations");
                    foreach (var (k, v) in annotations) podAnnotations[k] = v?.DeepClone();
                }
                break;
            case "ephemeralcontainers" when cmd.Resource == "pods":
                // Only the ephemeral containers change (the API validated that none was removed or changed).
                next = current;
                if (KubeObject.At(submitted, "spec.ephemeralContainers") is JsonArray ephemeral)
                    KubeObject.EnsureObject(next, "spec")["ephemeralContainers"] = ephemeral.DeepClone();
                else (next["spec"] as JsonObject)?.Remove("ephemeralContainers");
                break;
            case "finalize":
                next = current;
                KubeObject.EnsureObject(next, "spec")["finalizers"] = KubeObject.At(submitted, "spec.finalizers")?.DeepClone() ?? new JsonArray();
                break;
            case null or "":
                next = submitted;
                var meta = KubeObject.Metadata(next);
                var oldMeta = KubeObject.Metadata(current);
                foreach (var keep in (string[])["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"])
                {
                    if (oldMeta[keep] is { } v) meta[keep] = v.DeepClone();
                    else meta.Remove(keep);
                }
                if (!namespaced) meta.Remove("namespace");
                if (StorageRules.HasStatusSubresource(type))
                {
                    if (current["status"] is { } oldStatus) next["status"] = oldStatus.DeepClone();
                    else next.Remove("status");
                }
                // Deployments also count annotation changes: they are copied to their ReplicaSets
                // (deployment's PrepareForUpdate). Semantic equality: no map and an empty one are equal.
                if (type?.Custom is not null)
                {
                    if (!JsonNode.DeepEquals(WithoutMetadata(current, type), WithoutMetadata(next, type)))
                        meta["generation"] = (KubeObject.Long(oldMeta["generation"]) ?? 0) + 1;
                }
                else if (cmd.Resource == StorageRules.EndpointSlices && type is not null)
                {
                    if (!JsonNode.DeepEquals(WithoutMetadata(current, type), WithoutMetadata(next, type))
                        || !JsonNode.DeepEquals(NonEmpty(oldMeta["labels"]), NonEmpty(meta["labels"])))
                        meta["generation"] = (KubeObject.Long(oldMeta["generation"]) ?? 0) + 1;
                }
                else if (StorageRules.TracksGeneration(cmd.Resource)
                    && (!JsonNode.DeepEquals(current[StorageRules.GenerationSource(cmd.Resource)], next[StorageRules.GenerationSource(cmd.Resource)])
                        || (cmd.Resource == "deployments.apps" && !JsonNode.DeepEquals(NonEmpty(oldMeta["annotations"]), NonEmpty(meta["annotations"])))))
                    meta["generation"] = (KubeObject.Long(oldMeta["generation"]) ?? 0) + 1;
                if (Allocate(cmd.Resource, next, current) is { } refused) return refused;
                // The naming controller's part: accepted names and stored versions follow the spec.
                if (cmd.Resource == StorageRules.CustomResourceDefinitions) CustomResourceDefinitionStatus.Accept(next, time.GetUtcNow());
                break;
            default:
                return ApiStatus.NotFound($"the server could not find the requested resource ({cmd.Subresource})");
        }

        // A subresource write's field ownership comes with it (the API recorded it against this object).
        if (cmd.Subresource is "status" or "finalize" or "ephemeralcontainers" && KubeObject.At(submitted, "metadata.managedFields") is { } managedFields)
            KubeObject.Metadata(next)["managedFields"] = managedFields.DeepClone();
        KubeObject.Metadata(next)["resourceVersion"] = existing.ResourceVersion.ToString();
        DropEmptyLists(KubeObject.Metadata(next));
        // A no-op update is one whose bytes are the stored bytes, as the apiserver's GuaranteedUpdate decides.
        if (KubeObject.ToBytes(next).AsSpan().SequenceEqual(existing.Json.Utf8))
            return new Planned(cmd.Resource, existing, existing, existing.Json, Unchanged: true);

        // An update that leaves a deleted object without finalizers deletes it, unless a grace
        // period still runs (a terminating pod: the kubelet deletes it when its containers stopped).
        if (IsDeleting(next) && FinalizersDone(cmd.Resource, next)
            && KubeObject.Long(KubeObject.At(current, "metadata.deletionGracePeriodSeconds")) is null or 0)
            return Remove(cmd.Resource, existing, next, nextRv);
        KubeObject.Metadata(next)["resourceVersion"] = nextRv.ToString();
        return Commit(cmd.Resource, type, existing, next);
    }

    public PlanResult Delete(DeleteObject cmd, long nextRv)
    {
        var type = StorageRules.Type(cmd.Resource);
        var typeOrDefault = type ?? ResourceCatalog.ConfigMaps;
        var namespaced = type?.Namespaced ?? true;
        var existing = tables(cmd.Resource).Get(namespaced ? cmd.Namespace : "", cmd.Name);
        if (existing is null) return ApiStatus.NotFound(typeOrDefault, cmd.Name);
        if (cmd.PreconditionUid is { Length: > 0 } uid && uid != existing.Uid)
            return ApiStatus.Conflict(typeOrDefault, cmd.Name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {existing.Uid}");
        if (cmd.PreconditionResourceVersion is { Length: > 0 } rv && rv != existing.ResourceVersion.ToString())
            return ApiStatus.Conflict(typeOrDefault, cmd.Name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {existing.ResourceVersion}");

        var obj = existing.ToJsonObject();
        var meta = KubeObject.Metadata(obj);
        var now = time.GetUtcNow();
        var wasDeleting = meta["deletionTimestamp"] is not null;
        var previousGrace = KubeObject.Long(meta["deletionGracePeriodSeconds"]);

        // rest.BeforeDelete: pods are deleted gracefully. A graceful deletion under way may only be
        // shortened; a request that does not shorten it changes nothing, not even the finalizers.
        var graceful = false;
        long grace = 0;
        if (cmd.Resource == "pods" && !(wasDeleting && previousGrace is null or 0))
        {
            grace = PodGracePeriod(obj, cmd.GracePeriodSeconds);
            if (wasDeleting && grace >= previousGrace) return new Planned(cmd.Resource, existing, existing, existing.Json, Unchanged: true);
            graceful = true;
        }

        // A definition's objects go first: the cleanup finalizer holds it, Terminating, until they are deleted.
        if (cmd.Resource == StorageRules.CustomResourceDefinitions && !wasDeleting) CustomResourceDefinitionStatus.MarkTerminating(obj, now);

        // deletionFinalizersForGarbageCollection: the propagation policy as finalizers.
        var finalizers = (KubeObject.At(obj, "metadata.finalizers") as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToList() ?? [];
        if (GarbageCollectionPolicy.FinalizersAfterDelete(cmd.Resource, finalizers, cmd.PropagationPolicy) is { } gcFinalizers)
        {
            finalizers = gcFinalizers.ToList();
            if (finalizers.Count == 0) meta.Remove("finalizers");
            else meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        }
        var pendingFinalizers = finalizers.Count > 0;

        if (graceful)
        {
            // Set (or shorten) the deletion deadline and let the kubelet finish the job.
            if (!wasDeleting) BumpGeneration(meta);
            meta["deletionTimestamp"] = KubeObject.Timestamp(now.AddSeconds(grace));
            meta["deletionGracePeriodSeconds"] = grace;
            if (grace == 0 && !pendingFinalizers) return Remove(cmd.Resource, existing, obj, nextRv);
        }
        else
        {
            if (!pendingFinalizers && cmd.Resource != "namespaces") return Remove(cmd.Resource, existing, obj, nextRv);
            // markAsDeleting: the finalizers' owners (garbage collector, namespace controller, ...) finish the job.
            if (!wasDeleting) BumpGeneration(meta);
            if (KubeObject.ParseTimestamp(KubeObject.String(meta, "deletionTimestamp")) is not { } at || at > now)
                meta["deletionTimestamp"] = KubeObject.Timestamp(now);
            meta["deletionGracePeriodSeconds"] = 0;
            if (cmd.Resource == "namespaces")
            {
                KubeObject.EnsureObject(obj, "status")["phase"] = "Terminating";
                if (FinalizersDone(cmd.Resource, obj)) return Remove(cmd.Resource, existing, obj, nextRv);
            }
        }
        if (JsonNode.DeepEquals(obj, existing.ToJsonObject()))
            return new Planned(cmd.Resource, existing, existing, existing.Json, Unchanged: true);
        meta["resourceVersion"] = nextRv.ToString();
        return Commit(cmd.Resource, type, existing, obj);
    }

    // A Service's cluster IP and node ports are chosen in the same step that stores it.
    private ApiStatus? Allocate(string resource, JsonObject obj, JsonObject? old) =>
        resource == "services" && services is not null ? services.Prepare(obj, old) : null;

    // What customResourceStrategy compares to decide on a new generation.
    private static JsonObject WithoutMetadata(JsonObject obj, ResourceType type)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
            if (key != "metadata" && !(key == "status" && type.Subresources.Contains("status"))) copy[key] = value?.DeepClone();
        return copy;
    }

    private static JsonNode? NonEmpty(JsonNode? map) => map is JsonObject { Count: 0 } ? null : map;

    // Objects that track generation get a new one when their deletion starts (markAsDeleting, BeforeDelete).
    private static void BumpGeneration(JsonObject meta)
    {
        if (KubeObject.Long(meta["generation"]) is long generation and > 0) meta["generation"] = generation + 1;
    }

    private static long PodGracePeriod(JsonObject pod, long? requested)
    {
        var phase = KubeObject.ScalarAt(pod, "status.phase");
        if (string.IsNullOrEmpty(KubeObject.ScalarAt(pod, "spec.nodeName")) || phase is "Succeeded" or "Failed") return 0;
        var grace = requested ?? KubeObject.Long(KubeObject.At(pod, "spec.terminationGracePeriodSeconds")) ?? 30;
        return Math.Max(0, grace);
    }

    private ApiStatus? NamespaceProblem(ResourceType? type, string ns, string name)
    {
        var space = tables("namespaces").Get("", ns);
        if (space is null) return ApiStatus.NotFound(ResourceCatalog.Namespaces, ns);
        if (IsDeleting(space.ToJsonObject()))
            return ApiStatus.Forbidden(type ?? ResourceCatalog.ConfigMaps, name,
                $"unable to create new content in namespace {ns} because it is being terminated");
        return null;
    }

    // ObjectMeta's lists are omitempty: an empty one (the last owner reference or finalizer
    // removed by a patch) is not stored, as it would not survive kube-apiserver's encoding.
    private static void DropEmptyLists(JsonObject meta)
    {
        foreach (var list in (string[])["finalizers", "ownerReferences"])
            if (meta[list] is JsonArray { Count: 0 }) meta.Remove(list);
    }

    private static bool IsDeleting(JsonObject obj) => KubeObject.At(obj, "metadata.deletionTimestamp") is not null;

    private static bool HasFinalizers(JsonObject obj) => KubeObject.At(obj, "metadata.finalizers") is JsonArray { Count: > 0 };

    private static bool FinalizersDone(string resource, JsonObject obj) =>
        !HasFinalizers(obj)
        && (resource != "namespaces" || KubeObject.At(obj, "spec.finalizers") is not JsonArray { Count: > 0 });

    private static Planned Commit(string resource, ResourceType? type, StoredObject? old, JsonObject obj)
    {
        var json = new RawJson(KubeObject.ToBytes(obj));
        return new Planned(resource, old, StoredObject.From(type, obj, json), json);
    }

    private static Planned Remove(string resource, StoredObject existing, JsonObject lastState, long nextRv)
    {
        KubeObject.Metadata(lastState)["resourceVersion"] = nextRv.ToString();
        return new Planned(resource, existing, null, new RawJson(KubeObject.ToBytes(lastState)));
    }

    private static bool TryParse(RawJson raw, out JsonObject obj, out ApiStatus? error)
    {
        try
        {
            obj = KubeObject.Parse(raw.Utf8);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            obj = null!;
            error = ApiStatus.BadRequest($"invalid JSON object: {e.Message}");
            return false;
        }
    }

    private static string RandomSuffix() =>
        string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = NameAlphabet[Random.Shared.Next(NameAlphabet.Length)];
        });
}

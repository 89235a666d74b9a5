using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Api.Admission;

/// <summary>
/// kube-apiserver's Priority admission plugin (plugin/pkg/admission/priority):
/// <list type="bullet">
/// <item>a created pod gets spec.priority and spec.preemptionPolicy from its priorityClassName, or
/// from the globalDefault class (whose name it then carries), or 0 / PreemptLowerPriority when
/// there is none; an unknown class, or a priority / policy in the pod that differs from the
/// class's, is refused with 403 Forbidden worded as kube-apiserver words it;</item>
/// <item>an updated pod keeps the priority it was admitted with when the update omits it;</item>
/// <item>a PriorityClass may be globalDefault only while no other class is.</item>
/// </list>
/// Classes are read from the Store (kube-apiserver reads its informer cache).
/// </summary>
public static class PriorityAdmission
{
    public const string PreemptLowerPriority = "PreemptLowerPriority";

    public static async Task<ApiStatus?> AdmitCreate(ResourceType type, JsonObject obj, StoreClient store)
    {
        if (type == ResourceCatalog.PriorityClasses) return await ValidateClass(obj, null, store);
        if (type != ResourceCatalog.Pods || obj["spec"] is not JsonObject spec) return null;
        var name = KubeObject.Name(obj);
        var className = KubeObject.String(spec, "priorityClassName");
        JsonObject? pc;
        if (string.IsNullOrEmpty(className))
        {
            var (classes, error) = await Classes(store);
            if (classes is null) return ApiStatus.Internal($"failed to get default priority class: {error}");
            pc = DefaultClass(classes);
            if (pc is not null) spec["priorityClassName"] = KubeObject.Name(pc);
        }
        else
        {
            var found = await store.Get(ResourceCatalog.PriorityClasses.GroupResource, "", className);
            if (found.Error is { Code: 404 })
                return ApiStatus.Forbidden(type, name, $"no PriorityClass with name {className} was found");
            if (!found.Ok) return ApiStatus.Internal($"failed to get PriorityClass with name {className}: {found.Error?.Message}");
            pc = KubeObject.Parse(found.Raw!.Utf8);
        }

        var priority = pc is null ? 0 : Value(pc);
        if (spec["priority"] is JsonValue given && given.TryGetValue<long>(out var asked) && asked != priority)
            return ApiStatus.Forbidden(type, name,
                $"the integer value of priority ({asked}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name");
        spec["priority"] = priority;

        var policy = pc is null ? PreemptLowerPriority : KubeObject.String(pc, "preemptionPolicy") ?? PreemptLowerPriority;
        if (KubeObject.String(spec, "preemptionPolicy") is { } wanted && wanted != policy)
            return ApiStatus.Forbidden(type, name,
                $"the string value of PreemptionPolicy ({wanted}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name");
        spec["preemptionPolicy"] = policy;
        return null;
    }

    public static async Task<ApiStatus?> AdmitUpdate(ResourceType type, JsonObject obj, JsonObject old, StoreClient store)
    {
        if (type == ResourceCatalog.PriorityClasses) return await ValidateClass(obj, old, store);
        if (type != ResourceCatalog.Pods || obj["spec"] is not JsonObject spec || old["spec"] is not JsonObject was) return null;
        // Validation forbids changing them; an update that leaves them out keeps what admission set on create.
        foreach (var field in new[] { "priority", "preemptionPolicy" })
            if (spec[field] is null && was[field] is { } kept) spec[field] = kept.DeepClone();
        return null;
    }

    /// <summary>validatePriorityClass: a second globalDefault class is refused.</summary>
    private static async Task<ApiStatus?> ValidateClass(JsonObject pc, JsonObject? old, StoreClient store)
    {
        if (!IsGlobalDefault(pc)) return null;
        var (classes, error) = await Classes(store);
        if (classes is null) return ApiStatus.Internal($"failed to get default priority class: {error}");
        var existing = DefaultClass(classes);
        if (existing is null || old is not null && KubeObject.Name(existing) == KubeObject.Name(pc)) return null;
        return ApiStatus.Forbidden(ResourceCatalog.PriorityClasses, KubeObject.Name(pc),
            $"PriorityClass {KubeObject.Name(existing)} is already marked as default. Only one default can exist");
    }

    /// <summary>getDefaultPriorityClass: of several globalDefault classes (a race), the lowest value.</summary>
    public static JsonObject? DefaultClass(IEnumerable<JsonObject> classes) =>
        classes.Where(IsGlobalDefault).OrderBy(Value).ThenBy(KubeObject.Name, StringComparer.Ordinal).FirstOrDefault();

    public static bool IsGlobalDefault(JsonObject pc) =>
        pc["globalDefault"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    public static long Value(JsonObject pc) =>
        pc["value"] is JsonValue v && v.TryGetValue<long>(out var value) ? value : 0;

    private static async Task<(IReadOnlyList<JsonObject>? Classes, string? Error)> Classes(StoreClient store)
    {
        var (list, error) = await store.List(new ListObjects(ResourceCatalog.PriorityClasses.GroupResource, Immediate: true));
        return list is null ? (null, error?.Message ?? "cannot list priority classes") : (list.Items.Select(i => KubeObject.Parse(i.Utf8)).ToArray(), null);
    }
}

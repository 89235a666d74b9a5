using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Api.Admission;

/// <summary>
/// The two storage admission plugins every default kube-apiserver runs on create:
/// <list type="bullet">
/// <item>DefaultStorageClass: a claim that names no class (no spec.storageClassName, not even "",
/// and no beta annotation) gets the default class's name, or stays without one when there is no
/// default class;</item>
/// <item>StorageObjectInUseProtection: claims get kubernetes.io/pvc-protection, volumes
/// kubernetes.io/pv-protection, so neither disappears while in use.</item>
/// </list>
/// On update, PersistentVolumeClaimResize refuses growing a claim its class cannot expand.
/// The default class is read from the Store (kube-apiserver reads its informer cache), and only
/// for a claim that needs one.
/// </summary>
public static class StorageAdmission
{
    public static async Task<ApiStatus?> AdmitCreate(ResourceType type, JsonObject obj, StoreClient store)
    {
        if (type == ResourceCatalog.PersistentVolumes)
        {
            AddFinalizer(obj, StorageAnnotations.PvProtectionFinalizer);
            return null;
        }
        if (type != ResourceCatalog.PersistentVolumeClaims) return null;
        AddFinalizer(obj, StorageAnnotations.PvcProtectionFinalizer);
        if (HasClass(obj)) return null;
        var (list, error) = await store.List(new ListObjects(ResourceCatalog.StorageClasses.GroupResource, Immediate: true));
        if (list is null) return ApiStatus.Forbidden(type, KubeObject.Name(obj), error?.Message ?? "cannot list storage classes");
        if (DefaultClass(list.Items.Select(i => KubeObject.Parse(i.Utf8))) is { } name)
            KubeObject.EnsureObject(obj, "spec")["storageClassName"] = name;
        return null;
    }

    /// <summary>
    /// PersistentVolumeClaimResize: a claim may ask for more storage only once it is Bound, and only
    /// when its class says allowVolumeExpansion: true (the class is read from the Store).
    /// </summary>
    public static async Task<ApiStatus?> AdmitUpdate(ResourceType type, JsonObject obj, JsonObject old, StoreClient store)
    {
        if (type != ResourceCatalog.PersistentVolumeClaims) return null;
        if (StorageQuantity.Parse(KubeObject.At(obj, "spec.resources.requests.storage")) is not { } size
            || StorageQuantity.Parse(KubeObject.At(old, "spec.resources.requests.storage")) is not { } oldSize || size <= oldSize)
            return null;
        var name = KubeObject.Name(obj);
        if (KubeObject.ScalarAt(old, "status.phase") != "Bound")
            return ApiStatus.Forbidden(type, name, "Only bound persistent volume claims can be expanded");
        var className = KubeObject.At(old, "metadata.annotations") is JsonObject a && KubeObject.String(a, StorageAnnotations.BetaStorageClass) is { } beta
            ? beta : KubeObject.ScalarAt(old, "spec.storageClassName") ?? "";
        var allowed = false;
        if (className.Length > 0)
        {
            var storageClass = await store.Get(ResourceCatalog.StorageClasses.GroupResource, "", className);
            allowed = storageClass.Ok && KubeObject.At(KubeObject.Parse(storageClass.Raw!.Utf8), "allowVolumeExpansion") is JsonValue v
                      && v.TryGetValue<bool>(out var expansion) && expansion;
        }
        return allowed ? null : ApiStatus.Forbidden(type, name,
            "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
    }

    /// <summary>PersistentVolumeClaimHasClass: an explicit class, even "", or the beta annotation.</summary>
    public static bool HasClass(JsonObject claim) =>
        KubeObject.At(claim, "spec.storageClassName") is JsonValue
        || KubeObject.At(claim, "metadata.annotations") is JsonObject a && a.ContainsKey(StorageAnnotations.BetaStorageClass);

    /// <summary>
    /// GetDefaultClass: of the classes marked default, the newest (then the first by name), as
    /// kube-apiserver picks it since 1.26 when several are marked.
    /// </summary>
    public static string? DefaultClass(IEnumerable<JsonObject> classes) =>
        classes.Where(IsDefault)
            .OrderByDescending(c => KubeObject.ParseTimestamp(KubeObject.ScalarAt(c, "metadata.creationTimestamp")) ?? DateTimeOffset.MinValue)
            .ThenBy(KubeObject.Name, StringComparer.Ordinal)
            .Select(KubeObject.Name)
            .FirstOrDefault();

    /// <summary>storageutil.IsDefaultAnnotation: the GA or the beta annotation says "true".</summary>
    public static bool IsDefault(JsonObject storageClass)
    {
        var annotations = KubeObject.StringMap(KubeObject.At(storageClass, "metadata.annotations"));
        return annotations.GetValueOrDefault(StorageAnnotations.IsDefaultClass) == "true"
               || annotations.GetValueOrDefault(StorageAnnotations.BetaIsDefaultClass) == "true";
    }

    private static void AddFinalizer(JsonObject obj, string finalizer)
    {
        var meta = KubeObject.Metadata(obj);
        if (meta["finalizers"] is not JsonArray finalizers) meta["finalizers"] = finalizers = new JsonArray();
        if (!finalizers.Any(f => KubeObject.ScalarText(f) == finalizer)) finalizers.Add(finalizer);
    }
}

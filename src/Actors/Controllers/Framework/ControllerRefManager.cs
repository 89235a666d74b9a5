using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Client;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>
/// pkg/controller's ControllerRefManager: decides which candidates (pods of a ReplicaSet,
/// ReplicaSets of a Deployment) an owner controls. Ours that still match are claimed; ours that
/// stopped matching are released (the ownerReference is removed); orphans that match are adopted
/// (an ownerReference with controller=true is added), but only after a fresh read of the owner
/// shows it is still there and not being deleted. Objects controlled by someone else are left alone.
/// </summary>
public sealed class ControllerRefManager<T>(
    ApiClient api,
    IKubernetesObject<V1ObjectMeta> owner,
    V1OwnerReference controllerRef,
    LabelSelector? selector,
    Func<Task<bool>> canAdopt) where T : class, IKubernetesObject<V1ObjectMeta>
{
    private bool? _canAdopt;

    public async Task<List<T>> Claim(IEnumerable<T> candidates)
    {
        var claimed = new List<T>();
        foreach (var obj in candidates)
        {
            if (await ClaimOne(obj) is { } kept) claimed.Add(kept);
        }
        return claimed;
    }

    private async Task<T?> ClaimOne(T obj)
    {
        var matches = selector.Matches(obj.Metadata?.Labels);
        var controller = KubeModels.ControllerOf(obj);
        if (controller is not null)
        {
            if (controller.Uid != owner.Metadata.Uid) return null;
            if (matches) return obj;
            // Ours but no longer selected: let go of it, unless we are going away anyway.
            if (KubeModels.IsDeleting(owner)) return null;
            await Release(obj);
            return null;
        }
        if (KubeModels.IsDeleting(owner) || !matches || KubeModels.IsDeleting(obj)) return null;
        return await Adopt(obj) ? obj : null;
    }

    private async Task<bool> Adopt(T obj)
    {
        _canAdopt ??= await canAdopt();
        if (_canAdopt != true) return false;
        // The uid in the patch is a precondition: a pod recreated under the same name is not adopted by accident.
        var patch = $$$"""
            {"metadata":{"ownerReferences":[{"apiVersion":"{{{controllerRef.ApiVersion}}}","kind":"{{{controllerRef.Kind}}}","name":"{{{controllerRef.Name}}}","uid":"{{{controllerRef.Uid}}}","controller":true,"blockOwnerDeletion":true}],"uid":"{{{obj.Metadata.Uid}}}"}}
            """;
        var result = await api.Patch<T>(obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name, PatchDispatch.StrategicMergePatch, patch);
        if (result.IsNotFound) return false;
        _ = result.Object; // other failures retry the sync
        return true;
    }

    private async Task Release(T obj)
    {
        var patch = $$$"""
            {"metadata":{"ownerReferences":[{"$patch":"delete","uid":"{{{owner.Metadata.Uid}}}"}],"uid":"{{{obj.Metadata.Uid}}}"}}
            """;
        var result = await api.Patch<T>(obj.Metadata.NamespaceProperty ?? "", obj.Metadata.Name, PatchDispatch.StrategicMergePatch, patch);
        // Gone, or already replaced by another object of the same name: nothing to release.
        if (result.IsNotFound || result.Error?.Code == 422) return;
        _ = result.Object;
    }
}

/// <summary>Owner references as controllers set them (metav1.NewControllerRef).</summary>
public static class ControllerRefs
{
    public static V1OwnerReference For(IKubernetesObject<V1ObjectMeta> owner, string apiVersion, string kind) => new()
    {
        ApiVersion = apiVersion,
        Kind = kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>
    /// RecheckDeletionTimestamp: a fresh read of the owner through the API (not the cache), so that
    /// nothing is adopted by an owner that was deleted or replaced after the cache last saw it.
    /// </summary>
    public static Func<Task<bool>> RecheckOwner<TOwner>(ApiClient api, TOwner owner) where TOwner : class, IKubernetesObject<V1ObjectMeta> =>
        async () =>
        {
            var fresh = await api.Get<TOwner>(owner.Metadata.NamespaceProperty ?? "", owner.Metadata.Name);
            return fresh.Ok && fresh.Object.Metadata.Uid == owner.Metadata.Uid && !KubeModels.IsDeleting(fresh.Object);
        };
}

using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.VolumeProtection;

/// <summary>pkg/controller/util/protectionutil: when a protection controller has something to do with an object.</summary>
public static class Finalizers
{
    public static bool Has(IKubernetesObject<V1ObjectMeta> obj, string finalizer) => obj.Metadata?.Finalizers?.Contains(finalizer) == true;

    /// <summary>NeedToAddFinalizer: alive and not yet protected (admission adds it; this catches objects from before).</summary>
    public static bool NeedToAdd(IKubernetesObject<V1ObjectMeta> obj, string finalizer) =>
        obj.Metadata?.DeletionTimestamp is null && !Has(obj, finalizer);

    /// <summary>IsDeletionCandidate: being deleted and still held by the finalizer.</summary>
    public static bool IsDeletionCandidate(IKubernetesObject<V1ObjectMeta> obj, string finalizer) =>
        obj.Metadata?.DeletionTimestamp is not null && Has(obj, finalizer);
}

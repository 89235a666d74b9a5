using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>
/// pkg/controller's RealPodControl: an owner's pods created and deleted through the API, with the
/// events Kubernetes records on the owner (SuccessfulCreate "Created pod: web-7x2kq", FailedCreate,
/// SuccessfulDelete, FailedDelete). Shared by the ReplicaSet, DaemonSet and Job controllers.
/// </summary>
public static class PodControl
{
    /// <summary>Creates the pod; a failure is recorded and thrown, except into a namespace being deleted (by design, not worth an event).</summary>
    public static async Task Create(ApiClient api, EventRecorder recorder, IKubernetesObject<V1ObjectMeta> owner, V1Pod pod)
    {
        var result = await api.Create(pod);
        if (result.Error is { } error)
        {
            if (IsNamespaceTerminating(error)) return;
            await recorder.Event(owner, EventRecorder.Warning, "FailedCreate", $"Error creating: {error.Message}");
            throw new ApiException(error);
        }
        await recorder.Event(owner, EventRecorder.Normal, "SuccessfulCreate", $"Created pod: {result.Value!.Metadata.Name}");
    }

    /// <summary>
    /// A plain DELETE (the kubelet terminates the pod gracefully). Not <see cref="PodDeletion.Deleted"/>:
    /// the informer will not show a deletion, so the caller stops expecting it. A pod already gone is no error.
    /// </summary>
    public static async Task<PodDeletion> Delete(ApiClient api, EventRecorder recorder, IKubernetesObject<V1ObjectMeta> owner, string ns, string podName)
    {
        var error = await api.Delete<V1Pod>(ns, podName);
        if (error is null)
        {
            await recorder.Event(owner, EventRecorder.Normal, "SuccessfulDelete", $"Deleted pod: {podName}");
            return new PodDeletion(true, null);
        }
        if (error.Code == 404) return new PodDeletion(false, null);
        await recorder.Event(owner, EventRecorder.Warning, "FailedDelete", $"Error deleting: {error.Message}");
        return new PodDeletion(false, new InvalidOperationException($"unable to delete pods: {error.Message}"));
    }

    private static bool IsNamespaceTerminating(ApiStatus error) =>
        error.Details?.Causes?.Any(c => c.Type == "NamespaceTerminating") == true
        || error.Code == 403 && error.Message.EndsWith("because it is being terminated", StringComparison.Ordinal);
}

/// <param name="Deleted">The DELETE was accepted (the informer will show it).</param>
/// <param name="Error">What went wrong, if anything but the pod being gone already.</param>
public readonly record struct PodDeletion(bool Deleted, Exception? Error);

using k8s;
using k8s.Models;

namespace Akka.KubeEmu.TestKit.Api;

/// <summary>Waits until the objects (one by name, or those a label selector picks) satisfy a condition, or throws <see cref="WaitTimeoutException"/>.</summary>
internal interface IObjectWaiter
{
    Task<IReadOnlyList<T>> Until<T>(string? ns, string? name, string? labelSelector,
        Func<IReadOnlyList<T>, bool> done, TimeSpan timeout, string condition, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>;
}

using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>
/// The resourceVersion of a controller's last status write per key. A cached object older than it
/// has not caught up with that write (what the write counted, started or released is missing from
/// it), so the controller does not act on it and syncs the key again a moment later.
/// </summary>
public sealed class OwnStatusWrites
{
    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);

    public void Record(string key, IKubernetesObject<V1ObjectMeta> written) => _written[key] = Version(written);

    public bool IsAhead(string key, IKubernetesObject<V1ObjectMeta> cached) =>
        _written.TryGetValue(key, out var last) && Version(cached) < last;

    public void Forget(string key) => _written.TryRemove(key, out _);

    private static long Version(IKubernetesObject<V1ObjectMeta> obj) =>
        long.TryParse(obj.Metadata.ResourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
}

using System.Collections.Concurrent;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.EndpointSlice;

/// <summary>
/// The endpointSliceTracker: the slices this controller wrote for each Service, with the
/// resourceVersion it expects to see (or their deletion). A sync whose cache does not show them yet
/// would act on a stale picture and create a second slice for the same endpoints: it waits instead.
/// </summary>
public sealed class EndpointSliceTracker
{
    private const long Deleted = -1;

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, long>> _expected = new(StringComparer.Ordinal);

    public void Wrote(string serviceUid, string slice, string? resourceVersion) =>
        Of(serviceUid)[slice] = long.TryParse(resourceVersion, out var rv) ? rv : 0;

    public void Removed(string serviceUid, string slice) => Of(serviceUid)[slice] = Deleted;

    public void Forget(string serviceUid) => _expected.TryRemove(serviceUid, out _);

    /// <summary>True while the cache lacks one of the writes; what it has caught up with is forgotten.</summary>
    public bool Stale(string serviceUid, IReadOnlyCollection<V1EndpointSlice> cached)
    {
        if (!_expected.TryGetValue(serviceUid, out var expected)) return false;
        var byName = cached.ToDictionary(s => s.Metadata.Name, s => long.TryParse(s.Metadata.ResourceVersion, out var rv) ? rv : 0, StringComparer.Ordinal);
        var stale = false;
        foreach (var (name, rv) in expected)
        {
            var seen = rv == Deleted ? !byName.ContainsKey(name) : byName.TryGetValue(name, out var have) && have >= rv;
            if (seen) expected.TryRemove(name, out _);
            else stale = true;
        }
        return stale;
    }

    private ConcurrentDictionary<string, long> Of(string serviceUid) =>
        _expected.GetOrAdd(serviceUid, _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal));
}

namespace Akka.KubeEmu.Actors.Controllers.Job;

/// <summary>
/// The Job controller's finalizerExpectations: the pods whose tracking finalizer it removed, until
/// the informer shows them without it (or gone). Until then a stale cache still shows the
/// finalizer, and the pod must not be counted a second time. Thread-safe.
/// </summary>
public sealed class FinalizerExpectations
{
    private readonly Dictionary<string, HashSet<string>> _uids = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Expect(string jobKey, string podUid)
    {
        lock (_lock)
        {
            if (!_uids.TryGetValue(jobKey, out var set)) _uids[jobKey] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(podUid);
        }
    }

    public void Observed(string jobKey, string podUid)
    {
        lock (_lock)
        {
            if (_uids.TryGetValue(jobKey, out var set) && set.Remove(podUid) && set.Count == 0) _uids.Remove(jobKey);
        }
    }

    public bool Pending(string jobKey, string podUid)
    {
        lock (_lock) return _uids.TryGetValue(jobKey, out var set) && set.Contains(podUid);
    }

    public void Forget(string jobKey)
    {
        lock (_lock) _uids.Remove(jobKey);
    }
}

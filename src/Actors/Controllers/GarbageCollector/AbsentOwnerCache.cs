namespace Akka.KubeEmu.Actors.Controllers.GarbageCollector;

/// <summary>
/// The garbage collector's ReferenceCache: owners known not to exist (by coordinates and
/// namespace; cluster-scoped owners with an empty namespace), so that the dependents of a deleted
/// owner are collected without asking the API server about it again for each of them. A bounded
/// LRU (500 entries, as kube-controller-manager's); thread-safe: the graph builder and the
/// workers share it.
/// </summary>
public sealed class AbsentOwnerCache(int capacity = 500)
{
    private readonly Dictionary<ObjectReference, LinkedListNode<ObjectReference>> _entries = new();
    private readonly LinkedList<ObjectReference> _order = new();
    private readonly Lock _lock = new();

    public void Add(ObjectReference owner)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(owner, out var existing))
            {
                _order.Remove(existing);
                _order.AddFirst(existing);
                return;
            }
            _entries[owner] = _order.AddFirst(owner);
            if (_entries.Count <= capacity) return;
            var oldest = _order.Last!;
            _order.RemoveLast();
            _entries.Remove(oldest.Value);
        }
    }

    public bool Has(ObjectReference owner)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(owner, out var entry)) return false;
            _order.Remove(entry);
            _order.AddFirst(entry);
            return true;
        }
    }
}

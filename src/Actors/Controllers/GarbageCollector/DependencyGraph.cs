using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.GarbageCollector;

/// <summary>What happened to an object, as the graph builder is told (pkg/controller/garbagecollector's event).</summary>
public enum GraphEventType { Add, Update, Delete }

/// <summary>The state of an object that matters to the graph: its owners and how far its deletion went.</summary>
public sealed record ObjectState(IReadOnlyList<V1OwnerReference> Owners, bool BeingDeleted, IReadOnlyList<string> Finalizers)
{
    public bool HasFinalizer(string finalizer) => Finalizers.Contains(finalizer, StringComparer.Ordinal);
}

/// <summary>
/// One change for the graph builder. <paramref name="Virtual"/> deletions come from the workers,
/// which found that an object the graph knows does not exist (or exists with another uid).
/// </summary>
public sealed record GraphEvent(GraphEventType Type, ObjectReference Identity, ObjectState State, ObjectState? Old = null, bool Virtual = false);

/// <summary>A node as a worker sees it, copied under the graph's lock.</summary>
public sealed record NodeView(ObjectReference Identity, bool Observed, bool BeingDeleted, bool DeletingDependents,
    IReadOnlyList<V1OwnerReference> Owners, int DependentCount);

/// <summary>What the graph builder asks of the garbage collector while it processes a change.</summary>
public interface IGraphQueues
{
    /// <summary>attemptToDelete.Add: look at the object (or virtual owner) with this uid.</summary>
    void AttemptToDelete(string uid);

    /// <summary>attemptToDelete.AddRateLimited.</summary>
    void AttemptToDeleteRateLimited(string uid);

    /// <summary>attemptToOrphan.Add: the object with this uid waits for its dependents to be orphaned.</summary>
    void AttemptToOrphan(string uid);

    /// <summary>The Warning event OwnerRefInvalidNamespace about <paramref name="dependent"/>.</summary>
    void ReportInvalidNamespaceOwnerRef(ObjectReference dependent, V1OwnerReference owner);
}

/// <summary>
/// The garbage collector's dependency graph (GraphBuilder.uidToNode): a node per uid, for every
/// object observed through the informers and every owner only heard of in an ownerReference (a
/// virtual node, until an informer shows it or a worker finds it absent), with its owners and
/// its dependents. Only the garbage collector actor changes it (<see cref="Process"/>, O(the
/// object's owners and dependents)); workers read copies under the same lock.
/// </summary>
public sealed class DependencyGraph(AbsentOwnerCache absentOwners, IGraphQueues queues)
{
    private readonly Dictionary<string, Node> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock) return _nodes.Count;
        }
    }

    public NodeView? View(string uid)
    {
        lock (_lock) return _nodes.TryGetValue(uid, out var n) ? n.View() : null;
    }

    /// <summary>The node's dependents (getDependents).</summary>
    public IReadOnlyList<NodeView> Dependents(string uid)
    {
        lock (_lock) return _nodes.TryGetValue(uid, out var n) ? n.Dependents.Select(d => d.View()).ToArray() : [];
    }

    /// <summary>The dependents whose ownerReference to the node has blockOwnerDeletion=true (blockingDependents).</summary>
    public IReadOnlyList<NodeView> BlockingDependents(string uid)
    {
        lock (_lock)
        {
            if (!_nodes.TryGetValue(uid, out var n)) return [];
            return n.Dependents.Where(d => d.Owners.Any(o => o.Uid == uid && o.BlockOwnerDeletion == true)).Select(d => d.View()).ToArray();
        }
    }

    /// <summary>processGraphChanges for one event: updates the graph and fills the queues.</summary>
    public void Process(GraphEvent ev)
    {
        lock (_lock)
        {
            var uid = ev.Identity.Uid;
            _nodes.TryGetValue(uid, out var existing);
            if (existing is not null && !ev.Virtual && existing.Virtual) Observe(existing, ev.Identity);

            switch (ev.Type)
            {
                case GraphEventType.Add or GraphEventType.Update when existing is null:
                {
                    var node = new Node(ev.Identity, ev.State.Owners)
                    {
                        BeingDeleted = ev.State.BeingDeleted,
                        DeletingDependents = ev.State.BeingDeleted && ev.State.HasFinalizer(Store.GarbageCollectionPolicy.ForegroundFinalizer),
                    };
                    _nodes[uid] = node;
                    AddDependentToOwners(node, node.Owners);
                    ProcessTransitions(ev.Old, ev.State, node);
                    break;
                }
                case GraphEventType.Add or GraphEventType.Update:
                {
                    // An object read back under another apiVersion/kind (not for the resources served here, but harmless).
                    if (!ev.Virtual && (existing!.Identity.ApiVersion != ev.Identity.ApiVersion || existing.Identity.Kind != ev.Identity.Kind))
                        existing.Identity = existing.Identity with { ApiVersion = ev.Identity.ApiVersion, Kind = ev.Identity.Kind };
                    var (added, removed, changed) = ReferencesDiffs(existing!.Owners, ev.State.Owners);
                    if (added.Count + removed.Count + changed.Count > 0)
                    {
                        // A blocking reference removed or unblocked may let an owner waiting in the foreground go.
                        AddUnblockedOwnersToDeleteQueue(removed, changed);
                        existing.Owners = ev.State.Owners;
                        AddDependentToOwners(existing, added);
                        RemoveDependentFromOwners(existing, removed);
                    }
                    if (ev.State.BeingDeleted) existing.BeingDeleted = true;
                    ProcessTransitions(ev.Old, ev.State, existing);
                    break;
                }
                case GraphEventType.Delete when existing is not null:
                    ProcessDelete(ev, existing);
                    break;
            }
        }
    }

    // A virtual node is seen by an informer: it becomes real, under the identity the informer gives.
    private void Observe(Node node, ObjectReference observed)
    {
        if (observed != node.Identity)
        {
            // Dependents that named it otherwise (another namespace, kind, name) may be wrong:
            // the workers check them (the bad child -> good parent order; the other order is
            // handled in AddDependentToOwners).
            var (_, invalid) = PartitionDependents(node.Dependents, observed);
            foreach (var dep in invalid)
            {
                if (observed.Namespace.Length > 0 && dep.Identity.Namespace != observed.Namespace)
                    ReportInvalidNamespace(dep, observed.Uid);
                queues.AttemptToDelete(dep.Identity.Uid);
            }
            node.Identity = observed;
        }
        node.Virtual = false;
    }

    private void ProcessDelete(GraphEvent ev, Node existing)
    {
        var removeExisting = true;
        if (ev.Virtual)
        {
            // A worker found this identity absent; the node may stand for another identity too.
            var deleted = ev.Identity;
            if (existing.Virtual)
            {
                var (matching, nonMatching) = PartitionDependents(existing.Dependents, deleted);
                if (nonMatching.Count > 0)
                {
                    // Some dependents disagree on the owner's coordinates: keep the virtual node.
                    removeExisting = false;
                    if (matching.Count > 0)
                    {
                        absentOwners.Add(deleted);
                        foreach (var dep in matching) queues.AttemptToDelete(dep.Identity.Uid);
                    }
                    if (existing.Identity == deleted && AlternateOwnerIdentity(nonMatching, deleted) is { } replacement)
                    {
                        existing.Identity = replacement;
                        queues.AttemptToDeleteRateLimited(existing.Identity.Uid);
                    }
                }
            }
            else if (existing.Identity != deleted)
            {
                // The observed object stays; dependents that named it by the absent identity are checked.
                removeExisting = false;
                var (matching, _) = PartitionDependents(existing.Dependents, deleted);
                if (matching.Count > 0)
                {
                    absentOwners.Add(deleted);
                    foreach (var dep in matching) queues.AttemptToDelete(dep.Identity.Uid);
                }
            }
        }
        if (!removeExisting) return;

        _nodes.Remove(existing.Identity.Uid);
        RemoveDependentFromOwners(existing, existing.Owners);
        if (existing.Dependents.Count > 0) absentOwners.Add(ev.Identity);
        foreach (var dep in existing.Dependents) queues.AttemptToDelete(dep.Identity.Uid);
        // An owner deleting in the foreground may have waited for this one.
        foreach (var owner in existing.Owners)
            if (owner.Uid is { } ownerUid && _nodes.TryGetValue(ownerUid, out var ownerNode) && ownerNode.DeletingDependents)
                queues.AttemptToDelete(ownerUid);
    }

    // addDependentToOwners: owners not in the graph yet get a virtual node, which a worker verifies.
    private void AddDependentToOwners(Node node, IEnumerable<V1OwnerReference> owners)
    {
        var potentiallyInvalid = false;
        foreach (var owner in owners)
        {
            if (string.IsNullOrEmpty(owner.Uid)) continue;
            if (!_nodes.TryGetValue(owner.Uid, out var ownerNode))
            {
                ownerNode = new Node(ObjectReference.Of(owner, node.Identity.Namespace), []) { Virtual = true };
                _nodes[owner.Uid] = ownerNode;
                ownerNode.Dependents.Add(node);
                queues.AttemptToDelete(owner.Uid);
                continue;
            }
            ownerNode.Dependents.Add(node);
            if (potentiallyInvalid) continue;
            var ownerNamespaced = ownerNode.Identity.Namespace.Length > 0;
            if (ownerNamespaced && ownerNode.Identity.Namespace != node.Identity.Namespace)
            {
                // A namespaced owner is looked up in the dependent's namespace only.
                if (!ownerNode.Virtual) ReportInvalidNamespace(node, owner.Uid);
                potentiallyInvalid = true;
            }
            else if (!ownerNode.Identity.MatchesCoordinates(owner)) potentiallyInvalid = true;
            else if (!ownerNamespaced && ownerNode.Identity.Namespace != node.Identity.Namespace && ownerNode.Virtual)
                potentiallyInvalid = true;
        }
        if (potentiallyInvalid) queues.AttemptToDelete(node.Identity.Uid);
    }

    private void RemoveDependentFromOwners(Node node, IEnumerable<V1OwnerReference> owners)
    {
        foreach (var owner in owners)
            if (owner.Uid is { } uid && _nodes.TryGetValue(uid, out var ownerNode))
                ownerNode.Dependents.Remove(node);
    }

    private void AddUnblockedOwnersToDeleteQueue(List<V1OwnerReference> removed, List<(V1OwnerReference Old, V1OwnerReference New)> changed)
    {
        foreach (var r in removed)
            if (r.BlockOwnerDeletion == true && _nodes.ContainsKey(r.Uid ?? ""))
                queues.AttemptToDelete(r.Uid!);
        foreach (var (old, now) in changed)
            if (old.BlockOwnerDeletion == true && now.BlockOwnerDeletion != true && _nodes.ContainsKey(now.Uid ?? ""))
                queues.AttemptToDelete(now.Uid!);
    }

    // An object whose deletion starts with the orphan finalizer is orphaned; with foregroundDeletion
    // its dependents are deleted first (deletionStartsWithFinalizer: on the change that brings it).
    private void ProcessTransitions(ObjectState? old, ObjectState now, Node node)
    {
        if (StartsWith(old, now, Store.GarbageCollectionPolicy.OrphanFinalizer))
        {
            queues.AttemptToOrphan(node.Identity.Uid);
            return;
        }
        if (!StartsWith(old, now, Store.GarbageCollectionPolicy.ForegroundFinalizer)) return;
        node.DeletingDependents = true;
        foreach (var dep in node.Dependents) queues.AttemptToDelete(dep.Identity.Uid);
        queues.AttemptToDelete(node.Identity.Uid);
    }

    private static bool StartsWith(ObjectState? old, ObjectState now, string finalizer) =>
        now.BeingDeleted && now.HasFinalizer(finalizer) && (old is null || !old.BeingDeleted || !old.HasFinalizer(finalizer));

    private void ReportInvalidNamespace(Node dependent, string ownerUid)
    {
        if (dependent.Owners.FirstOrDefault(o => o.Uid == ownerUid) is { } owner)
            queues.ReportInvalidNamespaceOwnerRef(dependent.Identity, owner);
    }

    private static (List<V1OwnerReference> Added, List<V1OwnerReference> Removed, List<(V1OwnerReference Old, V1OwnerReference New)> Changed)
        ReferencesDiffs(IReadOnlyList<V1OwnerReference> old, IReadOnlyList<V1OwnerReference> now)
    {
        var oldByUid = new Dictionary<string, V1OwnerReference>(StringComparer.Ordinal);
        foreach (var o in old) oldByUid[o.Uid ?? ""] = o;
        var added = new List<V1OwnerReference>();
        var changed = new List<(V1OwnerReference, V1OwnerReference)>();
        foreach (var n in now)
        {
            if (oldByUid.Remove(n.Uid ?? "", out var o))
            {
                if (!SameReference(o, n)) changed.Add((o, n));
            }
            else added.Add(n);
        }
        return (added, oldByUid.Values.ToList(), changed);
    }

    private static bool SameReference(V1OwnerReference a, V1OwnerReference b) =>
        a.Uid == b.Uid && a.Name == b.Name && a.Kind == b.Kind && a.ApiVersion == b.ApiVersion
        && a.Controller == b.Controller && a.BlockOwnerDeletion == b.BlockOwnerDeletion;

    /// <summary>
    /// Dependents whose reference to the owner's uid matches <paramref name="owner"/> by all
    /// coordinates (and namespace, for a namespaced owner), and those that name it otherwise;
    /// a dependent with two references to the uid may be in both.
    /// </summary>
    private static (List<Node> Matching, List<Node> NonMatching) PartitionDependents(IEnumerable<Node> dependents, ObjectReference owner)
    {
        var matching = new List<Node>();
        var nonMatching = new List<Node>();
        var ownerNamespaced = owner.Namespace.Length > 0;
        foreach (var dep in dependents)
        {
            bool match = false, mismatch = false;
            if (ownerNamespaced && owner.Namespace != dep.Identity.Namespace) mismatch = true;
            else
                foreach (var r in dep.Owners.Where(r => r.Uid == owner.Uid))
                {
                    if (owner.MatchesCoordinates(r)) match = true;
                    else mismatch = true;
                }
            if (match) matching.Add(dep);
            if (mismatch) nonMatching.Add(dep);
        }
        return (matching, nonMatching);
    }

    /// <summary>
    /// getAlternateOwnerIdentity: another identity the dependents give the absent owner's uid, the
    /// first after <paramref name="absent"/> in (kind, apiVersion, namespace, name) order, or the first.
    /// </summary>
    private static ObjectReference? AlternateOwnerIdentity(IEnumerable<Node> dependents, ObjectReference absent)
    {
        var clusterScoped = absent.Namespace.Length == 0;
        var seen = new HashSet<ObjectReference> { absent };
        ObjectReference? first = null, firstFollowing = null;
        foreach (var dep in dependents)
            foreach (var r in dep.Owners.Where(r => r.Uid == absent.Uid))
            {
                if (absent.MatchesCoordinates(r) && (clusterScoped || absent.Namespace == dep.Identity.Namespace)) continue;
                var candidate = ObjectReference.Of(r, dep.Identity.Namespace);
                // That apiVersion/kind is known to be cluster-scoped.
                if (clusterScoped && candidate.ApiVersion == absent.ApiVersion && candidate.Kind == absent.Kind)
                    candidate = candidate with { Namespace = "" };
                if (!seen.Add(candidate)) continue;
                if (first is null || Compare(candidate, first) < 0) first = candidate;
                if (Compare(absent, candidate) < 0 && (firstFollowing is null || Compare(candidate, firstFollowing) < 0))
                    firstFollowing = candidate;
            }
        return firstFollowing ?? first;
    }

    private static int Compare(ObjectReference a, ObjectReference b)
    {
        foreach (var (x, y) in new[] { (a.Kind, b.Kind), (a.ApiVersion, b.ApiVersion), (a.Namespace, b.Namespace), (a.Name, b.Name), (a.Uid, b.Uid) })
        {
            var c = string.CompareOrdinal(x, y);
            if (c != 0) return c;
        }
        return 0;
    }

    private sealed class Node(ObjectReference identity, IReadOnlyList<V1OwnerReference> owners)
    {
        public ObjectReference Identity { get; set; } = identity;

        public IReadOnlyList<V1OwnerReference> Owners { get; set; } = owners;

        /// <summary>The objects that name this one in an ownerReference.</summary>
        public HashSet<Node> Dependents { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>Known only from ownerReferences, never seen by an informer.</summary>
        public bool Virtual { get; set; }

        /// <summary>Has a deletionTimestamp (a one-way trip).</summary>
        public bool BeingDeleted { get; set; }

        /// <summary>Deleting with the foregroundDeletion finalizer: waits for its blocking dependents.</summary>
        public bool DeletingDependents { get; set; }

        public NodeView View() => new(Identity, !Virtual, BeingDeleted, DeletingDependents, Owners, Dependents.Count);
    }
}

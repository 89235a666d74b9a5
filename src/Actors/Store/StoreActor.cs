using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Store.Allocation;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.Persistence;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The emulator's etcd plus the storage half of kube-apiserver's registry: the single writer of
/// all objects, with one global, monotonic resourceVersion. Runs as a cluster singleton.
/// <para>
/// Writes are validated against the in-memory state, applied to it at once (so the next
/// command sees them) and journaled with PersistAsync, which lets the journal batch them; the
/// reply and the watch events go out only once the write is durable. Reads are answered
/// through DeferAsync, after every earlier write is durable, so nobody ever sees a state the
/// journal could lose.
/// </para>
/// </summary>
public sealed class StoreActor : UntypedPersistentActor
{
    public const string Id = "kubeemu-store";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly StoreSettings _settings;
    private readonly Dictionary<string, ObjectTable> _tables = new(StringComparer.Ordinal);
    private readonly WatchHub _watch;
    private readonly ObjectWrites _writes;
    private readonly ServiceAllocator _serviceAllocator;
    private readonly HashSet<IActorRef> _subscribers = [];
    private long _rv;

    /// <summary>The resourceVersion of the last change handed to the watchers (writes become visible to them once durable).</summary>
    private long _dispatchedRv;
    private readonly CheckpointCycle _checkpoint;
    private long _checkpointStartRv;

    // Replayed from a checkpoint marker, the keyspace is whole only from the cycle's final chunk on;
    // changes before it are not recorded in the watch window (their previous state may be missing).
    private bool _baseComplete = true;
    private readonly JournalTrim _trim;
    private bool _flushScheduled;
    private bool _stopping;
    private readonly TimeProvider _time;
    private readonly FreshWaiters _freshWaiters = new();

    public StoreActor(StoreSettings settings, TimeProvider time)
    {
        _settings = settings;
        _time = time;
        _watch = new WatchHub(new ChangeWindow(Math.Max(1, settings.WatchWindow), settings.WindowMaxAge, WatchHub.IndexedFieldOf), Math.Max(1, settings.WatchMaxUnacknowledged));
        _serviceAllocator = new ServiceAllocator(settings.Services ?? new ServiceNetworkSettings());
        _writes = new ObjectWrites(Table, time, _serviceAllocator);
        _trim = new JournalTrim(Math.Max(1, settings.JournalTrimStep));
        _checkpoint = new CheckpointCycle(settings.SnapshotEvery, settings.SnapshotChunk);
    }

    public static Props Props(StoreSettings settings, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new StoreActor(settings, time));

    public override string PersistenceId => Id;

    private int ObjectCount => _tables.Values.Sum(t => t.Count);

    private ObjectTable Table(string resource)
    {
        if (!_tables.TryGetValue(resource, out var t)) _tables[resource] = t = new ObjectTable(StorageRules.IndexedFields(resource));
        return t;
    }

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: StoreSnapshot snapshot } offer:
                // A whole keyspace: what versions before the rolling checkpoint saved.
                _trim.RecoveredFrom(offer.Metadata.SequenceNr);
                _tables.Clear();
                foreach (var entry in snapshot.Objects)
                    Table(entry.Resource).Put(StoredObject.From(StorageRules.Type(entry.Resource), entry.Object));
                _rv = snapshot.ResourceVersion;
                _watch.ResetWindow(_rv);
                break;
            case SnapshotOffer { Snapshot: StoreCheckpoint checkpoint } offer:
                _trim.RecoveredFrom(offer.Metadata.SequenceNr);
                _tables.Clear();
                _rv = checkpoint.ResourceVersion;
                _baseComplete = false;
                break;
            case ObjectStored e:
                var stored = StoredObject.From(StorageRules.Type(e.Resource), e.Object);
                var table = Table(e.Resource);
                var previous = table.Get(stored.Namespace, stored.Name);
                table.Put(stored);
                _rv = Math.Max(_rv, stored.ResourceVersion);
                if (_baseComplete) _watch.Record(new Change(stored.ResourceVersion, e.Resource, previous, stored, null), _time.GetUtcNow());
                break;
            case ObjectRemoved e:
                var removed = Table(e.Resource).Get(e.Namespace, e.Name);
                Table(e.Resource).Remove(e.Namespace, e.Name);
                _rv = Math.Max(_rv, e.ResourceVersion);
                if (removed is not null && _baseComplete) _watch.Record(RecoveredRemoval.Of(e, removed), _time.GetUtcNow());
                break;
            case ObjectsCheckpointed c:
                foreach (var entry in c.Objects)
                {
                    var o = StoredObject.From(StorageRules.Type(entry.Resource), entry.Object);
                    Table(entry.Resource).Put(o);
                    _rv = Math.Max(_rv, o.ResourceVersion);
                }
                if (c.Final && !_baseComplete) BaseCompleted();
                break;
            case RecoveryCompleted:
                if (!_baseComplete)
                {
                    _log.Error("Store journal ends before the final chunk of the checkpoint it recovered from: objects may be missing");
                    BaseCompleted();
                }
                // The definitions it holds tell this process which custom resources exist (added to what the
                // process's watch may already know: a store taking over must not forget what it has not seen).
                foreach (var definition in Table(StorageRules.CustomResourceDefinitions).Enumerate(null))
                    Api.CustomResources.CustomResourceRegistry.Apply(definition.ToJsonObject());
                // The window keeps what the journal replayed since the snapshot: a watch that a
                // failover interrupted resumes from its last resourceVersion instead of listing again.
                _serviceAllocator.Rebuild(Table("services").Enumerate(null).Select(o => o.ToJsonObject()));
                _dispatchedRv = _rv;
                _log.Info("Store recovered {0} objects at resourceVersion {1}", ObjectCount, _rv);
                StartCheckpointCycle();
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        if (_stopping && message is CreateObject or UpdateObject or DeleteObject or WatchObjects)
        {
            // Refused, not dropped: the sender knows the write was not applied and may retry on the next store.
            Sender.Tell(new StoreFailure(ApiStatus.Unavailable("the store is stopping")), Self);
            return;
        }
        switch (message)
        {
            case Shutdown: StopWhenDurable(); break;
            case CreateObject c: Write(c.DryRun, _writes.Create(c, _rv + 1)); break;
            case UpdateObject u: Write(u.DryRun, _writes.Update(u, _rv + 1)); break;
            case DeleteObject d: Write(d.DryRun, _writes.Delete(d, _rv + 1)); break;
            case GetObject g: HandleGet(g); break;
            case ListObjects l: List(l, Sender); break;
            case CompactWindow c: Compact(c); break;
            case FreshWaiters.Expired e: TooLargeResourceVersion(e.Id); break;
            case WatchObjects w: HandleWatch(w); break;
            case CancelWatch cw: _watch.Remove(cw.WatchId); break;
            case WatchAck ack: _watch.Acknowledge(ack.WatchId, ack.Events); break;
            case RequestWatchProgress p: ReportProgress(p.WatchId); break;
            case Terminated t: Unsubscribe(t.ActorRef); break;
            case Akka.Cluster.ClusterEvent.ReachableMember r: EndWatchesThatMayHaveLost(r.Member.Address); break;
            case FlushWatches: Flush(); break;
            case SaveSnapshotSuccess s: OnSnapshotSaved(s.Metadata); break;
            case SaveSnapshotFailure f:
                _log.Warning(f.Cause, "Store checkpoint marker not saved; recovery replays from the previous one, whose journal is kept");
                break;
            case DeleteMessagesSuccess d: Trim(_trim.Deleted(d.ToSequenceNr)); break;
            case DeleteMessagesFailure f:
                _trim.Failed();
                _log.Warning(f.Cause, "Deleting journal events up to {0} failed; the next snapshot retries", f.ToSequenceNr);
                break;
            case DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            default: Unhandled(message); break;
        }
    }

    private void Write(bool dryRun, PlanResult result)
    {
        var sender = Sender;
        if (result.Error is { } error)
        {
            Reply(sender, new StoreFailure(error));
            return;
        }
        var plan = result.Plan!;
        if (dryRun || plan.Unchanged)
        {
            Reply(sender, new StoreObject(dryRun ? plan.DryRunReply() : plan.Reply, plan.IsRemoval));
            return;
        }

        _rv++;
        var table = Table(plan.Resource);
        object evt;
        Change change;
        if (plan.IsRemoval)
        {
            table.Remove(plan.Old!.Namespace, plan.Old.Name);
            evt = new ObjectRemoved(plan.Resource, plan.Old.Namespace, plan.Old.Name, _rv);
            change = new Change(_rv, plan.Resource, plan.Old, null, plan.Reply);
        }
        else
        {
            table.Put(plan.New!);
            evt = new ObjectStored(plan.Resource, plan.New!.Json);
            change = new Change(_rv, plan.Resource, plan.Old, plan.New, null);
        }
        if (plan.Resource == "services") _serviceAllocator.Apply(plan.Old?.ToJsonObject(), plan.New?.ToJsonObject());
        if (plan.Resource == StorageRules.CustomResourceDefinitions)
        {
            if (plan.New is { } definition) Api.CustomResources.CustomResourceRegistry.Apply(definition.ToJsonObject());
            else Api.CustomResources.CustomResourceRegistry.Remove(plan.Old!.Name);
        }
        _watch.Record(change, _time.GetUtcNow());
        PersistAsync(evt, _ =>
        {
            // Durable now: answer directly (a deferred reply would queue behind later writes).
            sender.Tell(new StoreObject(plan.Reply, plan.IsRemoval), Self);
            _watch.Dispatch(change);
            _dispatchedRv = change.ResourceVersion;
            ScheduleFlush();
        });
        // After PersistAsync: their replies are deferred behind this write, which they show.
        foreach (var (list, waiter) in _freshWaiters.ReachedBy(_rv)) List(list, waiter);
        if (_checkpoint.Journaled()) PersistCheckpointChunk();
    }

    private void HandleGet(GetObject g)
    {
        var type = StorageRules.Type(g.Resource);
        var obj = Table(g.Resource).Get(type?.Namespaced == false ? "" : g.Namespace, g.Name);
        Reply(Sender, obj is null
            ? new StoreFailure(ApiStatus.NotFound(type ?? ResourceCatalog.ConfigMaps, g.Name))
            : new StoreObject(obj.Json));
    }

    /// <summary>
    /// Answers a list at the state its options ask for (<see cref="ListRead"/>): the latest, the
    /// latest once the store has reached a resourceVersion, or the state at an exact one, which is
    /// also where every page after the first of a paged list is read.
    /// </summary>
    private void List(ListObjects l, IActorRef sender)
    {
        if (!TryParseSelectors(sender, l.LabelSelector, l.FieldSelector, out var labels, out var fields)) return;
        var (read, invalid) = ListRead.Decide(l);
        if (read is null)
        {
            Reply(sender, new StoreFailure(invalid!));
            return;
        }
        if (read.Consistency != ListConsistency.Latest && read.ResourceVersion > _rv)
        {
            // The watch cache's waitUntilFreshAndBlock: the resourceVersion may come from a write
            // another client saw first; after the wait, 504 and a retry hint.
            _freshWaiters.Add(l, sender, read.ResourceVersion, Context.System.Scheduler, Self);
            return;
        }
        if (read.Consistency == ListConsistency.Exact && !_watch.Window.Covers(read.ResourceVersion))
        {
            Reply(sender, new StoreFailure(read.StartAfter is null
                ? ApiStatus.Gone("The resourceVersion for the provided list is too old.")
                : ApiStatus.ContinueExpired(new ContinueToken(ContinueToken.Latest, read.StartAfter).Encode())));
            return;
        }

        var ns = StorageRules.IsNamespaced(l.Resource) ? l.Namespace : null;
        var past = read.Consistency == ListConsistency.Exact && read.ResourceVersion < _rv;
        var listRv = read.Consistency == ListConsistency.Exact ? read.ResourceVersion : _rv;
        var candidates = past
            ? new PastState(Table(l.Resource), l.Resource, _watch.Window, read.ResourceVersion).Candidates(ns, labels, fields, read.StartAfter)
            : Table(l.Resource).Candidates(ns, labels, fields, read.StartAfter);
        var limit = read.IgnoreLimit ? 0 : l.Limit;
        var items = new List<RawJson>();
        long remaining = 0;
        StoredObject? last = null;
        foreach (var o in candidates)
        {
            if (!labels.Matches(o.Labels) || !fields.Matches(o.Fields)) continue;
            if (limit > 0 && items.Count == limit)
            {
                remaining++;
                continue;
            }
            items.Add(o.Json);
            last = o;
        }
        string? next = null;
        if (remaining > 0 && last is not null)
            next = new ContinueToken(listRv, ObjectTable.Key(last.Namespace, last.Name)).Encode();
        // etcd counts the keys after the page, matching or not: the apiserver reports the count
        // only for a list without selectors, where it is exact.
        long? remainingItemCount = next is not null && labels.IsEmpty && fields.IsEmpty ? remaining : null;
        var answer = new StoreList(items, listRv.ToString(System.Globalization.CultureInfo.InvariantCulture), next, remainingItemCount);
        if (l.Immediate) sender.Tell(answer, Self);
        else Reply(sender, answer);
    }

    private void TooLargeResourceVersion(long waiterId)
    {
        if (_freshWaiters.Remove(waiterId) is { } waiter)
            Reply(waiter.Sender, new StoreFailure(ApiStatus.TooLargeResourceVersion(waiter.ResourceVersion, _rv)));
    }

    private void Compact(CompactWindow c)
    {
        var through = Math.Min(c.ResourceVersion ?? _rv, _rv);
        _watch.Window.CompactThrough(through);
        _log.Info("Store window compacted through resourceVersion {0}", _watch.WindowStart);
        Reply(Sender, new WindowCompacted(_watch.WindowStart));
    }

    private void HandleWatch(WatchObjects w)
    {
        if (!TryParseSelectors(Sender, w.LabelSelector, w.FieldSelector, out var labels, out var fields)) return;
        long? from = null;
        if (!string.IsNullOrEmpty(w.ResourceVersion) && w.ResourceVersion != "0")
        {
            if (!long.TryParse(w.ResourceVersion, out var parsed) || parsed < 0)
            {
                Reply(Sender, new StoreFailure(ApiStatus.BadRequest($"invalid resource version: {w.ResourceVersion}")));
                return;
            }
            if (!_watch.CanResumeFrom(parsed))
            {
                Reply(Sender, new StoreFailure(ApiStatus.Gone($"too old resource version: {parsed} ({_watch.WindowStart + 1})")));
                return;
            }
            from = parsed;
        }

        var field = WatchHub.IndexedFieldOf(w.Resource);
        var watcher = new Watcher(w.WatchId, Sender, w.Resource,
            StorageRules.IsNamespaced(w.Resource) ? w.Namespace : null, labels, fields)
        {
            // A resourceVersion the store has not reached yet: only what comes after it, as the watch cache filters.
            StartResourceVersion = Math.Max(_rv, from ?? 0),
            IndexValue = fields.RequiredValue(field),
        };
        _watch.Remove(w.WatchId);
        _watch.Add(watcher);
        if (_subscribers.Add(Sender)) Context.Watch(Sender);

        var initial = from is { } f
            ? _watch.Replay(watcher, f).ToList()
            : Table(w.Resource).Candidates(watcher.Namespace, labels, fields).Where(watcher.Matches)
                .Select(o => new WatchEvent("ADDED", o.Json)).ToList();
        var sender = Sender;
        var accepted = new WatchAccepted(w.WatchId, _rv.ToString());
        DeferAsync(accepted, a =>
        {
            sender.Tell(a, Self);
            _watch.EnqueueInitial(watcher, initial);
            ScheduleFlush();
        });
    }

    /// <summary>Parses both selectors, answering the sender with a 400 when one does not parse.</summary>
    private bool TryParseSelectors(IActorRef sender, string? labelSelector, string? fieldSelector, out LabelSelector labels, out FieldSelector fields)
    {
        try
        {
            labels = LabelSelector.Parse(labelSelector);
            fields = FieldSelector.Parse(fieldSelector);
            return true;
        }
        catch (FormatException e)
        {
            Reply(sender, new StoreFailure(ApiStatus.BadRequest(e.Message)));
            labels = LabelSelector.Everything;
            fields = FieldSelector.Everything;
            return false;
        }
    }

    /// <summary>
    /// A member is reachable again after a partition that neither side may have restarted for:
    /// what was sent to its watchers meanwhile may be lost, and a subscriber whose own failure
    /// detector never found this member unreachable (a short partition) would not know. Ending
    /// those watches has them resume from the last resourceVersion they saw, replaying what they missed.
    /// </summary>
    private void EndWatchesThatMayHaveLost(Address member)
    {
        Flush();
        var ended = _watch.RemoveUnacknowledgedAt(member);
        foreach (var w in ended) w.Subscriber.Tell(new WatchEnded(w.Id, null), Self);
        if (ended.Count > 0)
            _log.Info("{0} is reachable again: ended {1} watches with unacknowledged events; they resume from their last resourceVersion", member, ended.Count);
    }

    private void Unsubscribe(IActorRef subscriber)
    {
        foreach (var w in _watch.Of(subscriber)) _watch.Remove(w.Id);
        _subscribers.Remove(subscriber);
    }

    /// <summary>Replies after every earlier write is durable (at once when none is pending).</summary>
    private void Reply(IActorRef to, object reply) => DeferAsync(reply, r => to.Tell(r, Self));

    private void ScheduleFlush()
    {
        if (_flushScheduled || !_watch.HasPending) return;
        _flushScheduled = true;
        Self.Tell(FlushWatches.Instance);
    }

    /// <summary>
    /// A bookmark's resourceVersion, sent after every event queued for the watch: all it has not
    /// been sent up to there did not concern it, or was in the state it started from.
    /// </summary>
    private void ReportProgress(string watchId)
    {
        Flush();
        if (_watch.Find(watchId) is not { } w) return;
        var rv = Math.Max(_dispatchedRv, w.StartResourceVersion);
        w.Subscriber.Tell(new WatchProgress(w.Id, rv.ToString(System.Globalization.CultureInfo.InvariantCulture)), Self);
    }

    private void Flush()
    {
        _flushScheduled = false;
        foreach (var w in _watch.Flush(Self))
            _log.Warning("Ended watch {0} of {1} by {2}: it left {3} events unacknowledged (limit {4}); it may watch again from its last resourceVersion",
                w.Id, w.Resource, w.Subscriber.Path, w.Unacknowledged, _settings.WatchMaxUnacknowledged);
    }

    private void BaseCompleted()
    {
        _baseComplete = true;
        _watch.ResetWindow(_rv);
    }

    /// <summary>A cycle of the rolling checkpoint over the keyspace as it is now (see <see cref="CheckpointCycle"/>).</summary>
    private void StartCheckpointCycle()
    {
        var keys = new List<CheckpointKey>(ObjectCount);
        foreach (var (resource, table) in _tables)
            foreach (var o in table.Enumerate(null))
                keys.Add(new CheckpointKey(resource, o.Namespace, o.Name));
        // LastSequenceNr counts the events already durable: writes still in flight lie after it and are
        // replayed too, which only applies again what the keys listed here already show.
        _checkpoint.Start(keys, LastSequenceNr + 1);
        _checkpointStartRv = _rv;
    }

    private void PersistCheckpointChunk()
    {
        var (objects, final) = _checkpoint.NextChunk(k =>
            _tables.TryGetValue(k.Resource, out var t) && t.Get(k.Namespace, k.Name) is { } o ? new SnapshotEntry(k.Resource, o.Json) : null);
        var marker = new SnapshotMetadata(PersistenceId, _checkpoint.StartSequenceNr - 1, DateTime.UtcNow);
        var rv = _checkpointStartRv;
        PersistAsync(new ObjectsCheckpointed(objects, final), _ =>
        {
            // Durable: a replay from the cycle's start now rebuilds everything, so recovery starts there
            // (a cycle that started with the journal has nothing before it to skip).
            if (final && marker.SequenceNr > 0) SnapshotStore.Tell(new SaveSnapshot(marker, new StoreCheckpoint(rv)), Self);
        });
        if (final) StartCheckpointCycle();
    }

    private void OnSnapshotSaved(SnapshotMetadata meta)
    {
        Trim(_trim.SnapshotSaved(meta.SequenceNr));
        DeleteSnapshots(new SnapshotSelectionCriteria(meta.SequenceNr - 1));
        _log.Info("Store checkpoint complete: recovery replays the journal from sequence number {0}", meta.SequenceNr + 1);
    }

    private void Trim(long? toSequenceNr)
    {
        if (toSequenceNr is { } to) DeleteMessages(to);
    }

    /// <summary>Stops once every write accepted so far is durable and answered.</summary>
    private void StopWhenDurable()
    {
        if (_stopping) return;
        _stopping = true;
        _log.Info("Store stopping at resourceVersion {0} once its writes are durable", _rv);
        DeferAsync(Shutdown.Instance, _ => Context.Stop(Self));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistFailure(cause, @event, sequenceNr);
        // Akka stops a persistent actor whose write failed, which would end the singleton for
        // good; failing instead has the back-off supervisor start it again, recovering from the journal.
        throw new StoreJournalException($"journal write {sequenceNr} failed; the store restarts from the journal", cause);
    }

    protected override void PreStart()
    {
        base.PreStart();
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(Akka.Cluster.ClusterEvent.ReachableMember));
    }

    protected override void PostStop()
    {
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
            Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        foreach (var w in _watch.All) w.Subscriber.Tell(new WatchEnded(w.Id, null), Self);
        foreach (var waiter in _freshWaiters.Drain())
            waiter.Sender.Tell(new StoreFailure(ApiStatus.Unavailable("the store is stopping")), Self);
        base.PostStop();
    }

    /// <summary>
    /// The store's termination message (its singleton's hand-over): stop once every accepted write
    /// is durable. A PoisonPill would stop it with writes in flight and their senders unanswered.
    /// </summary>
    public sealed class Shutdown
    {
        public static readonly Shutdown Instance = new();

        private Shutdown()
        {
        }
    }

    private sealed class StoreJournalException(string message, Exception cause) : Exception(message, cause);

    private sealed class FlushWatches
    {
        public static readonly FlushWatches Instance = new();
    }
}

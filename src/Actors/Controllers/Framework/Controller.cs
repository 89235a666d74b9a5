using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Workqueue;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>
/// The shape of every controller (pkg/controller, controller-runtime's Reconciler), as an actor:
/// <list type="bullet">
/// <item>informer event handlers run on the actor and only turn changes into keys (and lower
/// expectations); they are registered with <see cref="Handle{T}"/>;</item>
/// <item>keys go through a <see cref="RateLimitingQueue"/>: deduplicated, never on two workers at
/// once, retried with back-off (5 ms doubling to 1000 s, 10/s overall) when a sync fails;</item>
/// <item>once every informer has synced, up to <c>workers</c> syncs run at a time, on the thread
/// pool, each <see cref="Sync"/> reading the shared caches and writing through the API; their
/// results come back to the actor, which alone touches the queue.</item>
/// </list>
/// A sync must not touch the actor's fields: only the (thread-safe) informer caches, expectations,
/// the API client and the event recorder.
/// </summary>
public abstract class Controller : ReceiveActor
{
    private readonly Dictionary<string, Action<ObjectChange>> _handlers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unsynced = new(StringComparer.Ordinal);
    private readonly List<WorkQueue> _queues = [];
    private readonly WorkqueueMetrics? _metrics;
    private DateTimeOffset? _wakeAt;
    private ITimer? _wakeTimer;

    /// <param name="fieldManager">
    /// Who writes in managedFields, when not the process ("kube-controller-manager", the User-Agent all its
    /// controllers share); kube-apiserver's own controllers write as "kube-apiserver".
    /// </param>
    /// <param name="rateLimiter">The queue's retry policy, when not DefaultControllerRateLimiter (the namespace controller's caps at a minute).</param>
    protected Controller(ControllerContext context, string name, int workers, string? fieldManager = null, IRateLimiter? rateLimiter = null)
    {
        Name = name;
        Api = fieldManager is null ? context.Api : context.Api.As(fieldManager);
        Informers = context.Informers;
        Time = context.Time;
        Recorder = context.Recorder(name);
        _metrics = context.Metrics;
        Queue = new RateLimitingQueue(rateLimiter ?? RateLimiters.DefaultController(Time), Time);
        _queues.Add(new WorkQueue("", name, Queue, Math.Max(1, workers), Sync));

        Receive<InformerEvents>(e =>
        {
            if (_handlers.TryGetValue(e.Informer, out var handle))
                foreach (var change in e.Changes) handle(change);
            Pump();
        });
        Receive<InformerSynced>(s =>
        {
            if (_unsynced.Remove(s.Informer) && _unsynced.Count == 0) Log.Debug("{0}: caches synced", Name);
            Pump();
        });
        Receive<SyncDone>(OnSyncDone);
        Receive<Wake>(_ =>
        {
            _wakeAt = null;
            foreach (var q in _queues) q.Queue.PromoteReady();
            Pump();
        });
    }

    /// <summary>The controller's name, as kube-controller-manager names it ("replicaset-controller"); also its field manager and event source.</summary>
    protected string Name { get; }

    protected ApiClient Api { get; }

    protected SharedInformerFactory Informers { get; }

    protected TimeProvider Time { get; }

    protected EventRecorder Recorder { get; }

    protected RateLimitingQueue Queue { get; }

    protected ILoggingAdapter Log { get; } = Context.GetLogger();

    /// <summary>True once every informer this controller handles has listed (cache.WaitForCacheSync).</summary>
    protected bool CachesSynced => _unsynced.Count == 0;

    /// <summary>Reconciles one key (namespace/name) against the caches: level-triggered and idempotent. Runs on a worker.</summary>
    protected abstract Task<SyncResult> Sync(string key);

    /// <summary>Registers event handlers for an informer (AddEventHandler with ResourceEventHandlerFuncs).</summary>
    /// <remarks>
    /// Preferred over the untyped overload: with a method group or lambda as handler both apply
    /// (Action is contravariant) and the call <c>Handle(informer, added: Enqueue, ...)</c> would be ambiguous.
    /// </remarks>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    protected void Handle<T>(SharedIndexInformer<T> informer, Action<T>? added = null, Action<T, T>? updated = null,
        Action<T>? deleted = null, TimeSpan resync = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        _handlers[informer.Name] = change =>
        {
            switch (change)
            {
                case { Old: null, New: T n }: added?.Invoke(n); break;
                case { Old: T o, New: T n }: updated?.Invoke(o, n); break;
                case { Old: T o, New: null }: deleted?.Invoke(o); break;
            }
        };
        // Synced or not, the informer answers with InformerSynced (after replaying its cache).
        _unsynced.Add(informer.Name);
        informer.AddEventHandler(Self, resync);
    }

    /// <summary>Registers handlers when the object type is only known at run time (the garbage collector watches every resource).</summary>
    protected void HandleAny(ISharedInformer informer, Action<IKubernetesObject<V1ObjectMeta>>? added = null,
        Action<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>>? updated = null,
        Action<IKubernetesObject<V1ObjectMeta>>? deleted = null, TimeSpan resync = default)
    {
        _handlers[informer.Name] = change =>
        {
            switch (change)
            {
                case { Old: null, New: IKubernetesObject<V1ObjectMeta> n }: added?.Invoke(n); break;
                case { Old: IKubernetesObject<V1ObjectMeta> o, New: IKubernetesObject<V1ObjectMeta> n }: updated?.Invoke(o, n); break;
                case { Old: IKubernetesObject<V1ObjectMeta> o, New: null }: deleted?.Invoke(o); break;
            }
        };
        _unsynced.Add(informer.Name);
        informer.AddEventHandler(Self, resync);
    }

    protected void Enqueue(string key) => Queue.Add(key);

    protected void Enqueue(IKubernetesObject<V1ObjectMeta> obj) => Queue.Add(KubeModels.Key(obj));

    protected void EnqueueAfter(string key, TimeSpan delay)
    {
        Queue.AddAfter(key, delay);
        ScheduleWake();
    }

    /// <summary>
    /// A further queue with its own workers and sync, beside <see cref="Queue"/> (the garbage
    /// collector's attemptToOrphan beside attemptToDelete): same rate limiter, same rules; its keys
    /// are synced once the caches have synced. Call <see cref="Pump"/> after adding keys from
    /// anything but an informer handler.
    /// </summary>
    protected RateLimitingQueue AddQueue(string name, int workers, Func<string, Task<SyncResult>> sync)
    {
        var queue = new RateLimitingQueue(RateLimiters.DefaultController(Time), Time);
        _queues.Add(new WorkQueue(name, Name + "/" + name, queue, Math.Max(1, workers), sync));
        return queue;
    }

    /// <summary>
    /// Starts syncs while workers are free and keys are ready. Runs after every informer event;
    /// a controller that adds keys from its own messages calls it then.
    /// </summary>
    protected void Pump()
    {
        for (var i = 0; i < _queues.Count; i++)
        {
            var q = _queues[i];
            var index = i;
            while (CachesSynced && q.Running < q.Workers && q.Queue.TryGet(out var key))
            {
                q.Running++;
                _metrics?.SyncStarted(q.MetricsName, key);
                var self = Self;
                var sync = q.Sync;
                var started = Time.GetUtcNow();
                Task.Run(() => sync(key)).ContinueWith(
                    t => new SyncDone(index, key, started, t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.GetBaseException()),
                    TaskContinuationOptions.ExecuteSynchronously).PipeTo(self);
            }
        }
        ScheduleWake();
    }

    private void OnSyncDone(SyncDone done)
    {
        var q = _queues[done.Queue];
        var queue = q.Queue;
        q.Running = Math.Max(0, q.Running - 1);
        queue.Done(done.Key);
        _metrics?.SyncFinished(q.MetricsName, done.Key);
        if (done.Error is not null || done.Result is not { } result)
        {
            var error = done.Error is ApiException api ? api.Status.Message : done.Error?.ToString();
            Log.Warning("{0}: error syncing {1}{2} (retry {3}): {4}", Name, q.Name.Length == 0 ? "" : q.Name + " ", done.Key,
                queue.NumRequeues(done.Key) + 1, error);
            queue.AddRateLimited(done.Key);
        }
        else if (result.Requeue) queue.AddRateLimited(done.Key);
        else
        {
            queue.Forget(done.Key);
            // The delay counts from when the sync began (it read the clock then), not from its end: a
            // clock that jumped meanwhile (virtual time, a long sync) must not put the key off by the jump.
            if (result.RequeueAfter > TimeSpan.Zero)
            {
                var remaining = done.Started + result.RequeueAfter - Time.GetUtcNow();
                queue.AddAfter(done.Key, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
            }
        }
        Pump();
    }

    private void ScheduleWake()
    {
        DateTimeOffset? next = null;
        foreach (var q in _queues)
            if (q.Queue.NextReadyAt is { } at && (next is null || at < next))
                next = at;
        if (next == _wakeAt) return;
        _wakeAt = next;
        _wakeTimer?.Dispose();
        _wakeTimer = null;
        if (next is null) return;
        // A timer of the injected clock, not the actor system's scheduler: delayed keys (resyncs,
        // grace periods, tolerations) come due when a test's virtual clock passes them.
        var delay = next.Value - Time.GetUtcNow();
        var self = Self;
        _wakeTimer = Time.CreateTimer(_ => self.Tell(Wake.Instance), null, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        // The timer counts from the clock as it reads now: had the clock passed the due time meanwhile, wake at once.
        if (Time.GetUtcNow() >= next.Value) self.Tell(Wake.Instance);
    }

    protected override void PostStop()
    {
        _wakeTimer?.Dispose();
        base.PostStop();
    }

    private sealed record SyncDone(int Queue, string Key, DateTimeOffset Started, SyncResult? Result, Exception? Error);

    private sealed class WorkQueue(string name, string metricsName, RateLimitingQueue queue, int workers, Func<string, Task<SyncResult>> sync)
    {
        public string Name { get; } = name;
        public string MetricsName { get; } = metricsName;
        public RateLimitingQueue Queue { get; } = queue;
        public int Workers { get; } = workers;
        public Func<string, Task<SyncResult>> Sync { get; } = sync;
        public int Running { get; set; }
    }

    private sealed class Wake
    {
        public static readonly Wake Instance = new();
    }
}

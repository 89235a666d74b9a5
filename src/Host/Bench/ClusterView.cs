using System.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>The Nodes and one namespace's pods as last seen, by name. Read only inside <see cref="ClusterView"/>'s lock.</summary>
public sealed record ClusterState(IReadOnlyDictionary<string, V1Node> Nodes, IReadOnlyDictionary<string, V1Pod> Pods);

/// <summary>
/// Every Node and every pod of a namespace, kept current by list-then-watch as an informer does.
/// A condition given to <see cref="When"/> is checked on every event and completes with the
/// Stopwatch timestamp of the event that made it true: a phase ends when its event arrives, not
/// when the benchmark next looks. A watch that ends or fails is listed again from scratch.
/// </summary>
public sealed class ClusterView : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly List<(Func<ClusterState, bool> Condition, TaskCompletionSource<long> Done)> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ClusterState _state;
    private int _relists;

    private ClusterView() => _state = new ClusterState(_nodes, _pods);

    /// <summary>Times a watch was listed again after it ended or failed: the API server may end a watch, but more than a few in a run point at trouble.</summary>
    public int Relists => Volatile.Read(ref _relists);

    /// <summary>Starts both watches and returns once each has listed.</summary>
    public static async Task<ClusterView> Start(IKubernetes api, string ns, TimeSpan timeout, CancellationToken ct)
    {
        var view = new ClusterView();
        var nodesListed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var podsListed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = view.Reflect(t => api.CoreV1.ListNodeAsync(cancellationToken: t), l => (l.Items, l.Metadata.ResourceVersion),
            (rv, t) => api.CoreV1.WatchListNodeAsync(resourceVersion: rv, cancellationToken: t), view._nodes, nodesListed);
        _ = view.Reflect(t => api.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: t), l => (l.Items, l.Metadata.ResourceVersion),
            (rv, t) => api.CoreV1.WatchListNamespacedPodAsync(ns, resourceVersion: rv, cancellationToken: t), view._pods, podsListed);
        try
        {
            await Task.WhenAll(nodesListed.Task, podsListed.Task).WaitAsync(timeout, ct);
        }
        catch
        {
            view.Dispose();
            throw;
        }
        return view;
    }

    public T Read<T>(Func<ClusterState, T> query)
    {
        lock (_lock) return query(_state);
    }

    /// <summary>Completes with the Stopwatch timestamp at which <paramref name="condition"/> was first seen true (now, if it already is).</summary>
    public Task<long> When(Func<ClusterState, bool> condition)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (condition(_state)) done.SetResult(Stopwatch.GetTimestamp());
            else _waiters.Add((condition, done));
        }
        return done.Task;
    }

    private async Task Reflect<T, TList>(Func<CancellationToken, Task<TList>> list, Func<TList, (IList<T> Items, string ResourceVersion)> read,
        Func<string, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch, Dictionary<string, T> cache, TaskCompletionSource listed)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var (items, rv) = read(await list(ct));
                lock (_lock)
                {
                    cache.Clear();
                    foreach (var item in items) cache[item.Metadata.Name] = item;
                    Evaluate();
                }
                listed.TrySetResult();
                await foreach (var (type, item) in watch(rv, ct))
                {
                    if (type is not (WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted)) break;
                    lock (_lock)
                    {
                        if (type == WatchEventType.Deleted) cache.Remove(item.Metadata.Name);
                        else cache[item.Metadata.Name] = item;
                        Evaluate();
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or HttpOperationException or KubernetesException or IOException or System.Text.Json.JsonException)
            {
                // Listed again below; a pause keeps a control plane that is down from being hammered.
                try { await Task.Delay(200, ct); }
                catch (OperationCanceledException) { return; }
            }
            Interlocked.Increment(ref _relists);
        }
    }

    private void Evaluate()
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (!_waiters[i].Condition(_state)) continue;
            _waiters[i].Done.TrySetResult(now);
            _waiters.RemoveAt(i);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        lock (_lock)
        {
            foreach (var w in _waiters) w.Done.TrySetCanceled();
            _waiters.Clear();
        }
    }
}

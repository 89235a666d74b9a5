using System.Runtime.ExceptionServices;
using System.Text.Json;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.TestKit.Api;

/// <summary>
/// Waits until a set of objects (one by name, or those a label selector picks) satisfies a
/// condition: it lists them, then watches from the list's resourceVersion and tests the condition
/// on every event, as an informer would. A watch that ends (its own timeout, a 410 Expired, a
/// control plane that crashed or restarted) leads to a fresh list; so does an error, after a short
/// back-off. The deadline is the only clock: no polling interval delays a met condition.
/// </summary>
internal sealed class ObjectWaiter(IKubernetes client, ResourceKinds kinds) : IObjectWaiter
{
    // A watch is renewed this often even when quiet, so that a connection that died silently costs little.
    private const int WatchSeconds = 30;
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromMilliseconds(250);

    public async Task<IReadOnlyList<T>> Until<T>(string? ns, string? name, string? labelSelector,
        Func<IReadOnlyList<T>, bool> done, TimeSpan timeout, string condition, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        (var kind, ns, var fieldSelector) = await Target<T>(kinds, ns, name, ct);
        var seen = new SortedDictionary<string, T>(StringComparer.Ordinal);
        Exception? lastError = null;
        var conditionThrew = false;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                try
                {
                    var resourceVersion = await List(kind, ns, fieldSelector, labelSelector, seen, deadline.Token);
                    lastError = null;
                    if (Met()) return Snapshot(seen);
                    await foreach (var (type, raw) in Watch(kind, ns, fieldSelector, labelSelector, resourceVersion, e => lastError = e, deadline.Token))
                    {
                        var obj = Typed<T>(raw);
                        if (type is WatchEventType.Added or WatchEventType.Modified) seen[Key(obj)] = obj;
                        else if (type is WatchEventType.Deleted) seen.Remove(Key(obj));
                        else continue;
                        if (Met()) return Snapshot(seen);
                    }
                }
                catch (ConditionFailed f)
                {
                    conditionThrew = true;
                    ExceptionDispatchInfo.Capture(f.InnerException!).Throw();
                }
                catch (Exception e) when (!deadline.IsCancellationRequested)
                {
                    lastError = e;
                    await Task.Delay(ErrorBackoff, deadline.Token);
                }
            }
        }
        // Cancelled reads do not always surface as OperationCanceledException (an HTTP stream may
        // fail with an IOException instead): the passed deadline is what decides.
        catch (Exception) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested && !conditionThrew)
        {
            throw new WaitTimeoutException(kind.Describe(ns, name) + (labelSelector is null ? "" : $" with labels {labelSelector}"),
                condition, timeout, Snapshot(seen), lastError);
        }

        // A condition that throws is a bug in the test, not a hiccup of the API to retry.
        bool Met()
        {
            try
            {
                return done(Snapshot(seen));
            }
            catch (Exception e)
            {
                throw new ConditionFailed(e);
            }
        }
    }

    /// <summary>Lists the objects into <paramref name="into"/> (cleared first); returns the list's resourceVersion.</summary>
    internal async Task<string?> List<T>(ResourceKind k, string? ns, string? fieldSelector, string? labelSelector,
        SortedDictionary<string, T> into, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var list = ns is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync<JsonElement>(k.Group, k.Version, k.Plural,
                fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: ct)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(k.Group, k.Version, ns, k.Plural,
                fieldSelector: fieldSelector, labelSelector: labelSelector, cancellationToken: ct);
        into.Clear();
        if (list.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array)
            foreach (var item in items.EnumerateArray())
            {
                var obj = KubernetesJson.Deserialize<T>(item);
                into[Key(obj)] = obj;
            }
        return list.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;
    }

    private IAsyncEnumerable<(WatchEventType, object)> Watch(ResourceKind k, string? ns, string? fieldSelector, string? labelSelector,
        string? resourceVersion, Action<Exception> onError, CancellationToken ct) => ns is null
        ? client.CustomObjects.WatchListClusterCustomObjectAsync(k.Group, k.Version, k.Plural, fieldSelector: fieldSelector,
            labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct)
        : client.CustomObjects.WatchListNamespacedCustomObjectAsync(k.Group, k.Version, ns, k.Plural, fieldSelector: fieldSelector,
            labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: WatchSeconds, onError: onError, cancellationToken: ct);

    // The custom-objects watch yields untyped JSON; the caller asked for a model.
    private static T Typed<T>(object raw) => raw is JsonElement json
        ? KubernetesJson.Deserialize<T>(json)
        : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(raw));

    private static string Key(IKubernetesObject<V1ObjectMeta> o) => $"{o.Metadata.NamespaceProperty}/{o.Metadata.Name}";

    private sealed class ConditionFailed(Exception inner) : Exception(inner.Message, inner);

    internal static IReadOnlyList<T> Snapshot<T>(SortedDictionary<string, T> seen) => seen.Values.ToArray();

    /// <summary>What a wait lists: the kind of <typeparamref name="T"/>, its namespace (none for a cluster-scoped kind), and a field selector for one name.</summary>
    internal static async Task<(ResourceKind Kind, string? Namespace, string? FieldSelector)> Target<T>(ResourceKinds kinds, string? ns, string? name, CancellationToken ct)
    {
        var kind = await kinds.Of(typeof(T), ct);
        if (!kind.Namespaced) ns = null;
        else if (name is not null && ns is null) throw new ArgumentException($"{kind.Resource} are namespaced: name the namespace of {name}", nameof(ns));
        return (kind, ns, name is null ? null : $"metadata.name={name}");
    }
}

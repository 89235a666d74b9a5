using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Flowcontrol;
using Akka.KubeEmu.Actors.Store;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Events;

/// <summary>Who reports an event: <c>source.component</c>/<c>reportingComponent</c> and the host.</summary>
public sealed record EventSource(string Component, string? Host = null);

/// <summary>
/// Records core/v1 Events the way client-go's recorder does: named
/// <c>&lt;object&gt;.&lt;hex timestamp&gt;</c>, and an identical event (same object, reason, message,
/// source) repeated within the cache's life bumps <c>count</c> and <c>lastTimestamp</c> instead of
/// creating another object (the EventCorrelator's aggregation, simplified). Events are written
/// through the API like any object. Recording never fails the caller: an unreachable API is tried again
/// (client-go's recordToSink), an event the API refuses is dropped.
/// </summary>
public sealed class EventRecorder(ApiClient api, EventSource source, TimeProvider time)
{
    private readonly Dictionary<string, (string Namespace, string Name)> _seen = new();
    private readonly Lock _lock = new();
    private long _lastSuffix;

    public const string Normal = "Normal";
    public const string Warning = "Warning";

    /// <summary>An event about a typed object (record.EventRecorder.Event).</summary>
    public Task Event(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message, string? fieldPath = null) =>
        RecordAbout(Reference(involved, fieldPath), type, reason, message);

    /// <param name="involved">The object the event is about (any Kubernetes object JSON).</param>
    public Task Record(JsonObject involved, string type, string reason, string message, string? fieldPath = null) =>
        RecordAbout(Reference(involved, fieldPath), type, reason, message);

    /// <param name="involvedObject">An ObjectReference, as <see cref="Reference"/> builds it.</param>
    public async Task RecordAbout(JsonObject involvedObject, string type, string reason, string message)
    {
        var now = time.GetUtcNow();
        if (await Attempt(involvedObject, type, reason, message, now) is null) return;
        // recordToSink: an API that cannot be reached (a timeout, a 5xx) is tried again, up to
        // maxTriesPerEvent times, sleepDuration apart (the first sleep randomized), in the background
        // as client-go's broadcaster does, so the caller never waits for it; an event the server
        // refuses is dropped.
        _ = Retry(involvedObject, type, reason, message, now);
    }

    private async Task Retry(JsonObject involvedObject, string type, string reason, string message, DateTimeOffset now)
    {
        for (var attempt = 2; attempt <= MaxTries; attempt++)
        {
            try
            {
                await Task.Delay(attempt == 2 ? Jitter.Offset(RetryPeriod) : RetryPeriod, time);
            }
            catch (Exception)
            {
                return;
            }
            if (await Attempt(involvedObject, type, reason, message, now) is null) return;
        }
    }

    private async Task<ApiStatus?> Attempt(JsonObject involvedObject, string type, string reason, string message, DateTimeOffset now)
    {
        try
        {
            return await TryRecord(involvedObject, type, reason, message, now);
        }
        catch (Exception)
        {
            return null; // best effort, as in Kubernetes: the broadcaster drops what it cannot write
        }
    }

    /// <summary>client-go's maxTriesPerEvent.</summary>
    public const int MaxTries = 12;

    /// <summary>client-go's sleepDuration between tries.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(10);

    private static bool IsTransient(ApiStatus? error) => error is { Code: >= 500 or 429 };

    /// <returns>null when recorded or refused for good; the error when worth another try.</returns>
    private async Task<ApiStatus?> TryRecord(JsonObject involvedObject, string type, string reason, string message, DateTimeOffset now)
    {
        var ns = KubeObject.String(involvedObject, "namespace") is { Length: > 0 } n ? n : "default";
        var objName = KubeObject.String(involvedObject, "name") ?? "unknown";
        var key = $"{AggregationKey(involvedObject)}|{type}|{reason}|{message}";
        (string Namespace, string Name) existing;
        lock (_lock) _seen.TryGetValue(key, out existing);
        if (existing.Name is not null)
        {
            var current = await api.Get(ResourceCatalog.Events, existing.Namespace, existing.Name);
            if (IsTransient(current.Error)) return current.Error;
            if (current.Ok)
            {
                var ev = current.Object;
                ev["count"] = (KubeObject.Long(ev["count"]) ?? 1) + 1;
                ev["lastTimestamp"] = KubeObject.Timestamp(time.GetUtcNow());
                var updated = await api.Update(ResourceCatalog.Events, ev);
                if (updated.Ok) return null;
                if (IsTransient(updated.Error)) return updated.Error;
            }
        }

        // Names only need to be unique: another recorder (another controller, or this one before a
        // restart) may have taken this millisecond's name for the same object; take the next one.
        string name;
        StoreResult created;
        var attempts = 0;
        do
        {
            name = $"{objName}.{NextSuffix(now):x}";
            created = await api.Create(ResourceCatalog.Events, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Event",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
                ["involvedObject"] = involvedObject.DeepClone(),
                ["reason"] = reason,
                ["message"] = message,
                ["source"] = source.Host is null
                    ? new JsonObject { ["component"] = source.Component }
                    : new JsonObject { ["component"] = source.Component, ["host"] = source.Host },
                ["firstTimestamp"] = KubeObject.Timestamp(now),
                ["lastTimestamp"] = KubeObject.Timestamp(now),
                ["count"] = 1,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = source.Component,
                ["reportingInstance"] = source.Host ?? "",
            });
        } while (created.Error is { Code: 409, Reason: "AlreadyExists" } && ++attempts < 5);
        if (created.Ok)
        {
            lock (_lock)
            {
                if (_seen.Count > 4096) _seen.Clear();
                _seen[key] = (ns, name);
            }
            return null;
        }
        return IsTransient(created.Error) ? created.Error : null;
    }

    /// <summary>
    /// getEventKey: the object's kind, namespace, name, uid, apiVersion and fieldPath, not its
    /// resourceVersion, so that a repeat about a pod that changed meanwhile (FailedScheduling after its
    /// PodScheduled condition was written) counts up on the first event.
    /// </summary>
    private static string AggregationKey(JsonObject involvedObject)
    {
        if (involvedObject["resourceVersion"] is null) return involvedObject.ToJsonString();
        var copy = involvedObject.DeepClone().AsObject();
        copy.Remove("resourceVersion");
        return copy.ToJsonString();
    }

    /// <summary>Unix nanoseconds, strictly increasing per recorder, so names sort in recording order.</summary>
    private long NextSuffix(DateTimeOffset now)
    {
        var nanos = now.ToUnixTimeMilliseconds() * 1_000_000;
        lock (_lock)
        {
            _lastSuffix = Math.Max(nanos, _lastSuffix + 1);
            return _lastSuffix;
        }
    }

    /// <summary>An ObjectReference to a typed object, as ref.GetReference builds it.</summary>
    public static JsonObject Reference(IKubernetesObject<V1ObjectMeta> obj, string? fieldPath = null)
    {
        var type = ResourceCatalog.ForModel(obj.GetType());
        var reference = new JsonObject
        {
            ["kind"] = type.Kind,
            ["namespace"] = obj.Metadata?.NamespaceProperty is { Length: > 0 } ns ? ns : null,
            ["name"] = obj.Metadata?.Name,
            ["uid"] = obj.Metadata?.Uid,
            ["apiVersion"] = type.ApiVersion,
            ["resourceVersion"] = obj.Metadata?.ResourceVersion,
        };
        if (fieldPath is not null) reference["fieldPath"] = fieldPath;
        foreach (var k in reference.Where(p => p.Value is null).Select(p => p.Key).ToArray()) reference.Remove(k);
        return reference;
    }

    /// <summary>An ObjectReference to <paramref name="obj"/>, as ref.GetReference builds it.</summary>
    public static JsonObject Reference(JsonObject obj, string? fieldPath = null)
    {
        var reference = new JsonObject
        {
            ["kind"] = KubeObject.Kind(obj),
            ["namespace"] = KubeObject.Namespace(obj) is { Length: > 0 } ns ? ns : null,
            ["name"] = KubeObject.Name(obj),
            ["uid"] = KubeObject.Uid(obj),
            ["apiVersion"] = KubeObject.ApiVersion(obj),
            ["resourceVersion"] = KubeObject.ResourceVersion(obj),
        };
        if (fieldPath is not null) reference["fieldPath"] = fieldPath;
        foreach (var k in reference.Where(p => p.Value is null).Select(p => p.Key).ToArray()) reference.Remove(k);
        return reference;
    }
}

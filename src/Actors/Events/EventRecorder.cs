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
/// <c>&lt;object&gt;.&lt;hex timestamp&gt;</c>, through client-go's <see cref="EventCorrelator"/>: an
/// identical event repeated bumps the first one's <c>count</c> and <c>lastTimestamp</c> instead of
/// creating another object, many similar ones become one "(combined from similar events)" event, and
/// a source flooding one object is throttled. Events are written through the API like any object.
/// Recording never fails the caller: an unreachable API is tried again (client-go's recordToSink),
/// an event the API refuses is dropped.
/// </summary>
public sealed class EventRecorder(ApiClient api, EventSource source, TimeProvider time)
{
    private readonly EventCorrelator _correlator = new(time);
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
        // The spam filter's verdict: dropped, as client-go's recorder drops it.
        if (_correlator.Correlate(source, involvedObject, type, reason, message) is not { } correlated) return;
        if (await Attempt(involvedObject, type, reason, correlated, now) is null) return;
        // recordToSink: an API that cannot be reached (a timeout, a 5xx) is tried again, up to
        // maxTriesPerEvent times, sleepDuration apart (the first sleep randomized), in the background
        // as client-go's broadcaster does, so the caller never waits for it; an event the server
        // refuses is dropped.
        _ = Retry(involvedObject, type, reason, correlated, now);
    }

    private async Task Retry(JsonObject involvedObject, string type, string reason, CorrelatedEvent correlated, DateTimeOffset now)
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
            if (await Attempt(involvedObject, type, reason, correlated, now) is null) return;
        }
    }

    private async Task<ApiStatus?> Attempt(JsonObject involvedObject, string type, string reason, CorrelatedEvent correlated, DateTimeOffset now)
    {
        try
        {
            return await TryRecord(involvedObject, type, reason, correlated, now);
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
    private async Task<ApiStatus?> TryRecord(JsonObject involvedObject, string type, string reason, CorrelatedEvent correlated, DateTimeOffset now)
    {
        var ns = KubeObject.String(involvedObject, "namespace") is { Length: > 0 } n ? n : "default";
        var objName = KubeObject.String(involvedObject, "name") ?? "unknown";
        // The name may have come back after the correlator saw this repeat (a first write still in flight).
        if ((correlated.ExistingName ?? _correlator.NameOf(correlated.Key)) is { } existing && correlated.Count > 1)
        {
            var current = await api.Get(ResourceCatalog.Events, ns, existing);
            if (IsTransient(current.Error)) return current.Error;
            if (current.Ok)
            {
                // What client-go's patch of a repeat carries: the count, the last time, the (combined) message.
                var ev = current.Object;
                ev["count"] = Math.Max(correlated.Count, (KubeObject.Long(ev["count"]) ?? 0) + 1);
                ev["lastTimestamp"] = KubeObject.Timestamp(now);
                ev["message"] = correlated.Message;
                var updated = await api.Update(ResourceCatalog.Events, ev);
                if (updated.Ok) return null;
                if (IsTransient(updated.Error)) return updated.Error;
            }
            // Gone (expired, deleted) or changed meanwhile: written anew, as recordEvent does after a failed patch.
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
                ["message"] = correlated.Message,
                ["source"] = source.Host is null
                    ? new JsonObject { ["component"] = source.Component }
                    : new JsonObject { ["component"] = source.Component, ["host"] = source.Host },
                ["firstTimestamp"] = KubeObject.Timestamp(correlated.FirstTimestamp),
                ["lastTimestamp"] = KubeObject.Timestamp(now),
                ["count"] = correlated.Count,
                ["type"] = type,
                ["eventTime"] = null,
                ["reportingComponent"] = source.Component,
                ["reportingInstance"] = source.Host ?? "",
            });
        } while (created.Error is { Code: 409, Reason: "AlreadyExists" } && ++attempts < 5);
        if (created.Ok)
        {
            _correlator.Written(correlated.Key, name);
            return null;
        }
        // A system namespace not there yet is a server still starting, not a refusal: in a cluster
        // the apiserver creates them before any kubelet records, here a node process may start first
        // (its "Starting kubelet." went missing from `kubectl describe node` once).
        if (created.IsNotFound && Controllers.Bootstrap.SystemNamespaces.Names.Contains(ns)) return created.Error;
        return IsTransient(created.Error) ? created.Error : null;
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

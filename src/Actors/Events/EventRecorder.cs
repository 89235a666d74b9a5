using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
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
/// through the API like any object. Recording is fire-and-forget: a lost event never fails the caller.
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
        var ns = KubeObject.String(involvedObject, "namespace") is { Length: > 0 } n ? n : "default";
        var objName = KubeObject.String(involvedObject, "name") ?? "unknown";
        var key = $"{involvedObject.ToJsonString()}|{type}|{reason}|{message}";
        try
        {
            (string Namespace, string Name) existing;
            lock (_lock) _seen.TryGetValue(key, out existing);
            if (existing.Name is not null)
            {
                var current = await api.Get(ResourceCatalog.Events, existing.Namespace, existing.Name);
                if (current.Ok)
                {
                    var ev = current.Object;
                    ev["count"] = (KubeObject.Long(ev["count"]) ?? 1) + 1;
                    ev["lastTimestamp"] = KubeObject.Timestamp(now);
                    if ((await api.Update(ResourceCatalog.Events, ev)).Ok) return;
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
                lock (_lock)
                {
                    if (_seen.Count > 4096) _seen.Clear();
                    _seen[key] = (ns, name);
                }
        }
        catch (Exception)
        {
            // Events are best effort, as in Kubernetes: the broadcaster drops what it cannot write.
        }
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

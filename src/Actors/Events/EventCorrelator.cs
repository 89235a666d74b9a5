using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Events;

/// <summary>What the correlator makes of one event: the event to write, and whether it updates an earlier one.</summary>
/// <param name="Key">The observation key (getEventKey, or the aggregate key once similar events are combined).</param>
/// <param name="ExistingName">The Event object to update (count and lastTimestamp), or null to create one.</param>
public sealed record CorrelatedEvent(string Key, string Message, long Count, DateTimeOffset FirstTimestamp, string? ExistingName);

/// <summary>
/// client-go's EventCorrelator (tools/record/events_cache.go), in injected time:
/// <list type="bullet">
/// <item>the aggregator: more than <see cref="AggregateMaxEvents"/> events of one source, object, type
/// and reason with different messages within <see cref="AggregateInterval"/> become one event whose
/// message is "(combined from similar events): " and the latest message;</item>
/// <item>the logger: an event seen before (same source, object, type, reason and message) updates the
/// first one's count and lastTimestamp instead of making a new object;</item>
/// <item>the spam filter: a token bucket per source and object (burst 25, one more every 5 minutes);
/// an event over the limit is dropped.</item>
/// </list>
/// The caches are bounded as client-go's LRUs are (4096 entries; here the oldest half goes at once).
/// </summary>
public sealed class EventCorrelator(TimeProvider time)
{
    public const int MaxCacheEntries = 4096;
    public const int AggregateMaxEvents = 10;
    public static readonly TimeSpan AggregateInterval = TimeSpan.FromMinutes(10);
    public const int SpamBurst = 25;
    public static readonly TimeSpan SpamRefill = TimeSpan.FromMinutes(5);
    public const string CombinedPrefix = "(combined from similar events): ";

    private sealed class AggregateRecord
    {
        public readonly HashSet<string> Messages = new(StringComparer.Ordinal);
        public DateTimeOffset Last;
    }

    private sealed record Observation(long Count, DateTimeOffset FirstTimestamp, string? Name);

    private sealed class Bucket
    {
        public double Tokens = SpamBurst;
        public DateTimeOffset Last;
    }

    private readonly Lock _lock = new();
    private readonly BoundedCache<AggregateRecord> _aggregates = new();
    private readonly BoundedCache<Observation> _observations = new();
    private readonly BoundedCache<Bucket> _spam = new();

    /// <summary>EventCorrelate: the event to write, or null when the spam filter drops it.</summary>
    public CorrelatedEvent? Correlate(EventSource source, JsonObject involvedObject, string type, string reason, string message)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var (key, text) = Aggregate(source, involvedObject, type, reason, message, now);
            var correlated = Observe(key, text, now);
            return Allow(source, involvedObject, now) ? correlated : null;
        }
    }

    /// <summary>UpdateState: the server's name for the event just written.</summary>
    public void Written(string key, string name)
    {
        lock (_lock)
            if (_observations.Get(key) is { } o) _observations.Set(key, o with { Name = name });
    }

    /// <summary>The name of the Event written for <paramref name="key"/>, once known.</summary>
    public string? NameOf(string key)
    {
        lock (_lock) return _observations.Get(key)?.Name;
    }

    /// <summary>EventAggregate: similar events beyond the limit share the aggregate key and the combined message.</summary>
    private (string Key, string Message) Aggregate(EventSource source, JsonObject involved, string type, string reason, string message, DateTimeOffset now)
    {
        var aggregateKey = string.Join("", source.Component, source.Host, Field(involved, "kind"), Field(involved, "namespace"),
            Field(involved, "name"), Field(involved, "uid"), Field(involved, "apiVersion"), type, reason, source.Component, source.Host ?? "");
        var record = _aggregates.Get(aggregateKey);
        if (record is null || now - record.Last > AggregateInterval) record = new AggregateRecord();
        record.Messages.Add(message);
        record.Last = now;
        _aggregates.Set(aggregateKey, record);
        if (record.Messages.Count < AggregateMaxEvents) return (EventKey(source, involved, type, reason, message), message);
        record.Messages.Remove(record.Messages.First()); // do not grow the set beyond the limit
        return (aggregateKey, CombinedPrefix + message);
    }

    /// <summary>eventObserve: a repeat counts up on the event first written for its key.</summary>
    private CorrelatedEvent Observe(string key, string message, DateTimeOffset now)
    {
        var last = _observations.Get(key);
        var correlated = last is { Count: > 0 }
            ? new CorrelatedEvent(key, message, last.Count + 1, last.FirstTimestamp, last.Name)
            : new CorrelatedEvent(key, message, 1, now, null);
        _observations.Set(key, new Observation(correlated.Count, correlated.FirstTimestamp, correlated.ExistingName));
        return correlated;
    }

    /// <summary>EventSourceObjectSpamFilter: a passive token bucket per source and object.</summary>
    private bool Allow(EventSource source, JsonObject involved, DateTimeOffset now)
    {
        var spamKey = string.Join("", source.Component, source.Host, Field(involved, "kind"), Field(involved, "namespace"),
            Field(involved, "name"), Field(involved, "uid"), Field(involved, "apiVersion"));
        var bucket = _spam.Get(spamKey);
        if (bucket is null)
        {
            bucket = new Bucket { Last = now };
            _spam.Set(spamKey, bucket);
        }
        var refilled = (now - bucket.Last).TotalSeconds / SpamRefill.TotalSeconds;
        bucket.Tokens = Math.Min(SpamBurst, bucket.Tokens + Math.Max(0, refilled));
        bucket.Last = now;
        if (bucket.Tokens < 1) return false;
        bucket.Tokens -= 1;
        return true;
    }

    /// <summary>getEventKey: the object without its resourceVersion, so that a repeat about a changed object still counts up.</summary>
    private static string EventKey(EventSource source, JsonObject involved, string type, string reason, string message) =>
        string.Join("\u0000", source.Component, source.Host, Field(involved, "kind"), Field(involved, "namespace"), Field(involved, "name"),
            Field(involved, "fieldPath"), Field(involved, "uid"), Field(involved, "apiVersion"), type, reason, message);

    private static string Field(JsonObject o, string name) => KubeObject.String(o, name) ?? "";

    /// <summary>A dictionary that forgets its oldest half when it reaches <see cref="MaxCacheEntries"/> (an LRU, coarsely).</summary>
    private sealed class BoundedCache<T> where T : class
    {
        private readonly Dictionary<string, (T Value, long Touched)> _items = new(StringComparer.Ordinal);
        private long _clock;

        public T? Get(string key)
        {
            if (!_items.TryGetValue(key, out var item)) return null;
            _items[key] = (item.Value, ++_clock);
            return item.Value;
        }

        public void Set(string key, T value)
        {
            if (_items.Count >= MaxCacheEntries && !_items.ContainsKey(key))
                foreach (var old in _items.OrderBy(p => p.Value.Touched).Take(MaxCacheEntries / 2).Select(p => p.Key).ToArray())
                    _items.Remove(old);
            _items[key] = (value, ++_clock);
        }
    }
}

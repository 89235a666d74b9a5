namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// Where the Store's rolling checkpoint stands. A checkpoint copies the keyspace into the journal
/// in chunks spread over the writes (<see cref="ObjectsCheckpointed"/>), instead of one snapshot of
/// every object at once: a full copy of a large store stalled the Store and cost a burst of CPU
/// every few minutes even at rest. A cycle lists the keys that exist when it starts (sequence number
/// <see cref="StartSequenceNr"/>); chunk i is due once i+1 shares of the cycle's events were
/// journaled, a cycle lasting as many events as there were objects (at least snapshot-every), so
/// each object is copied once per cycle and the copying keeps pace with the writes. When the last
/// chunk is durable, replaying the journal from the cycle's start rebuilds the whole state: every
/// object that existed at the start is in a chunk (as of that chunk's write) and every write since
/// is journaled after it; the Store then saves a marker snapshot there (<see cref="StoreCheckpoint"/>)
/// and trims the journal before it.
/// </summary>
public sealed class CheckpointCycle(int snapshotEvery, int chunkSize)
{
    private IReadOnlyList<CheckpointKey> _keys = [];
    private int _cursor;
    private int _chunks;
    private int _chunksWritten;
    private long _cycleEvents;
    private long _eventsInCycle;

    /// <summary>The first sequence number of the running cycle: a replay from here holds every object once the cycle is complete.</summary>
    public long StartSequenceNr { get; private set; }

    public bool Running { get; private set; }

    /// <summary>Starts a cycle over <paramref name="keys"/>, the keyspace now; the next journal event will be <paramref name="startSequenceNr"/>.</summary>
    public void Start(IReadOnlyList<CheckpointKey> keys, long startSequenceNr)
    {
        _keys = keys;
        _cursor = 0;
        _chunksWritten = 0;
        _eventsInCycle = 0;
        _chunks = Math.Max(1, (keys.Count + Math.Max(1, chunkSize) - 1) / Math.Max(1, chunkSize));
        _cycleEvents = Math.Max(Math.Max(1, snapshotEvery), keys.Count);
        StartSequenceNr = startSequenceNr;
        Running = true;
    }

    /// <summary>A write was journaled; whether a chunk is due now.</summary>
    public bool Journaled()
    {
        if (!Running) return false;
        _eventsInCycle++;
        return ChunkDue;
    }

    private bool ChunkDue => _chunksWritten < _chunks && _eventsInCycle * _chunks >= _cycleEvents * (_chunksWritten + 1);

    /// <summary>
    /// The next chunk: the current state of its keys (those deleted since the cycle started are
    /// skipped) and whether it completes the cycle, which then stops until started again.
    /// </summary>
    public (IReadOnlyList<SnapshotEntry> Objects, bool Final) NextChunk(Func<CheckpointKey, SnapshotEntry?> current)
    {
        var end = Math.Min(_keys.Count, _cursor + Math.Max(1, chunkSize));
        var objects = new List<SnapshotEntry>(end - _cursor);
        for (; _cursor < end; _cursor++)
            if (current(_keys[_cursor]) is { } entry) objects.Add(entry);
        _chunksWritten++;
        var final = _cursor >= _keys.Count && _chunksWritten >= _chunks;
        if (final)
        {
            Running = false;
            _keys = [];
        }
        return (objects, final);
    }
}

/// <summary>One object of the keyspace by its key.</summary>
public readonly record struct CheckpointKey(string Resource, string Namespace, string Name);

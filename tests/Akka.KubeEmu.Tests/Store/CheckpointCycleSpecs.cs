using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

public sealed class CheckpointCycleSpecs
{
    private static readonly RawJson Any = RawJson.FromString("""{"kind":"ConfigMap"}""");

    [Fact]
    public void Chunks_are_spread_evenly_over_as_many_writes_as_there_are_objects()
    {
        var cycle = new CheckpointCycle(snapshotEvery: 10, chunkSize: 1000);
        cycle.Start(Keys(2500), startSequenceNr: 42);

        var dueAt = new List<int>();
        var finals = new List<bool>();
        for (var write = 1; write <= 3000 && cycle.Running; write++)
        {
            if (!cycle.Journaled()) continue;
            dueAt.Add(write);
            finals.Add(cycle.NextChunk(k => new SnapshotEntry(k.Resource, Any)).Final);
        }

        Assert.Equal([834, 1667, 2500], dueAt);
        Assert.Equal([false, false, true], finals);
        Assert.Equal(42, cycle.StartSequenceNr);
        Assert.False(cycle.Journaled()); // stopped until started again
    }

    [Fact]
    public void A_small_store_waits_for_snapshot_every_writes_and_deleted_objects_are_skipped()
    {
        var cycle = new CheckpointCycle(snapshotEvery: 100, chunkSize: 2);
        cycle.Start(Keys(3), startSequenceNr: 1);

        var chunks = new List<(int Write, IReadOnlyList<SnapshotEntry> Objects, bool Final)>();
        for (var write = 1; write <= 100; write++)
        {
            if (!cycle.Journaled()) continue;
            var (objects, final) = cycle.NextChunk(k => k.Name == "cm-1" ? null : new SnapshotEntry(k.Name, Any));
            chunks.Add((write, objects, final));
        }

        Assert.Equal([50, 100], chunks.Select(c => c.Write));
        Assert.Equal(["cm-0"], chunks[0].Objects.Select(o => o.Resource));
        Assert.Equal(["cm-2"], chunks[1].Objects.Select(o => o.Resource));
        Assert.True(chunks[1].Final);
    }

    [Fact]
    public void An_empty_keyspace_completes_with_one_empty_chunk()
    {
        var cycle = new CheckpointCycle(snapshotEvery: 3, chunkSize: 10);
        cycle.Start([], startSequenceNr: 7);
        Assert.False(cycle.Journaled());
        Assert.False(cycle.Journaled());
        Assert.True(cycle.Journaled());
        var (objects, final) = cycle.NextChunk(_ => null);
        Assert.Empty(objects);
        Assert.True(final);
    }

    private static List<CheckpointKey> Keys(int n) =>
        Enumerable.Range(0, n).Select(i => new CheckpointKey("configmaps", "default", $"cm-{i}")).ToList();
}

using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Akka.Persistence;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

/// <summary>The Store's rolling checkpoint: chunks of the keyspace spread over the writes, never a whole copy at once.</summary>
public sealed class StoreSnapshotSpecs : StoreTestBase
{
    public StoreSnapshotSpecs() : base(new TempDir()) { }

    [Fact]
    public void A_store_that_only_grows_keeps_completing_checkpoints_and_recovers_from_them()
    {
        var store = StartStore("store-1", new StoreSettings(SnapshotEvery: 5));
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        for (var i = 0; i < 30; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"cm-{i}")));

        // Cycles of at least 5 events, raised to the object count when each started (5, 5, 10, 20...):
        // the third completes at about the 20th write, its marker near the 10th; markers keep
        // following the writes instead of stopping after the first one.
        AwaitAssert(() => Assert.True(LatestSnapshot()?.Metadata.SequenceNr is >= 9, $"latest checkpoint marker at {LatestSnapshot()?.Metadata.SequenceNr}"), TimeSpan.FromSeconds(10));
        Assert.IsType<StoreCheckpoint>(LatestSnapshot()!.Snapshot);

        Restart(ref store, new StoreSettings(SnapshotEvery: 5));
        store.Tell(new ListObjects("configmaps", "default", null, null), TestActor);
        Assert.Equal(30, ExpectMsg<StoreList>().Items.Count);
    }

    [Fact]
    public void Recovery_from_a_checkpoint_has_the_last_state_of_every_object_once_the_journal_before_it_is_trimmed()
    {
        var settings = new StoreSettings(SnapshotEvery: 10, SnapshotChunk: 3);
        var store = StartStore("store-1", settings);
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        for (var i = 0; i < 20; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"cm-{i:D2}")));
        // Writes interleaved with the chunks: updates of objects not copied yet and of objects
        // already copied, deletes on both sides, creates after the cycle listed its keys.
        for (var round = 0; round < 4; round++)
        {
            for (var i = 0; i < 20; i += 2) Ok(store, new UpdateObject("configmaps", ConfigMap($"cm-{i:D2}", data: $"round-{round}")));
            Ok(store, new CreateObject("configmaps", ConfigMap($"late-{round}")));
        }
        foreach (var i in new[] { 1, 7, 19 }) Ok(store, new DeleteObject("configmaps", "default", $"cm-{i:D2}"));
        Ok(store, new DeleteObject("configmaps", "default", "late-0"));

        // A complete cycle, and the journal trimmed up to its start: the first creates are gone from it.
        AwaitAssert(() =>
        {
            Assert.True(LatestSnapshot()?.Metadata.SequenceNr is > 21, $"latest checkpoint marker at {LatestSnapshot()?.Metadata.SequenceNr}");
            Assert.True(LowestJournalRow() > 21, $"journal still starts at {LowestJournalRow()}");
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        Restart(ref store, settings);
        store.Tell(new ListObjects("configmaps", "default", null, null), TestActor);
        var recovered = ExpectMsg<StoreList>().Items.Select(Obj).ToDictionary(o => (string)o["metadata"]!["name"]!, o => (string)o["data"]!["k"]!);
        var expected = Enumerable.Range(0, 20).Where(i => i is not (1 or 7 or 19))
            .ToDictionary(i => $"cm-{i:D2}", i => i % 2 == 0 ? "round-3" : "v");
        foreach (var round in new[] { 1, 2, 3 }) expected[$"late-{round}"] = "v";
        Assert.Equal(expected.OrderBy(e => e.Key), recovered.OrderBy(e => e.Key));

        // The resourceVersion goes on from where it was, not from the checkpoint's start.
        var next = Ok(store, new CreateObject("configmaps", ConfigMap("after-restart")));
        Assert.Equal(1 + 20 + 4 * 11 + 4 + 1, long.Parse((string)next["metadata"]!["resourceVersion"]!));
    }

    [Fact]
    public void A_whole_keyspace_snapshot_of_an_earlier_version_is_still_recovered()
    {
        var snapshots = global::Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        snapshots.Tell(new SaveSnapshot(new SnapshotMetadata(StoreActor.Id, 2, DateTime.UtcNow),
            new StoreSnapshot(2, [new SnapshotEntry("namespaces", Namespace("default")), new SnapshotEntry("configmaps", Stored(ConfigMap("old"), 2))])), TestActor);
        ExpectMsg<SaveSnapshotSuccess>();

        var store = StartStore("store-1", new StoreSettings());
        store.Tell(new GetObject("configmaps", "default", "old"), TestActor);
        ExpectMsg<StoreObject>();
        var next = Ok(store, new CreateObject("configmaps", ConfigMap("new")));
        Assert.Equal("3", (string)next["metadata"]!["resourceVersion"]!);
    }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Stored(Akka.KubeEmu.Cluster.Serialization.RawJson json, long rv)
    {
        var o = Obj(json);
        o["metadata"]!["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        o["metadata"]!["uid"] = Guid.NewGuid().ToString();
        return Json(o.ToJsonString());
    }

    private void Restart(ref Akka.Actor.IActorRef store, StoreSettings settings)
    {
        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);
        store = StartStore("store-" + Guid.NewGuid().ToString("N")[..6], settings);
    }

    private SelectedSnapshot? LatestSnapshot()
    {
        var snapshots = global::Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        var probe = CreateTestProbe();
        snapshots.Tell(new LoadSnapshot(StoreActor.Id, SnapshotSelectionCriteria.Latest, long.MaxValue), probe.Ref);
        return probe.ExpectMsg<LoadSnapshotResult>().Snapshot;
    }

    private long LowestJournalRow()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Dir.Path, "journal.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(min(sequence_number), 0) FROM journal WHERE deleted = 0";
        return (long)command.ExecuteScalar()!;
    }
}

using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Akka.Persistence;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

public sealed class StoreSnapshotSpecs : StoreTestBase
{
    public StoreSnapshotSpecs() : base(new TempDir()) { }

    [Fact]
    public void A_store_that_only_grows_keeps_taking_snapshots_and_recovers_from_them()
    {
        var store = StartStore("store-1", new StoreSettings(SnapshotEvery: 5));
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        for (var i = 0; i < 30; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"cm-{i}")));

        // 31 events, at least 5 and at least the last snapshot's object count apart: snapshots
        // after events 5, 10 and 20 (their metadata may lag by the write still in flight).
        // Comparing with the current object count instead stopped after the first one.
        AwaitAssert(() => Assert.True(LatestSnapshotSequenceNr() is var n && n >= 15, $"latest snapshot at {n}"), TimeSpan.FromSeconds(10));

        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);
        var again = StartStore("store-2", new StoreSettings(SnapshotEvery: 5));
        again.Tell(new ListObjects("configmaps", "default", null, null), TestActor);
        Assert.Equal(30, ExpectMsg<StoreList>().Items.Count);
    }

    private long LatestSnapshotSequenceNr()
    {
        var snapshots = global::Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        snapshots.Tell(new LoadSnapshot(StoreActor.Id, SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        return ExpectMsg<LoadSnapshotResult>().Snapshot?.Metadata.SequenceNr ?? 0;
    }
}

using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Akka.TestKit;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

/// <summary>The Store lets go of watchers that leave too many events unacknowledged, as the watch cache drops slow watchers.</summary>
public sealed class StoreWatchFlowControlSpecs : StoreTestBase
{
    private const int Limit = 5;

    public StoreWatchFlowControlSpecs() : base(new TempDir()) { }

    [Fact]
    public void A_watcher_that_never_acknowledges_is_let_go_after_the_limit_while_one_that_acknowledges_keeps_receiving()
    {
        var store = StartLimitedStore();
        var slow = CreateTestProbe();
        var fast = AcknowledgingProbe();
        var rv = CurrentResourceVersion(store);
        Watch(store, slow, "slow", rv);
        Watch(store, fast, "fast", rv);

        for (var i = 0; i < 3 * Limit; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"cm-{i:D2}")));

        var (seenBySlow, ended) = Drain(slow, "slow", acknowledge: false);
        Assert.Equal(Limit, seenBySlow.Count);
        Assert.NotNull(ended);
        Assert.Equal(429, ended!.Code);
        Assert.Equal("TooManyRequests", ended.Reason);

        var seenByFast = new List<string>();
        while (seenByFast.Count < 3 * Limit) seenByFast.AddRange(NextBatch(fast, "fast", acknowledge: false).Select(e => e.Name));
        Assert.Equal(Enumerable.Range(0, 3 * Limit).Select(i => $"cm-{i:D2}"), seenByFast);
        fast.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void The_synthetic_added_events_of_a_new_watch_count_against_the_limit()
    {
        var store = StartLimitedStore();
        for (var i = 0; i < Limit - 1; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"old-{i}")));
        var slow = CreateTestProbe();
        Watch(store, slow, "slow", resourceVersion: null);
        Assert.Equal(Limit - 1, slow.ExpectMsg<WatchEvents>().Events.Count);

        Ok(store, new CreateObject("configmaps", ConfigMap("fits")));
        Assert.Equal("fits", KubeObject.Name(Obj(slow.ExpectMsg<WatchEvents>().Events.Single().Object)));
        Ok(store, new CreateObject("configmaps", ConfigMap("one-too-many")));
        Assert.Equal(429, slow.ExpectMsg<WatchEnded>().Status?.Code);
    }

    [Fact]
    public void A_watcher_let_go_that_watches_again_from_its_last_resource_version_misses_nothing()
    {
        var store = StartLimitedStore();
        var reference = AcknowledgingProbe();
        var slow = CreateTestProbe();
        var rv = CurrentResourceVersion(store);
        Watch(store, reference, "reference", rv);
        Watch(store, slow, "slow-1", rv);

        // Creates, updates and deletes, so the resumed watch must replay every kind of change.
        var existing = new HashSet<string>();
        for (var i = 0; i < 4 * Limit; i++)
        {
            var name = $"cm-{i % 7}";
            Ok(store, existing.Add(name)
                ? new CreateObject("configmaps", ConfigMap(name, data: $"v{i}"))
                : new UpdateObject("configmaps", ConfigMap(name, data: $"v{i}")));
            if (i % 3 == 0 && existing.Remove($"cm-{(i + 3) % 7}")) Ok(store, new DeleteObject("configmaps", "default", $"cm-{(i + 3) % 7}"));
        }
        var expected = new List<Seen>();
        var total = CountChanges(store, rv);
        Assert.True(total > 4 * Limit);
        while (expected.Count < total) expected.AddRange(NextBatch(reference, "reference", acknowledge: false));
        Assert.Contains(expected, s => s.Type == "MODIFIED");
        Assert.Contains(expected, s => s.Type == "DELETED");

        var (seen, ended) = Drain(slow, "slow-1", acknowledge: false);
        Assert.Equal(429, ended?.Code);
        Watch(store, slow, "slow-2", seen[^1].ResourceVersion);
        while (seen.Count < total) seen.AddRange(NextBatch(slow, "slow-2", acknowledge: true));

        Assert.Equal(expected, seen);
        slow.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private sealed record Seen(string Type, string Name, string ResourceVersion);

    private IActorRef StartLimitedStore()
    {
        var store = StartStore(settings: new StoreSettings(WatchMaxUnacknowledged: Limit));
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        return store;
    }

    /// <summary>A subscriber that acknowledges every batch as it arrives (and still lets the test read it).</summary>
    private TestProbe AcknowledgingProbe()
    {
        var probe = CreateTestProbe();
        probe.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is WatchEvents e) sender.Tell(new WatchAck("configmaps", e.WatchId, e.Events.Count));
            return AutoPilot.KeepRunning;
        }));
        return probe;
    }

    private string CurrentResourceVersion(IActorRef store)
    {
        store.Tell(new ListObjects("configmaps", "default"), TestActor);
        return ExpectMsg<StoreList>().ResourceVersion;
    }

    /// <summary>How many configmap changes happened after <paramref name="rv"/>: the list's resourceVersion minus it, all writes being to configmaps.</summary>
    private int CountChanges(IActorRef store, string rv) => (int)(long.Parse(CurrentResourceVersion(store)) - long.Parse(rv));

    private static void Watch(IActorRef store, TestProbe probe, string id, string? resourceVersion)
    {
        store.Tell(new WatchObjects("configmaps", id, "default", ResourceVersion: resourceVersion), probe);
        probe.ExpectMsg<WatchAccepted>(a => a.WatchId == id);
    }

    private static List<Seen> NextBatch(TestProbe probe, string id, bool acknowledge)
    {
        var batch = probe.ExpectMsg<WatchEvents>(b => b.WatchId == id);
        if (acknowledge) probe.Reply(new WatchAck("configmaps", id, batch.Events.Count));
        return batch.Events.Select(e => Obj(e.Object))
            .Select(o => new Seen(string.Empty, KubeObject.Name(o), KubeObject.ResourceVersion(o)!))
            .Zip(batch.Events, (s, e) => s with { Type = e.Type }).ToList();
    }

    /// <summary>Every event until the watch ends, and the status it ends with.</summary>
    private static (List<Seen> Seen, Akka.KubeEmu.Actors.Api.ApiStatus? Ended) Drain(TestProbe probe, string id, bool acknowledge)
    {
        var seen = new List<Seen>();
        while (true)
        {
            switch (probe.ExpectMsg<object>())
            {
                case WatchEvents batch when batch.WatchId == id:
                    if (acknowledge) probe.Reply(new WatchAck("configmaps", id, batch.Events.Count));
                    seen.AddRange(batch.Events.Select(e => new Seen(e.Type, KubeObject.Name(Obj(e.Object)), KubeObject.ResourceVersion(Obj(e.Object))!)));
                    break;
                case WatchEnded ended when ended.WatchId == id:
                    return (seen, ended.Status);
            }
        }
    }
}

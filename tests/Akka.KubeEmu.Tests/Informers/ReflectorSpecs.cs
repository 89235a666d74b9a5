using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Xunit;

namespace Akka.KubeEmu.Tests.Informers;

/// <summary>The reflector against a scripted store (a probe), to see exactly what it asks.</summary>
public sealed class ReflectorSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static RawJson Cm(string name, long rv) =>
        RawJson.FromString($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default","resourceVersion":"{{{rv}}}"},"data":{"k":"v"}}""");

    [Fact]
    public void It_lists_watches_from_the_list_acknowledges_batches_and_resumes_a_lost_watch_from_the_last_version_seen()
    {
        var store = CreateTestProbe();
        Sys.ActorOf(Reflector.Props(store, new ReflectorSpec("cms", "configmaps", "default"), target: TestActor));

        store.ExpectMsg<ListObjects>(l => l.Resource == "configmaps" && l.Namespace == "default");
        store.Reply(new StoreList([Cm("a", 5)], "7", null, null));
        Assert.Contains("\"name\":\"a\"", Assert.Single(ExpectMsg<ReflectorReplace>().Items).ToString());

        var watch = store.ExpectMsg<WatchObjects>(w => w.ResourceVersion == "7");
        store.Reply(new WatchAccepted(watch.WatchId, "7"));
        store.Reply(new WatchEvents(watch.WatchId, [new WatchEvent("ADDED", Cm("b", 8)), new WatchEvent("MODIFIED", Cm("a", 9))]));
        Assert.Equal(2, ExpectMsg<ReflectorEvents>().Events.Count);
        Assert.Equal(2, store.ExpectMsg<WatchAck>(a => a.WatchId == watch.WatchId).Events);

        // The store let go of the watch (restart, or too slow): watch again from 9, no relist.
        store.Reply(new WatchEnded(watch.WatchId, null));
        store.ExpectMsg<CancelWatch>(c => c.WatchId == watch.WatchId);
        var resumed = store.ExpectMsg<WatchObjects>(TimeSpan.FromSeconds(5));
        Assert.Equal("9", resumed.ResourceVersion);
        Assert.NotEqual(watch.WatchId, resumed.WatchId);

        // 9 has left the store's window: only now does it list again.
        store.Reply(new StoreFailure(ApiStatus.Gone("too old resource version: 9 (12)")));
        store.ExpectMsg<ListObjects>(TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}

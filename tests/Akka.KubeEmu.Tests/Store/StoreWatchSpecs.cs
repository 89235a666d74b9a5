using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

public sealed class StoreWatchSpecs : StoreTestBase
{
    public StoreWatchSpecs() : base(new TempDir()) => _watcher = CreateTestProbe();

    private void Watch(Akka.Actor.IActorRef store, WatchObjects watch)
    {
        store.Tell(watch, _watcher);
        _watcher.ExpectMsg<WatchAccepted>();
    }

    private readonly Akka.TestKit.TestProbe _watcher;

    private WatchEvent NextEvent()
    {
        var batch = _watcher.ExpectMsg<WatchEvents>();
        Assert.Single(batch.Events);
        return batch.Events[0];
    }

    [Fact]
    public void A_watch_from_a_list_resource_version_sees_exactly_the_later_changes()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", ConfigMap("before")));
        store.Tell(new ListObjects("configmaps", "default"), TestActor);
        var list = ExpectMsg<StoreList>();

        Watch(store, new WatchObjects("configmaps", "w1", "default", ResourceVersion: list.ResourceVersion));
        Ok(store, new CreateObject("configmaps", ConfigMap("after")));

        var ev = NextEvent();
        Assert.Equal("ADDED", ev.Type);
        Assert.Equal("after", KubeObject.Name(Obj(ev.Object)));
        _watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_watch_from_an_older_resource_version_replays_what_happened_since()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var a = Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        var rv = KubeObject.ResourceVersion(a);
        Ok(store, new DeleteObject("configmaps", "default", "a"));

        Watch(store, new WatchObjects("configmaps", "w1", "default", ResourceVersion: rv));
        var ev = NextEvent();
        Assert.Equal("DELETED", ev.Type);
        Assert.True(long.Parse(KubeObject.ResourceVersion(Obj(ev.Object))!) > long.Parse(rv!));
    }

    [Fact]
    public void A_recovered_store_replays_the_journal_since_its_snapshot_to_a_watch_resumed_from_before_it_stopped()
    {
        var store = StartStore("store-1");
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var seen = KubeObject.ResourceVersion(Ok(store, new CreateObject("configmaps", ConfigMap("a"))));
        Ok(store, new UpdateObject("configmaps", ConfigMap("a", data: "changed")));
        for (var i = 0; i < 4; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"more-{i}")));
        Ok(store, new DeleteObject("configmaps", "default", "a"));
        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);

        // What a watcher that had seen "a" created gets from the next store: everything after it, in order.
        var again = StartStore("store-2");
        again.Tell(new WatchObjects("configmaps", "resumed", "default", ResourceVersion: seen), _watcher);
        _watcher.ExpectMsg<WatchAccepted>();
        var events = new List<WatchEvent>();
        while (events.Count < 6) events.AddRange(_watcher.ExpectMsg<WatchEvents>().Events);
        Assert.Equal(["MODIFIED a", "ADDED more-0", "ADDED more-1", "ADDED more-2", "ADDED more-3", "DELETED a"],
            events.Select(e => $"{e.Type} {KubeObject.Name(Obj(e.Object))}"));
        var versions = events.Select(e => long.Parse(e.ResourceVersion()!)).ToArray();
        Assert.Equal(versions.Order(), versions);
        Assert.True(versions[0] > long.Parse(seen!));
        Assert.Equal("changed", Obj(events[^1].Object)["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void Progress_comes_after_every_event_queued_for_the_watch_and_moves_past_changes_that_do_not_concern_it()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("namespaces", Namespace("other")));
        Watch(store, new WatchObjects("configmaps", "w1", "default", ResourceVersion: "2"));
        var mine = KubeObject.ResourceVersion(Ok(store, new CreateObject("configmaps", ConfigMap("mine"))));
        var theirs = KubeObject.ResourceVersion(Ok(store, new CreateObject("configmaps", ConfigMap("theirs", ns: "other"))));

        store.Tell(new RequestWatchProgress("configmaps", "w1"), _watcher);
        // The event of "mine" first (if not already sent), then the bookmark at the latest change, "theirs".
        var before = new List<string>();
        WatchProgress? progress = null;
        while (progress is null)
        {
            switch (_watcher.ExpectMsg<object>(TimeSpan.FromSeconds(3)))
            {
                case WatchEvents e: before.AddRange(e.Events.Select(ev => KubeObject.Name(Obj(ev.Object))!)); break;
                case WatchProgress p: progress = p; break;
            }
        }
        Assert.Equal(["mine"], before);
        Assert.Equal(theirs, progress.ResourceVersion);
        Assert.True(long.Parse(theirs!) > long.Parse(mine!));
    }

    [Fact]
    public void A_resource_version_older_than_the_window_is_410_gone()
    {
        var store = StartStore(settings: new StoreSettings(WatchWindow: 2));
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        for (var i = 0; i < 5; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"cm{i}")));

        var status = Fails(store, new WatchObjects("configmaps", "w1", "default", ResourceVersion: "1"));
        Assert.Equal(410, status.Code);
        Assert.Equal("Expired", status.Reason);
        Assert.StartsWith("too old resource version: 1 (", status.Message);
    }

    [Fact]
    public void Watching_with_a_label_selector_turns_a_label_change_into_added_and_deleted()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var cm = Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        Watch(store, new WatchObjects("configmaps", "w1", "default", LabelSelector: "tier=web", ResourceVersion: KubeObject.ResourceVersion(cm)));

        KubeObject.Metadata(cm)["labels"] = new System.Text.Json.Nodes.JsonObject { ["tier"] = "web" };
        cm = Ok(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(cm))));
        Assert.Equal("ADDED", NextEvent().Type);

        KubeObject.Metadata(cm).Remove("labels");
        Ok(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(cm))));
        Assert.Equal("DELETED", NextEvent().Type);
    }

    [Fact]
    public void Watch_without_resource_version_starts_with_the_current_objects()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        Watch(store, new WatchObjects("configmaps", "w1", "default"));
        var ev = NextEvent();
        Assert.Equal("ADDED", ev.Type);
        Assert.Equal("a", KubeObject.Name(Obj(ev.Object)));
    }

    [Fact]
    public void Kubelet_style_field_selector_watch_sees_only_its_nodes_pods()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Watch(store, new WatchObjects("pods", "node-1", null, FieldSelector: "spec.nodeName=node-1", ResourceVersion: "1"));

        Ok(store, new CreateObject("pods", Pod("on-2", "node-2")));
        Ok(store, new CreateObject("pods", Pod("on-1", "node-1")));
        var ev = NextEvent();
        Assert.Equal("on-1", KubeObject.Name(Obj(ev.Object)));
        _watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_kubelet_style_watch_resumed_from_an_older_resource_version_replays_only_its_nodes_pods_in_order()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("pods", Pod("a", "node-1")));
        Ok(store, new CreateObject("pods", Pod("b", "node-2")));
        Ok(store, new CreateObject("pods", Pod("c", "node-1")));
        Ok(store, new DeleteObject("pods", "default", "a", GracePeriodSeconds: 0));

        Watch(store, new WatchObjects("pods", "node-1", null, FieldSelector: "spec.nodeName=node-1", ResourceVersion: "1"));
        var replay = _watcher.ExpectMsg<WatchEvents>().Events.Select(e => $"{e.Type} {KubeObject.Name(Obj(e.Object))}");
        Assert.Equal(["ADDED a", "ADDED c", "DELETED a"], replay);
        _watcher.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Lists_page_with_continue_tokens_in_key_order()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        foreach (var n in new[] { "c", "a", "b" }) Ok(store, new CreateObject("configmaps", ConfigMap(n)));

        store.Tell(new ListObjects("configmaps", "default", Limit: 2), TestActor);
        var first = ExpectMsg<StoreList>();
        Assert.Equal(["a", "b"], first.Items.Select(i => KubeObject.Name(Obj(i))));
        Assert.Equal(1, first.RemainingItemCount);

        store.Tell(new ListObjects("configmaps", "default", Limit: 2, Continue: first.Continue), TestActor);
        var second = ExpectMsg<StoreList>();
        Assert.Equal(["c"], second.Items.Select(i => KubeObject.Name(Obj(i))));
        Assert.Null(second.Continue);
    }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Pod(string name, string node) =>
        Json($$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default"},"spec":{"nodeName":"{{{node}}}","containers":[{"name":"c","image":"nginx"}]}}""");
}

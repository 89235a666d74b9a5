using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

/// <summary>
/// Lists read the state their options ask for, as kube-apiserver's storage serves them: every
/// page of a paged list shows the snapshot of the first, exact lists read history, a future
/// resourceVersion waits and then answers 504, and compacted history answers 410.
/// </summary>
public sealed class StoreListConsistencySpecs : StoreTestBase
{
    public StoreListConsistencySpecs() : base(new TempDir())
    {
    }

    private StoreList List(Akka.Actor.IActorRef store, ListObjects list)
    {
        store.Tell(list, TestActor);
        return ExpectMsg<StoreList>();
    }

    private static string[] Names(StoreList list) => list.Items.Select(i => KubeObject.Name(Obj(i))!).ToArray();

    private Akka.Actor.IActorRef StoreWith(params string[] names)
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        foreach (var n in names) Ok(store, new CreateObject("configmaps", ConfigMap(n)));
        return store;
    }

    [Fact]
    public void Every_page_of_a_paged_list_shows_the_state_of_the_first()
    {
        var store = StoreWith("a", "b", "c", "d");
        var first = List(store, new ListObjects("configmaps", "default", Limit: 2));
        Assert.Equal(["a", "b"], Names(first));

        // Meanwhile: c changes, d goes, e and bb come.
        Ok(store, new UpdateObject("configmaps", ConfigMap("c", data: "changed")));
        Ok(store, new DeleteObject("configmaps", "default", "d"));
        Ok(store, new CreateObject("configmaps", ConfigMap("e")));
        Ok(store, new CreateObject("configmaps", ConfigMap("bb")));

        var second = List(store, new ListObjects("configmaps", "default", Limit: 2, Continue: first.Continue));
        Assert.Equal(["c", "d"], Names(second));
        Assert.Equal("v", Obj(second.Items[0])["data"]!["k"]!.GetValue<string>());
        Assert.Equal(first.ResourceVersion, second.ResourceVersion);
        Assert.Null(second.Continue);

        // A new list sees the present.
        Assert.Equal(["a", "b", "bb", "c", "e"], Names(List(store, new ListObjects("configmaps", "default"))));
    }

    [Fact]
    public void An_exact_list_reads_the_state_at_its_resource_version()
    {
        var store = StoreWith("a", "b");
        var then = List(store, new ListObjects("configmaps", "default")).ResourceVersion;
        Ok(store, new DeleteObject("configmaps", "default", "a"));
        Ok(store, new CreateObject("configmaps", ConfigMap("c")));

        var exact = List(store, new ListObjects("configmaps", "default", ResourceVersion: then, ResourceVersionMatch: "Exact"));
        Assert.Equal(["a", "b"], Names(exact));
        Assert.Equal(then, exact.ResourceVersion);

        // The legacy form: a resourceVersion with a limit is exact too, and its pages stay there.
        var legacy = List(store, new ListObjects("configmaps", "default", Limit: 1, ResourceVersion: then));
        Assert.Equal(["a"], Names(legacy));
        Assert.Equal(["b"], Names(List(store, new ListObjects("configmaps", "default", Limit: 1, Continue: legacy.Continue))));

        // Without a limit it means "not older than": the present.
        Assert.Equal(["b", "c"], Names(List(store, new ListObjects("configmaps", "default", ResourceVersion: then))));
    }

    [Fact]
    public void Selectors_apply_to_the_objects_as_they_were()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", Labelled("a", "blue")));
        Ok(store, new CreateObject("configmaps", Labelled("b", "red")));
        var then = List(store, new ListObjects("configmaps", "default")).ResourceVersion;
        Ok(store, new UpdateObject("configmaps", Labelled("a", "red")));

        var exact = List(store, new ListObjects("configmaps", "default", "color=blue", ResourceVersion: then, ResourceVersionMatch: "Exact"));
        Assert.Equal(["a"], Names(exact));
        Assert.Equal(["a", "b"], Names(List(store, new ListObjects("configmaps", "default", "color=red"))));
    }

    [Fact]
    public void After_a_compaction_a_continue_token_is_410_with_a_token_for_the_inconsistent_rest()
    {
        var store = StoreWith("a", "b", "c");
        var first = List(store, new ListObjects("configmaps", "default", Limit: 1));
        Ok(store, new CreateObject("configmaps", ConfigMap("bb")));
        store.Tell(new CompactWindow(), TestActor);
        ExpectMsg<WindowCompacted>();

        var expired = Fails(store, new ListObjects("configmaps", "default", Limit: 1, Continue: first.Continue));
        Assert.Equal(410, expired.Code);
        Assert.Equal("Expired", expired.Reason);
        Assert.StartsWith("The provided continue parameter is too old to display a consistent list result.", expired.Message);
        Assert.NotNull(expired.Continue);

        // The inconsistent remainder: the latest state after "a", and the tokens it hands out are of that state.
        var rest = List(store, new ListObjects("configmaps", "default", Limit: 2, Continue: expired.Continue));
        Assert.Equal(["b", "bb"], Names(rest));
        Assert.Equal(["c"], Names(List(store, new ListObjects("configmaps", "default", Limit: 2, Continue: rest.Continue))));

        var old = Fails(store, new ListObjects("configmaps", "default", ResourceVersion: first.ResourceVersion, ResourceVersionMatch: "Exact"));
        Assert.Equal((410, "The resourceVersion for the provided list is too old."), (old.Code, old.Message));
    }

    [Fact]
    public void A_future_resource_version_is_answered_once_a_write_reaches_it()
    {
        var store = StoreWith("a");
        var now = long.Parse(List(store, new ListObjects("configmaps", "default")).ResourceVersion);

        store.Tell(new ListObjects("configmaps", "default", ResourceVersion: (now + 1).ToString()), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        var probe = CreateTestProbe();
        store.Tell(new CreateObject("configmaps", ConfigMap("b")), probe);
        probe.ExpectMsg<StoreObject>();

        var list = ExpectMsg<StoreList>();
        Assert.Equal(["a", "b"], Names(list));
        Assert.Equal((now + 1).ToString(), list.ResourceVersion);
    }

    [Fact]
    public void A_future_resource_version_nobody_writes_is_a_504_after_the_wait()
    {
        var store = StoreWith("a");
        store.Tell(new ListObjects("configmaps", "default", ResourceVersion: "999999"), TestActor);
        ExpectNoMsg(TimeSpan.FromSeconds(2));
        var failure = ExpectMsg<StoreFailure>(TimeSpan.FromSeconds(3)).Status;
        Assert.Equal(504, failure.Code);
        Assert.Equal("Timeout", failure.Reason);
        Assert.StartsWith("Timeout: Too large resource version: 999999, current: ", failure.Message);
        Assert.Equal("ResourceVersionTooLarge", failure.Details!.Causes![0].Type);
        Assert.Equal(1, failure.Details.RetryAfterSeconds);
    }

    [Fact]
    public void Resource_version_0_is_served_whole_as_the_watch_cache_serves_it()
    {
        var store = StoreWith("a", "b", "c");
        var list = List(store, new ListObjects("configmaps", "default", Limit: 1, ResourceVersion: "0"));
        Assert.Equal(["a", "b", "c"], Names(list));
        Assert.Null(list.Continue);
    }

    [Fact]
    public void The_remaining_item_count_is_given_only_for_a_list_without_selectors()
    {
        var store = StoreWith("a", "b", "c");
        Assert.Equal(2, List(store, new ListObjects("configmaps", "default", Limit: 1)).RemainingItemCount);
        var selective = List(store, new ListObjects("configmaps", "default", FieldSelector: "metadata.namespace=default", Limit: 1));
        Assert.NotNull(selective.Continue);
        Assert.Null(selective.RemainingItemCount);
    }

    [Fact]
    public void A_watch_from_before_a_compaction_is_expired()
    {
        var store = StoreWith("a");
        var then = List(store, new ListObjects("configmaps", "default")).ResourceVersion;
        Ok(store, new CreateObject("configmaps", ConfigMap("b")));
        store.Tell(new CompactWindow(), TestActor);
        var compacted = ExpectMsg<WindowCompacted>();

        var gone = Fails(store, new WatchObjects("configmaps", "w", "default", ResourceVersion: then));
        Assert.Equal(410, gone.Code);
        Assert.Equal($"too old resource version: {then} ({compacted.ResourceVersion + 1})", gone.Message);
    }

    [Fact]
    public void A_watch_from_a_future_resource_version_sees_only_what_comes_after_it()
    {
        var store = StoreWith("a");
        var now = long.Parse(List(store, new ListObjects("configmaps", "default")).ResourceVersion);
        var watcher = CreateTestProbe();
        store.Tell(new WatchObjects("configmaps", "w", "default", ResourceVersion: (now + 1).ToString()), watcher);
        watcher.ExpectMsg<WatchAccepted>();

        Ok(store, new CreateObject("configmaps", ConfigMap("b"))); // now + 1: not after it
        Ok(store, new CreateObject("configmaps", ConfigMap("c")));
        var batch = watcher.ExpectMsg<WatchEvents>();
        Assert.Equal(["c"], batch.Events.Select(e => KubeObject.Name(Obj(e.Object))));
    }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Labelled(string name, string color) =>
        Json($$$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{{name}}}}","namespace":"default","labels":{"color":"{{{{color}}}}"}}}""");
}

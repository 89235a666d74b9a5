using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

/// <summary>Selective lists and watches, now answered from indexes, return what a full scan returns.</summary>
public sealed class StoreIndexedListSpecs : StoreTestBase
{
    private static readonly (string? Labels, string? Fields)[] Selectors =
    [
        (null, "spec.nodeName=node-1"),
        (null, "spec.nodeName="),
        (null, "spec.nodeName!=node-1"),
        (null, "spec.nodeName=node-2,status.phase=Running"),
        (null, "metadata.namespace=other"),
        (null, "metadata.name=p-4"),
        ("app=web", null),
        ("app==web", "spec.nodeName=node-1"),
        ("app in (db)", null),
        ("app in (web,db)", null),
        ("app!=web", "spec.nodeName=node-2"),
        ("app notin (db),tier=front", null),
        ("tier", "status.phase=Pending"),
        ("!tier,app=db", null),
        ("app=nope", null),
    ];

    public StoreIndexedListSpecs() : base(new TempDir()) { }

    [Fact]
    public void Selective_lists_page_exactly_as_a_scan_after_binds_relabels_status_changes_and_deletions()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("namespaces", Namespace("other")));
        for (var i = 0; i < 24; i++)
            Ok(store, new CreateObject("pods", Pod(i % 3 == 0 ? "other" : "default", $"p-{i}", i % 4 == 0 ? "db" : "web", i % 2 == 0 ? "front" : null)));
        for (var i = 0; i < 24; i += 2) Bind(store, i % 3 == 0 ? "other" : "default", $"p-{i}", i % 4 == 0 ? "node-1" : "node-2");
        for (var i = 0; i < 24; i += 3) SetPhase(store, i % 3 == 0 ? "other" : "default", $"p-{i}", "Running");
        for (var i = 1; i < 24; i += 5) Relabel(store, i % 3 == 0 ? "other" : "default", $"p-{i}", "db");
        for (var i = 5; i < 24; i += 7) Ok(store, new DeleteObject("pods", i % 3 == 0 ? "other" : "default", $"p-{i}"));

        var all = List(store, new ListObjects("pods")).Items.Select(i => StoredObject.From(ResourceCatalog.Pods, i)).ToList();
        var matchedSomething = 0;
        foreach (var (labels, fields) in Selectors)
        foreach (var ns in new[] { null, "default" })
        {
            var expected = Scan(all, ns, labels, fields);
            if (expected.Count > 0) matchedSomething++;
            Assert.Equal(expected, Names(List(store, new ListObjects("pods", ns, labels, fields)).Items));
            Assert.Equal(expected, PageThrough(store, new ListObjects("pods", ns, labels, fields, Limit: 2)));
        }
        Assert.True(matchedSomething > 15, "the selectors should select something most of the time");
    }

    [Fact]
    public void A_watch_without_resource_version_starts_with_the_indexed_matches_only()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        for (var i = 0; i < 6; i++) Ok(store, new CreateObject("pods", Pod("default", $"p-{i}", i % 2 == 0 ? "db" : "web", null)));
        Relabel(store, "default", "p-0", "web");

        store.Tell(new WatchObjects("pods", "w", "default", LabelSelector: "app=db"), TestActor);
        ExpectMsg<WatchAccepted>();
        var initial = ExpectMsg<WatchEvents>().Events;
        Assert.All(initial, e => Assert.Equal("ADDED", e.Type));
        Assert.Equal(["default/p-2", "default/p-4"], Names(initial.Select(e => e.Object)));
    }

    private List<string> PageThrough(IActorRef store, ListObjects first)
    {
        var names = new List<string>();
        var request = first;
        while (true)
        {
            var page = List(store, request);
            Assert.True(page.Items.Count <= first.Limit);
            names.AddRange(Names(page.Items));
            if (page.Continue is null) return names;
            request = first with { Continue = page.Continue };
        }
    }

    private static List<string> Scan(IEnumerable<StoredObject> all, string? ns, string? labels, string? fields)
    {
        var l = LabelSelector.Parse(labels);
        var f = FieldSelector.Parse(fields);
        return all.Where(o => (ns is null || o.Namespace == ns) && l.Matches(o.Labels) && f.Matches(o.Fields))
            .Select(o => ObjectTable.Key(o.Namespace, o.Name)).ToList();
    }

    private static List<string> Names(IEnumerable<RawJson> items) =>
        items.Select(i => Obj(i)).Select(o => ObjectTable.Key(KubeObject.Namespace(o), KubeObject.Name(o))).ToList();

    private StoreList List(IActorRef store, ListObjects list)
    {
        store.Tell(list, TestActor);
        return ExpectMsg<StoreList>();
    }

    private void Bind(IActorRef store, string ns, string name, string node) =>
        Ok(store, new UpdateObject("pods", Json($$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}"},"spec":{"nodeName":"{{{node}}}"}}"""), "binding"));

    private void SetPhase(IActorRef store, string ns, string name, string phase)
    {
        var pod = Get(store, ns, name);
        pod["status"] = new JsonObject { ["phase"] = phase };
        Ok(store, new UpdateObject("pods", new(KubeObject.ToBytes(pod)), "status"));
    }

    private void Relabel(IActorRef store, string ns, string name, string app)
    {
        var pod = Get(store, ns, name);
        KubeObject.Metadata(pod)["labels"]!["app"] = app;
        Ok(store, new UpdateObject("pods", new(KubeObject.ToBytes(pod))));
    }

    private JsonObject Get(IActorRef store, string ns, string name) => Ok(store, new GetObject("pods", ns, name));

    private static RawJson Pod(string ns, string name, string app, string? tier)
    {
        var labels = tier is null ? $"\"app\":\"{app}\"" : $"\"app\":\"{app}\",\"tier\":\"{tier}\"";
        return Json($$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{{{{labels}}}}},"spec":{"containers":[{"name":"c","image":"nginx"}]},"status":{"phase":"Pending"}}""");
    }
}

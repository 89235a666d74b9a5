using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

/// <summary>The table's index answers exactly what a scan of every object answers, only reading less.</summary>
public sealed class ObjectTableIndexSpecs
{
    private static readonly string[] Namespaces = ["a", "a-b", "default", "kube-system"];
    private static readonly string[] Nodes = ["node-1", "node-2", "node-3", ""];
    private static readonly string[] Phases = ["Pending", "Running", "Succeeded"];
    private static readonly string[] Apps = ["web", "db", "cache"];

    private static readonly string[] Selectors =
    [
        "|spec.nodeName=node-2",
        "|spec.nodeName==node-1,status.phase=Running",
        "|spec.nodeName=",
        "|spec.nodeName!=node-1",
        "|spec.nodeName=node-9",
        "|metadata.namespace=a",
        "|metadata.namespace=a,spec.nodeName=node-3",
        "|metadata.name=p-7",
        "|metadata.name=p-7,spec.nodeName=node-1",
        "app=web|",
        "app==db,tier=back|status.phase=Running",
        "app in (cache)|",
        "app in (web,db)|",
        "app=web,app!=web|",
        "app!=web|spec.nodeName=node-3",
        "app notin (web),tier=front|",
        "tier|spec.nodeName=node-1",
        "!tier,app=db|",
        "missing=x|",
        "|",
    ];

    [Fact]
    public void Every_selector_gets_what_a_scan_gets_in_the_same_order_through_puts_updates_and_removals()
    {
        var random = new Random(7);
        var table = Table();
        var scanned = new Dictionary<string, StoredObject>();
        for (var step = 0; step < 3000; step++)
        {
            var ns = Namespaces[random.Next(Namespaces.Length)];
            var name = $"p-{random.Next(60)}";
            if (random.Next(5) == 0)
            {
                table.Remove(ns, name);
                scanned.Remove(ObjectTable.Key(ns, name));
            }
            else
            {
                // Re-putting an existing key is an update that may move it between index values.
                var pod = Pod(ns, name, Nodes[random.Next(Nodes.Length)], Phases[random.Next(Phases.Length)],
                    random.Next(4) == 0 ? null : Apps[random.Next(Apps.Length)], random.Next(2) == 0 ? "front" : random.Next(2) == 0 ? "back" : null);
                table.Put(pod);
                scanned[ObjectTable.Key(ns, name)] = pod;
            }
            if (step % 250 != 249) continue;

            Assert.Equal(scanned.Count, table.Count);
            foreach (var selector in Selectors)
            foreach (var ns2 in new[] { null, "a", "default", "nope" })
                AssertSameAsScan(table, scanned.Values, selector, ns2);
        }
    }

    [Fact]
    public void A_list_pinning_one_node_reads_only_that_nodes_pods()
    {
        var table = Table();
        for (var i = 0; i < 1000; i++) table.Put(Pod("default", $"p-{i:D4}", $"node-{i % 10}", "Running", "web", null));

        var (labels, fields) = Parse("|spec.nodeName=node-3");
        var candidates = table.Candidates(null, labels, fields).ToList();

        Assert.Equal(100, candidates.Count);
        Assert.All(candidates, o => Assert.Equal("node-3", o.Fields["spec.nodeName"]));
        // A label present on every pod is not what an index is chosen for when a field is narrower.
        var (both, bothFields) = Parse("app=web|spec.nodeName=node-3");
        Assert.Equal(100, table.Candidates(null, both, bothFields).Count());
        // Without an equality requirement every object is a candidate.
        var (none, noneFields) = Parse("|spec.nodeName!=node-3");
        Assert.Equal(1000, table.Candidates(null, none, noneFields).Count());
    }

    [Fact]
    public void A_list_naming_one_object_of_a_namespace_reads_only_that_object()
    {
        // The kubelet's watch of a ConfigMap or Secret a pod reads: one lookup, not a walk of the namespace.
        var table = Table();
        for (var i = 0; i < 1000; i++) table.Put(Pod("default", $"p-{i:D4}", "node-1", "Running", "web", null));

        var (labels, fields) = Parse("|metadata.name=p-0042");
        Assert.Equal(["p-0042"], table.Candidates("default", labels, fields).Select(o => o.Name));
        Assert.Empty(table.Candidates("other", labels, fields));
        Assert.Empty(table.Candidates("default", labels, fields, afterKey: ObjectTable.Key("default", "p-0042")));
    }

    [Fact]
    public void Keys_page_in_etcd_order_across_namespaces_one_of_which_prefixes_another()
    {
        var table = Table();
        table.Put(Pod("a", "x", "node-1", "Running", "web", null));
        table.Put(Pod("a-b", "y", "node-1", "Running", "web", null));
        table.Put(Pod("ab", "z", "node-1", "Running", "web", null));

        // etcd compares "/registry/pods/a-b/y" < "/registry/pods/a/x" < "/registry/pods/ab/z".
        Assert.Equal(["a-b/y", "a/x", "ab/z"], table.Enumerate(null).Select(o => ObjectTable.Key(o.Namespace, o.Name)));
        Assert.Equal(["ab/z"], table.Enumerate(null, "a/x").Select(o => ObjectTable.Key(o.Namespace, o.Name)));
        var (labels, fields) = Parse("app=web|");
        Assert.Equal(["ab/z"], table.Candidates(null, labels, fields, "a/x").Select(o => ObjectTable.Key(o.Namespace, o.Name)));
    }

    private static void AssertSameAsScan(ObjectTable table, IEnumerable<StoredObject> all, string selector, string? ns)
    {
        var (labels, fields) = Parse(selector);
        bool Match(StoredObject o) => (ns is null || o.Namespace == ns) && labels.Matches(o.Labels) && fields.Matches(o.Fields);
        var expected = all.Where(Match).Select(o => ObjectTable.Key(o.Namespace, o.Name)).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected, table.Candidates(ns, labels, fields).Where(Match).Select(o => ObjectTable.Key(o.Namespace, o.Name)));
        // Resuming after any key (as a continue token does) gives the rest of the same sequence.
        foreach (var after in expected.Take(3).Append("a/p-3").Append("default/"))
            Assert.Equal(expected.Where(k => string.CompareOrdinal(k, after) > 0),
                table.Candidates(ns, labels, fields, after).Where(Match).Select(o => ObjectTable.Key(o.Namespace, o.Name)));
    }

    private static (LabelSelector, FieldSelector) Parse(string selector)
    {
        var parts = selector.Split('|');
        return (LabelSelector.Parse(parts[0]), FieldSelector.Parse(parts[1]));
    }

    private static ObjectTable Table() => new(StorageRules.IndexedFields("pods"));

    private static StoredObject Pod(string ns, string name, string node, string phase, string? app, string? tier)
    {
        var labels = string.Join(",", new[] { app is null ? null : $"\"app\":\"{app}\"", tier is null ? null : $"\"tier\":\"{tier}\"" }.OfType<string>());
        return StoredObject.From(ResourceCatalog.Pods, RawJson.FromString(
            $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","labels":{{{{labels}}}}},"spec":{"nodeName":"{{{node}}}"},"status":{"phase":"{{{phase}}}"}}"""));
    }
}

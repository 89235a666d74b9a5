using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

public sealed class ChangeWindowSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static Change At(long rv, string name = "a")
    {
        var obj = StoredObject.From(ResourceCatalog.ConfigMaps, RawJson.FromString(
            $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default","resourceVersion":"{{{rv}}}"}}"""));
        return new Change(rv, "configmaps", null, obj, null);
    }

    [Fact]
    public void Keeps_at_most_its_capacity_and_moves_its_start_with_what_leaves()
    {
        var window = new ChangeWindow(3, TimeSpan.FromMinutes(5));
        window.Reset(10);
        foreach (var rv in new long[] { 11, 12, 13, 14, 15 }) window.Add(At(rv), T0);

        Assert.Equal(3, window.Count);
        Assert.Equal(12, window.Start);
        Assert.False(window.Covers(11));
        Assert.True(window.Covers(12));
        Assert.Equal([13L, 14, 15], window.After(12).Select(c => c.ResourceVersion));
        Assert.Equal([15L, 14], window.NewestFirstAfter(13).Select(c => c.ResourceVersion));
    }

    [Fact]
    public void A_write_lets_go_of_changes_older_than_the_age_but_a_quiet_window_keeps_them()
    {
        var window = new ChangeWindow(100, TimeSpan.FromMinutes(5));
        window.Add(At(1), T0);
        window.Add(At(2), T0.AddMinutes(1));
        Assert.True(window.Covers(0));

        // Nothing written for an hour: still there (the watch cache shrinks only on events).
        Assert.Equal(2, window.Count);

        window.Add(At(3), T0.AddMinutes(5.5));
        Assert.Equal([2L, 3], window.After(0).Select(c => c.ResourceVersion));
        Assert.Equal(1, window.Start);
    }

    [Fact]
    public void Compaction_forgets_everything_up_to_the_resource_version_even_beyond_the_last_change()
    {
        var window = new ChangeWindow(100, TimeSpan.FromMinutes(5));
        foreach (var rv in new long[] { 1, 2, 3, 4 }) window.Add(At(rv), T0);

        window.CompactThrough(2);
        Assert.Equal(2, window.Start);
        Assert.Equal([3L, 4], window.After(0).Select(c => c.ResourceVersion));

        window.CompactThrough(9);
        Assert.Equal(0, window.Count);
        Assert.False(window.Covers(8));
        Assert.True(window.Covers(9));
    }

    [Fact]
    public void Many_changes_through_a_small_window_stay_in_order()
    {
        var window = new ChangeWindow(5, TimeSpan.FromMinutes(5));
        for (long rv = 1; rv <= 5000; rv++) window.Add(At(rv), T0);
        Assert.Equal([4996L, 4997, 4998, 4999, 5000], window.After(0).Select(c => c.ResourceVersion));
        Assert.Equal(4995, window.Start);
    }

    private static StoredObject Pod(long rv, string name, string? node)
    {
        var spec = node is null ? "{}" : $$"""{"nodeName":"{{node}}"}""";
        return StoredObject.From(ResourceCatalog.Pods, RawJson.FromString(
            $$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{name}}","namespace":"default","resourceVersion":"{{rv}}"},"spec":{{spec}}}"""));
    }

    /// <summary>
    /// A kubelet resuming its watch of the pods of its node reads the changes of that node only: a
    /// pod bound to it (nodeName from none to it), and deleted there; not the other nodes' pods.
    /// </summary>
    [Fact]
    public void Changes_are_found_by_their_indexed_value_before_and_after_and_leave_that_index_with_the_window()
    {
        var window = new ChangeWindow(4, TimeSpan.FromMinutes(5), WatchHub.IndexedFieldOf);
        window.Reset(0);
        var pending = Pod(1, "p", null);
        var bound = Pod(2, "p", "node-1");
        window.Add(new Change(1, "pods", null, pending, null), T0);
        window.Add(new Change(2, "pods", pending, bound, null), T0);
        window.Add(new Change(3, "pods", null, Pod(3, "q", "node-2"), null), T0);
        window.Add(new Change(4, "pods", bound, null, bound.Json), T0);

        Assert.Equal([2L, 4], window.AfterWithValue("pods", "node-1", 0).Select(c => c.ResourceVersion));
        Assert.Equal([4L], window.AfterWithValue("pods", "node-1", 2).Select(c => c.ResourceVersion));
        Assert.Equal([3L], window.AfterWithValue("pods", "node-2", 0).Select(c => c.ResourceVersion));
        Assert.Empty(window.AfterWithValue("pods", "node-3", 0));
        Assert.Empty(window.AfterWithValue("configmaps", "node-1", 0));

        // Two more changes push 1 and 2 out of the window, and out of node-1's changes.
        window.Add(new Change(5, "pods", null, Pod(5, "r", "node-1"), null), T0);
        window.Add(new Change(6, "pods", null, Pod(6, "s", "node-2"), null), T0);
        Assert.Equal([4L, 5], window.AfterWithValue("pods", "node-1", 0).Select(c => c.ResourceVersion));
        Assert.Equal([3L, 6], window.AfterWithValue("pods", "node-2", 0).Select(c => c.ResourceVersion));

        // Other resources are indexed by name (each kubelet watches its own Node).
        window.Add(At(7, "cm"), T0);
        Assert.Equal([7L], window.AfterWithValue("configmaps", "cm", 0).Select(c => c.ResourceVersion));
    }
}

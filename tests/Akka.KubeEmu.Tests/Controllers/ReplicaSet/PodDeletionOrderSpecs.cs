using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.ReplicaSet;

/// <summary>The scale-down order of pkg/controller's ActivePodsWithRanks, rule by rule and rule against rule.</summary>
public sealed class PodDeletionOrderSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A pod as the ranking sees it; times are ages at <see cref="Now"/>.</summary>
    public sealed record P(
        string Uid = "m",
        string Node = "node-1",
        string Phase = "Running",
        bool Ready = true,
        TimeSpan? ReadyFor = null,
        string? Cost = null,
        int Restarts = 0,
        TimeSpan? Age = null,
        int Rank = 0)
    {
        public V1Pod Pod() => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = "pod-" + Uid,
                Uid = Uid,
                CreationTimestamp = Age is { } age ? (Now - age).UtcDateTime : null,
                Annotations = Cost is null ? null : new Dictionary<string, string> { [PodDeletionOrder.DeletionCostAnnotation] = Cost },
            },
            Spec = new V1PodSpec { NodeName = Node.Length == 0 ? null : Node },
            Status = new V1PodStatus
            {
                Phase = Phase,
                Conditions = [new V1PodCondition { Type = "Ready", Status = Ready ? "True" : "False", LastTransitionTime = ReadyFor is { } r ? (Now - r).UtcDateTime : null }],
                ContainerStatuses = [new V1ContainerStatus { Name = "c", RestartCount = Restarts, Ready = Ready, Image = "i", ImageID = "", Started = Ready }],
            },
        };

        public override string ToString() => Uid;
    }

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>(why, first, second): <c>first</c> is deleted before <c>second</c>, whichever way they are compared.</summary>
    public static TheoryData<string, P, P> Ordered => new()
    {
        { "unassigned before assigned", new P("a", Node: "", Phase: "Running"), new P("b", Phase: "Pending", Ready: false) },
        { "Pending before Unknown", new P("a", Phase: "Pending"), new P("b", Phase: "Unknown") },
        { "Unknown before Running", new P("a", Phase: "Unknown"), new P("b", Phase: "Running") },
        { "a missing phase counts as Pending", new P("a", Phase: ""), new P("b", Phase: "Unknown") },
        { "phase before readiness", new P("a", Phase: "Pending", Ready: true), new P("b", Phase: "Running", Ready: false) },
        { "not ready before ready", new P("a", Ready: false), new P("b", Ready: true) },
        { "readiness before deletion cost", new P("a", Ready: false, Cost: "1000"), new P("b", Cost: "-1000") },
        { "lower deletion cost first", new P("a", Cost: "-5"), new P("b") },
        { "no cost is 0", new P("a"), new P("b", Cost: "1") },
        { "'+10' is not a valid cost: 0", new P("a", Cost: "+10"), new P("b", Cost: "5") },
        { "'008' is not a valid cost: 0", new P("a", Cost: "008"), new P("b", Cost: "5") },
        { "a cost beyond int32 is 0", new P("a", Cost: "99999999999"), new P("b", Cost: "5") },
        { "deletion cost before rank", new P("a", Cost: "1", Rank: 1), new P("b", Cost: "2", Rank: 5) },
        { "more related pods on the node first", new P("a", Rank: 3), new P("b", Rank: 2) },
        { "rank before ready time", new P("a", Rank: 2, ReadyFor: Day), new P("b", Rank: 1, ReadyFor: TimeSpan.FromMinutes(1)) },
        { "ready for less time first", new P("a", ReadyFor: TimeSpan.FromMinutes(1)), new P("b", ReadyFor: Hour) },
        { "an unknown ready time first", new P("a", ReadyFor: null), new P("b", ReadyFor: TimeSpan.FromSeconds(1)) },
        { "ready time before restarts", new P("a", ReadyFor: TimeSpan.FromMinutes(1), Restarts: 0), new P("b", ReadyFor: Hour, Restarts: 9) },
        { "ready time is ignored unless both are ready", new P("a", Ready: false, Phase: "Running", ReadyFor: Day, Restarts: 2), new P("b", Ready: false, ReadyFor: TimeSpan.FromMinutes(1), Restarts: 1) },
        { "more restarts first", new P("a", Restarts: 3), new P("b", Restarts: 1) },
        { "restarts before age", new P("a", Restarts: 1, Age: Day), new P("b", Restarts: 0, Age: TimeSpan.FromMinutes(1)) },
        { "newer first", new P("a", Age: TimeSpan.FromMinutes(1)), new P("b", Age: Day) },
        { "an unknown creation time first", new P("a", Age: null), new P("b", Age: TimeSpan.FromSeconds(1)) },
        // LogarithmicScaleDown: ages within the same power of two (of nanoseconds) tie, and the lower uid goes first.
        { "same log2 age: lower uid first (creation)", new P("a", Age: Hour + TimeSpan.FromMinutes(1)), new P("b", Age: Hour) },
        { "same log2 age: lower uid first (ready)", new P("a", ReadyFor: Hour + TimeSpan.FromMinutes(1)), new P("b", ReadyFor: Hour) },
    };

    [Theory]
    [MemberData(nameof(Ordered))]
    public void The_first_pod_is_deleted_before_the_second(string why, P first, P second)
    {
        Assert.True(PodDeletionOrder.Less(first.Pod(), first.Rank, second.Pod(), second.Rank, Now), why);
        Assert.False(PodDeletionOrder.Less(second.Pod(), second.Rank, first.Pod(), first.Rank, Now), why);
        var sorted = PodDeletionOrder.Sort([second.Pod(), first.Pod()], [second.Rank, first.Rank], Now);
        Assert.Equal([first.Uid, second.Uid], sorted.Select(p => p.Metadata.Uid));
    }

    public static TheoryData<string, P, P> Tied => new()
    {
        { "equal in everything", new P("a"), new P("b") },
        { "two nodes, both assigned", new P("a", Node: "node-1"), new P("b", Node: "node-2") },
        { "ready time is not compared when neither is ready", new P("a", Ready: false, ReadyFor: Day), new P("b", Ready: false, ReadyFor: Hour) },
    };

    [Theory]
    [MemberData(nameof(Tied))]
    public void Pods_equal_for_every_rule_tie(string why, P one, P other)
    {
        Assert.False(PodDeletionOrder.Less(one.Pod(), one.Rank, other.Pod(), other.Rank, Now), why);
        Assert.False(PodDeletionOrder.Less(other.Pod(), other.Rank, one.Pod(), one.Rank, Now), why);
    }

    [Fact]
    public void Without_a_clock_times_compare_exactly()
    {
        P older = new("a", Age: Hour + TimeSpan.FromMinutes(1)), newer = new("b", Age: Hour);
        Assert.True(PodDeletionOrder.Less(newer.Pod(), 0, older.Pod(), 0, null));
        Assert.False(PodDeletionOrder.Less(older.Pod(), 0, newer.Pod(), 0, null));
        // With the clock they share a log2 bucket and the uid decides.
        Assert.True(PodDeletionOrder.Less(older.Pod(), 0, newer.Pod(), 0, Now));
    }

    [Fact]
    public void The_rank_counts_the_active_related_pods_on_each_node()
    {
        var pods = new[] { new P("a", Node: "node-1").Pod(), new P("b", Node: "node-2").Pod(), new P("c", Node: "").Pod() };
        var terminating = new P("t", Node: "node-2").Pod();
        terminating.Metadata.DeletionTimestamp = Now.UtcDateTime;
        var failed = new P("f", Node: "node-2", Phase: "Failed").Pod();
        var related = pods.Concat([new P("x", Node: "node-1").Pod(), new P("y", Node: "node-1").Pod(), terminating, failed]).ToArray();
        Assert.Equal([3, 1, 1], PodDeletionOrder.RanksByRelatedPodsOnSameNode(pods, related));
        Assert.Equal([0, 0, 0], PodDeletionOrder.RanksByRelatedPodsOnSameNode(pods, []));
    }

    [Fact]
    public void Pods_to_delete_are_the_first_ones_in_that_order_and_all_of_them_when_all_go()
    {
        var pods = new[]
        {
            new P("running-old", Age: Day, ReadyFor: Day).Pod(),
            new P("running-new", Age: TimeSpan.FromSeconds(30), ReadyFor: TimeSpan.FromSeconds(20)).Pod(),
            new P("pending", Phase: "Pending", Ready: false, Age: Day).Pod(),
            new P("unscheduled", Node: "", Phase: "Pending", Ready: false, Age: Day).Pod(),
            new P("crowded", Node: "node-2", Age: Day, ReadyFor: Day).Pod(),
        };
        // node-1 holds 3 of the related pods, node-2 4 (crowded and the pods of a sibling ReplicaSet).
        var related = pods.Concat(new[] { "s1", "s2", "s3" }.Select(uid => new P(uid, Node: "node-2").Pod())).ToArray();
        Assert.Equal(["unscheduled", "pending", "crowded", "running-new"],
            PodDeletionOrder.PodsToDelete(pods, related, 4, Now).Select(p => p.Metadata.Uid));
        Assert.Equal(pods.Length, PodDeletionOrder.PodsToDelete(pods, related, 7, Now).Count);
    }
}

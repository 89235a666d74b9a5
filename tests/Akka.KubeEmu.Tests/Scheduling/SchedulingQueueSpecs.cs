using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Scheduling;

/// <summary>After internal/queue/scheduling_queue_test.go, in virtual time.</summary>
public sealed class SchedulingQueueSpecs
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private SchedulingQueue Queue() => new(_time, TimeSpan.FromMinutes(5));

    private static List<string> Drain(SchedulingQueue q)
    {
        var keys = new List<string>();
        while (q.Pop() is { } k) keys.Add(k);
        return keys;
    }

    [Fact]
    public void ActiveQ_pops_the_highest_priority_first_then_the_earliest_queued()
    {
        var q = Queue();
        q.Add("low-early", 0);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        q.Add("high", 1000);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        q.Add("low-late", 0);
        q.Add("critical", 2_000_000_000);
        Assert.Equal(["critical", "high", "low-early", "low-late"], Drain(q));
    }

    [Fact]
    public void Back_off_is_1s_doubling_per_attempt_up_to_10s()
    {
        var q = Queue();
        Assert.Equal([1, 2, 4, 8, 10, 10], new[] { 1, 2, 3, 4, 5, 6 }.Select(a => q.BackoffDuration(a).TotalSeconds));
    }

    [Fact]
    public void An_event_moves_only_the_pods_filed_under_it_and_respects_their_back_off()
    {
        var q = Queue();
        q.Add("needs-node", 0);
        q.Add("needs-room", 0);
        Drain(q);
        q.MarkUnschedulable("needs-node", ClusterEvent.NodeAdd);
        q.MarkUnschedulable("needs-room", ClusterEvent.PodDelete);

        q.OnClusterEvent(ClusterEvent.NodeUpdate);
        Assert.Equal(2, q.UnschedulableCount);

        // Within its first second of back-off: to backoffQ, not yet poppable.
        q.OnClusterEvent(ClusterEvent.PodDelete);
        Assert.Equal((1, 1, 0), (q.UnschedulableCount, q.BackoffCount, q.ActiveCount));
        q.FlushBackoffCompleted();
        Assert.Null(q.Pop());
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(1), q.NextBackoffExpiry);

        _time.Advance(TimeSpan.FromSeconds(1));
        q.FlushBackoffCompleted();
        Assert.Equal(["needs-room"], Drain(q));

        // After its back-off an event sends it straight to activeQ.
        _time.Advance(TimeSpan.FromSeconds(5));
        q.OnClusterEvent(ClusterEvent.NodeAdd | ClusterEvent.PodDelete);
        Assert.Equal(["needs-node"], Drain(q));
    }

    [Fact]
    public void Unschedulable_pods_are_flushed_after_five_minutes_without_a_helpful_event()
    {
        var q = Queue();
        q.Add("p", 0);
        Drain(q);
        q.MarkUnschedulable("p", ClusterEvent.NodeAdd);
        _time.Advance(TimeSpan.FromMinutes(4));
        q.FlushLeftovers();
        Assert.Null(q.Pop());
        _time.Advance(TimeSpan.FromMinutes(1));
        q.FlushLeftovers();
        Assert.Equal(["p"], Drain(q));
    }

    [Fact]
    public void A_failed_binding_backs_off_longer_with_each_attempt()
    {
        var q = Queue();
        q.Add("p", 0);
        Assert.Equal("p", q.Pop());
        q.MarkFailed("p");
        q.FlushBackoffCompleted();
        Assert.Null(q.Pop());
        _time.Advance(TimeSpan.FromSeconds(1));
        q.FlushBackoffCompleted();
        Assert.Equal("p", q.Pop());
        q.MarkFailed("p");
        _time.Advance(TimeSpan.FromSeconds(1));
        q.FlushBackoffCompleted();
        Assert.Null(q.Pop()); // second attempt: 2 s
        _time.Advance(TimeSpan.FromSeconds(1));
        q.FlushBackoffCompleted();
        Assert.Equal("p", q.Pop());
    }

    [Fact]
    public void A_spec_update_retries_an_unschedulable_pod_and_a_deleted_pod_is_forgotten()
    {
        var q = Queue();
        q.Add("p", 0);
        q.Add("gone", 0);
        Drain(q);
        q.MarkUnschedulable("p", ClusterEvent.NodeAdd);
        q.MarkUnschedulable("gone", ClusterEvent.NodeAdd);
        q.Delete("gone");
        _time.Advance(TimeSpan.FromSeconds(2));
        q.Update("p", 5);
        q.OnClusterEvent(ClusterEvent.NodeAdd);
        Assert.Equal(["p"], Drain(q));
        Assert.Equal(0, q.UnschedulableCount);
    }
}

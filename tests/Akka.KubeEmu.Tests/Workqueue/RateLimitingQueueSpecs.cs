using Akka.KubeEmu.Actors.Workqueue;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Workqueue;

public sealed class RateLimitingQueueSpecs
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    private RateLimitingQueue NewQueue() => new(RateLimiters.DefaultController(_time), _time);

    private static List<string> Drain(RateLimitingQueue q)
    {
        var keys = new List<string>();
        while (q.TryGet(out var k)) keys.Add(k);
        return keys;
    }

    [Fact]
    public void A_key_added_many_times_before_a_worker_takes_it_is_processed_once_in_first_added_order()
    {
        var q = NewQueue();
        foreach (var k in new[] { "ns/a", "ns/b", "ns/a", "ns/c", "ns/b" }) q.Add(k);
        Assert.Equal(["ns/a", "ns/b", "ns/c"], Drain(q));
    }

    [Fact]
    public void A_key_is_never_handed_to_two_workers_and_comes_back_after_Done_when_added_meanwhile()
    {
        var q = NewQueue();
        q.Add("ns/a");
        Assert.True(q.TryGet(out var first));
        q.Add("ns/a"); // an event while a worker syncs it
        Assert.False(q.TryGet(out _));
        Assert.Equal(1, q.Processing);
        q.Done(first);
        Assert.True(q.TryGet(out var again));
        Assert.Equal("ns/a", again);
        q.Done(again);
        Assert.False(q.TryGet(out _));
    }

    [Fact]
    public void AddAfter_holds_a_key_until_its_time_and_the_earliest_of_two_times_wins()
    {
        var q = NewQueue();
        q.AddAfter("ns/a", TimeSpan.FromSeconds(10));
        q.AddAfter("ns/a", TimeSpan.FromSeconds(3));
        q.AddAfter("ns/a", TimeSpan.FromSeconds(20));
        q.AddAfter("ns/b", TimeSpan.FromSeconds(5));
        Assert.Equal(_time.GetUtcNow().AddSeconds(3), q.NextReadyAt);
        Assert.Equal(0, q.PromoteReady());
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(1, q.PromoteReady());
        Assert.Equal(["ns/a"], Drain(q));
        Assert.Equal(_time.GetUtcNow().AddSeconds(2), q.NextReadyAt);
        _time.Advance(TimeSpan.FromSeconds(100));
        Assert.Equal(1, q.PromoteReady());
        Assert.Null(q.NextReadyAt);
        Assert.Equal(0, q.Waiting);
    }

    [Fact]
    public void Failures_back_off_per_key_from_5_ms_doubling_and_a_success_forgets_them()
    {
        var limiter = new ItemExponentialFailureRateLimiter(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000), _time);
        Assert.Equal([5, 10, 20, 40, 80], Enumerable.Range(0, 5).Select(_ => limiter.When("ns/a").TotalMilliseconds));
        Assert.Equal(5, limiter.NumRequeues("ns/a"));
        Assert.Equal(5, limiter.When("ns/b").TotalMilliseconds);
        limiter.Forget("ns/a");
        Assert.Equal(0, limiter.NumRequeues("ns/a"));
        Assert.Equal(5, limiter.When("ns/a").TotalMilliseconds);
        for (var i = 0; i < 40; i++) limiter.When("ns/c");
        Assert.Equal(TimeSpan.FromSeconds(1000), limiter.When("ns/c"));
    }

    [Fact]
    public void The_overall_bucket_lets_100_retries_through_then_ten_per_second()
    {
        var bucket = new BucketRateLimiter(10, 100, _time);
        for (var i = 0; i < 100; i++) Assert.Equal(TimeSpan.Zero, bucket.When($"k{i}"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.When("k100"));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.When("k101"));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.Zero, bucket.When("k102"));
    }

    [Fact]
    public void AddRateLimited_waits_for_the_longer_of_the_item_and_bucket_delays()
    {
        var q = NewQueue();
        q.AddRateLimited("ns/a");
        q.AddRateLimited("ns/a");
        Assert.Equal(2, q.NumRequeues("ns/a"));
        Assert.Equal(_time.GetUtcNow().AddMilliseconds(5), q.NextReadyAt);
        _time.Advance(TimeSpan.FromMilliseconds(5));
        q.PromoteReady();
        Assert.Equal(["ns/a"], Drain(q));
        q.Forget("ns/a");
        Assert.Equal(0, q.NumRequeues("ns/a"));
    }
}

using Akka.KubeEmu.Actors.Controllers.Framework;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Framework;

public sealed class ExpectationsSpecs
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_controller_waits_for_its_creations_to_be_observed()
    {
        var e = new ControllerExpectations(_time);
        Assert.True(e.SatisfiedExpectations("ns/rs"));
        e.ExpectCreations("ns/rs", 2);
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        e.CreationObserved("ns/rs");
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        e.CreationObserved("ns/rs");
        Assert.True(e.SatisfiedExpectations("ns/rs"));
    }

    [Fact]
    public void Failed_creations_lower_the_expectations_and_a_lost_watch_expires_them_after_five_minutes()
    {
        var e = new ControllerExpectations(_time);
        e.ExpectCreations("ns/rs", 4);
        e.LowerExpectations("ns/rs", 3, 0);
        Assert.Equal((1L, 0L), e.Get("ns/rs"));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(e.SatisfiedExpectations("ns/rs"));
    }

    [Fact]
    public void Only_the_deletions_the_controller_asked_for_count()
    {
        var e = new UidTrackingExpectations(_time);
        e.ExpectDeletions("ns/rs", ["ns/p1", "ns/p2"]);
        e.DeletionObserved("ns/rs", "ns/someone-else");
        e.DeletionObserved("ns/rs", "ns/p1");
        e.DeletionObserved("ns/rs", "ns/p1"); // seen again after a relist
        Assert.False(e.SatisfiedExpectations("ns/rs"));
        Assert.Equal(["ns/p2"], e.GetUids("ns/rs"));
        e.DeletionObserved("ns/rs", "ns/p2");
        Assert.True(e.SatisfiedExpectations("ns/rs"));
        e.DeleteExpectations("ns/rs");
        Assert.Null(e.Get("ns/rs"));
        Assert.Empty(e.GetUids("ns/rs"));
    }

    [Fact]
    public async Task Slow_start_creates_in_batches_of_1_2_4_and_stops_after_a_failing_batch()
    {
        var calls = 0;
        var (ok, error) = await SlowStart.Batch(10, 1, () =>
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        });
        Assert.Equal((10, 10), (ok, calls));
        Assert.Null(error);

        calls = 0;
        (ok, error) = await SlowStart.Batch(100, 1, () =>
            Interlocked.Increment(ref calls) == 5 ? Task.FromException(new InvalidOperationException("quota")) : Task.CompletedTask);
        // Batches 1, 2, 4: the 5th call fails inside the third batch, which still finishes; nothing after it.
        Assert.Equal(7, calls);
        Assert.Equal(6, ok);
        Assert.Equal("quota", error!.Message);
    }
}

using Akka.KubeEmu.Actors.Flowcontrol;
using Xunit;

namespace Akka.KubeEmu.Tests.Flowcontrol;

public sealed class BackoffSpecs
{
    [Fact]
    public void Container_backoff_doubles_to_five_minutes_and_is_forgotten_after_ten()
    {
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var b = Backoff.Container();
        Assert.False(b.InBackOffSince(t, t));
        b.Next(t);
        Assert.Equal(TimeSpan.FromSeconds(10), b.Current);
        Assert.True(b.InBackOffSince(t, t.AddSeconds(9)));
        Assert.False(b.InBackOffSince(t, t.AddSeconds(10)));
        for (var i = 0; i < 10; i++) b.Next(t.AddSeconds(i));
        Assert.Equal(TimeSpan.FromMinutes(5), b.Current);
        // Untouched for more than twice the maximum: the next failure starts over at 10 s.
        Assert.False(b.InBackOffSince(t.AddMinutes(11), t.AddMinutes(11)));
        b.Next(t.AddMinutes(11));
        Assert.Equal(TimeSpan.FromSeconds(10), b.Current);
    }

    [Fact]
    public void Retry_delays_double_to_the_maximum_and_start_over_after_a_success()
    {
        var t = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var b = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
        Assert.Equal([200, 400, 800, 1000, 1000], Enumerable.Range(0, 5).Select(i => (int)b.NextDelay(t.AddMilliseconds(i)).TotalMilliseconds));
        b.Reset();
        Assert.Equal(TimeSpan.FromMilliseconds(200), b.NextDelay(t));
    }

    [Fact]
    public void Jitter_lengthens_a_period_by_at_most_its_factor()
    {
        var random = new Random(7);
        var periods = Enumerable.Range(0, 1000).Select(_ => Jitter.Apply(TimeSpan.FromSeconds(10), Jitter.Kubelet, random)).ToArray();
        Assert.All(periods, p => Assert.InRange(p, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.4)));
        Assert.True(periods.Distinct().Count() > 900, "jittered periods differ from each other");
        Assert.Equal(TimeSpan.FromSeconds(10), Jitter.Apply(TimeSpan.FromSeconds(10), 0));
    }
}

using Akka.KubeEmu.Actors.Flowcontrol;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

public sealed class TimerSlackSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public void A_tick_comes_due_on_the_next_multiple_of_the_slack()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(10_750), TimerSlack.Apply(Now, TimeSpan.FromSeconds(10.1), TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(750), TimerSlack.Apply(Now, TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_tick_already_on_the_grid_is_not_put_off()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(9_750), TimerSlack.Apply(Now, TimeSpan.FromMilliseconds(9_750), TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Ticks_of_many_nodes_fall_into_one_group_per_slack()
    {
        var random = new Random(7);
        var dueAt = Enumerable.Range(0, 1000)
            .Select(_ => Now + TimerSlack.Apply(Now, Jitter.Apply(TimeSpan.FromSeconds(10), Jitter.Kubelet, random), TimeSpan.FromSeconds(1)))
            .ToHashSet();
        // 10 s plus up to 4 % of jitter from 12:00:00.250: between 12:00:10.250 and 12:00:10.650, all due at 12:00:11.
        Assert.Equal(Now.AddMilliseconds(10_750), Assert.Single(dueAt));
    }

    [Fact]
    public void No_slack_leaves_the_delay_as_it_is()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1234), TimerSlack.Apply(Now, TimeSpan.FromMilliseconds(1234), TimeSpan.Zero));
    }
}

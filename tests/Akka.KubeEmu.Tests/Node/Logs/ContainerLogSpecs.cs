using Akka.KubeEmu.Actors.Node.Logs;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Logs;

/// <summary>The node's container logs: lines, rotation bounds, the kubelet's query options and error texts.</summary>
public sealed class ContainerLogSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static ContainerLog Numbers(int count, ContainerLogSettings? settings = null)
    {
        var log = new ContainerLog(settings ?? ContainerLogSettings.Default, "c1");
        for (var i = 0; i < count; i++) log.Write(T0.AddSeconds(i), false, $"line {i}\n");
        return log;
    }

    [Fact]
    public void An_unfinished_line_waits_for_its_newline_or_the_end_of_the_process()
    {
        var log = new ContainerLog(ContainerLogSettings.Default);
        log.Write(T0, false, "a");
        log.Write(T0, false, "b\nc");
        Assert.Equal(["ab"], log.Lines.Select(l => l.Text));
        log.End(T0.AddSeconds(1));
        Assert.Equal(["ab", "c"], log.Lines.Select(l => l.Text));
        log.Write(T0, false, "after the end\n");
        Assert.Equal(2, log.Lines.Count);
    }

    [Fact]
    public void The_current_file_is_rotated_at_the_size_limit_and_only_it_is_read()
    {
        var log = Numbers(1000, new ContainerLogSettings(1024, 3));
        Assert.True(log.CurrentBytes <= 1024);
        Assert.Equal(2, log.RotatedFiles); // containerLogMaxFiles 3: two rotated files beside the current one
        Assert.Equal("line 999", log.Lines[^1].Text);
        Assert.True(log.Lines.Count < 30);
    }

    [Fact]
    public void Tail_since_timestamps_and_limit_bytes_select_and_render_as_the_kubelet_does()
    {
        var log = Numbers(10);
        Assert.Equal("line 8\nline 9\n", new LogQuery(TailLines: 2).Render(new LogQuery(TailLines: 2).Select(log.Lines)));
        var since = new LogQuery(SinceTime: T0.AddSeconds(7));
        Assert.Equal("line 7\nline 8\nline 9\n", since.Render(since.Select(log.Lines)));
        var stamped = new LogQuery(TailLines: 1, Timestamps: true);
        Assert.Equal("2026-11-22T12:00:09.000000000Z line 9\n", stamped.Render(stamped.Select(log.Lines)));
        var limited = new LogQuery(LimitBytes: 10);
        Assert.Equal("line 0\nlin", limited.Render(limited.Select(log.Lines)));
        Assert.Equal("", new LogQuery(TailLines: 0).Render(new LogQuery(TailLines: 0).Select(log.Lines)));
    }

    private static ContainerLogRequest Request(bool previous = false) => new("node-1", "uid", "default", "p", "c", previous);

    [Fact]
    public void Previous_reads_the_last_terminated_instance_and_is_an_error_without_one()
    {
        var first = Numbers(2);
        var second = new ContainerLog(ContainerLogSettings.Default, "c2");
        second.Write(T0, false, "second run\n");
        Assert.Equal("previous terminated container \"c\" in pod \"p\" not found",
            ContainerLogResolver.Answer([new ContainerLogView("c", "running", null, false, first, null)], Request(previous: true)).Error);
        var running = new[] { new ContainerLogView("c", "running", null, true, second, first) };
        Assert.Equal("second run\n", ContainerLogResolver.Answer(running, Request()).Text);
        Assert.Equal("line 0\nline 1\n", ContainerLogResolver.Answer(running, Request(previous: true)).Text);
        // In CrashLoopBackOff lastState is the run that just ended: both read it.
        var backingOff = new[] { new ContainerLogView("c", "waiting", "CrashLoopBackOff", true, second, first) };
        Assert.Equal("second run\n", ContainerLogResolver.Answer(backingOff, Request()).Text);
        Assert.Equal("second run\n", ContainerLogResolver.Answer(backingOff, Request(previous: true)).Text);
    }

    [Theory]
    [InlineData("ContainerCreating", "container \"c\" in pod \"p\" is waiting to start: ContainerCreating")]
    [InlineData("PodInitializing", "container \"c\" in pod \"p\" is waiting to start: PodInitializing")]
    [InlineData("ErrImagePull", "container \"c\" in pod \"p\" is waiting to start: image can't be pulled")]
    [InlineData("ImagePullBackOff", "container \"c\" in pod \"p\" is waiting to start: trying and failing to pull image")]
    public void A_container_that_never_ran_is_waiting_to_start_in_the_kubelets_words(string reason, string message)
    {
        var answer = ContainerLogResolver.Answer([new ContainerLogView("c", "waiting", reason, false, null, null)], Request());
        Assert.Equal(message, answer.Error);
    }

    [Fact]
    public void A_follower_reads_on_from_its_position_and_learns_when_the_instance_ended()
    {
        var log = Numbers(3);
        var views = new[] { new ContainerLogView("c", "running", null, false, log, null) };
        var first = ContainerLogResolver.Answer(views, Request());
        Assert.False(first.Ended);
        log.Write(T0.AddSeconds(5), false, "later\n");
        log.End(T0.AddSeconds(6));
        var next = ContainerLogResolver.Answer(views, Request() with { ContainerId = first.ContainerId, FromSequence = first.NextSequence });
        Assert.Equal("later\n", next.Text);
        Assert.True(next.Ended);
    }
}

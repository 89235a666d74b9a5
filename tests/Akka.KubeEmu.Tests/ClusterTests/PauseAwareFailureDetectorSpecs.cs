using Akka.KubeEmu.Cluster.FailureDetection;
using Akka.Remote;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

public sealed class PauseAwareFailureDetectorSpecs
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(1500);
    private long _now;

    private FailureDetector Phi() => new PhiAccrualFailureDetector(8.0, 1000, TimeSpan.FromMilliseconds(100), Pause,
        TimeSpan.FromMilliseconds(500), () => _now);

    /// <summary>Heartbeats every 500 ms, looked at as the cluster's reaper does, for five seconds.</summary>
    private void Steady(FailureDetector detector)
    {
        for (var i = 0; i < 10; i++)
        {
            _now += 500;
            detector.HeartBeat();
            Assert.True(detector.IsAvailable);
        }
    }

    [Fact]
    public void Waking_from_a_freeze_does_not_suspect_a_member_that_answers_at_once()
    {
        var plain = Phi();
        var aware = new PauseAwareFailureDetector(Phi, () => _now, Pause);
        Steady(plain);
        _now = 0;
        Steady(aware);

        _now += 15_000; // SIGSTOP ... SIGCONT
        Assert.False(plain.IsAvailable);
        Assert.True(aware.IsAvailable);
        _now += 20;
        aware.HeartBeat();
        Assert.True(aware.IsAvailable);
    }

    [Fact]
    public void A_member_that_died_during_the_freeze_is_suspected_once_the_acceptable_pause_has_passed()
    {
        var aware = new PauseAwareFailureDetector(Phi, () => _now, Pause);
        Steady(aware);

        _now += 15_000;
        Assert.True(aware.IsAvailable);
        var suspectedAfter = 0;
        while (aware.IsAvailable && suspectedAfter < 10_000)
        {
            _now += 500;
            suspectedAfter += 500;
        }
        Assert.InRange(suspectedAfter, 1500, 3000);
    }

    [Fact]
    public void Without_a_pause_it_suspects_a_silent_member_as_the_phi_accrual_detector_does()
    {
        var plain = Phi();
        var aware = new PauseAwareFailureDetector(Phi, () => _now, Pause);
        Steady(plain);
        _now = 0;
        Steady(aware);
        var start = _now;
        while (aware.IsAvailable && _now - start < 10_000) _now += 500;
        var awareAfter = _now - start;
        _now = start;
        while (plain.IsAvailable && _now - start < 10_000) _now += 500;
        Assert.Equal(_now - start, awareAfter);
        Assert.InRange(awareAfter, 1500, 3000);
    }
}

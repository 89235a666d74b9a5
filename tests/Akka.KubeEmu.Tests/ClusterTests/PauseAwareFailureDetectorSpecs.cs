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

    [Fact]
    public void A_member_marked_gone_in_Akkas_registry_is_unavailable_until_it_is_heard_from_again()
    {
        var registry = new DefaultFailureDetectorRegistry<Akka.Actor.Address>(() => new PauseAwareFailureDetector(Phi, () => _now, Pause));
        var gone = new Akka.Actor.Address("akka.tcp", "kubeemu", "127.0.0.1", 2551);
        var other = new Akka.Actor.Address("akka.tcp", "kubeemu", "127.0.0.1", 2552);
        for (var i = 0; i < 10; i++)
        {
            _now += 500;
            registry.Heartbeat(gone);
            registry.Heartbeat(other);
        }

        Assert.True(PauseAwareFailureDetector.MarkGone(registry, gone));
        Assert.False(registry.IsAvailable(gone));
        Assert.True(registry.IsAvailable(other));
        Assert.False(PauseAwareFailureDetector.MarkGone(registry, new Akka.Actor.Address("akka.tcp", "kubeemu", "127.0.0.1", 2553)));

        _now += 100;
        registry.Heartbeat(gone); // a heartbeat proves the process there after all
        Assert.True(registry.IsAvailable(gone));

        PauseAwareFailureDetector.MarkGone(registry, gone);
        _now += (long)PauseAwareFailureDetector.GoneFor.TotalMilliseconds + 1;
        registry.Heartbeat(gone);
        Assert.True(registry.IsAvailable(gone));
    }
}

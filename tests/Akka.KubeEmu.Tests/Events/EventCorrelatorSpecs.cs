using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Events;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Events;

/// <summary>client-go's EventCorrelator (events_cache_test.go's cases) in virtual time.</summary>
public sealed class EventCorrelatorSpecs
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
    private static readonly EventSource Kubelet = new("kubelet", "node-1");

    private static JsonObject Pod(string name = "web") =>
        new() { ["kind"] = "Pod", ["namespace"] = "default", ["name"] = name, ["uid"] = name + "-uid", ["apiVersion"] = "v1" };

    [Fact]
    public void Identical_events_count_up_on_the_first_one()
    {
        var correlator = new EventCorrelator(_time);
        var first = correlator.Correlate(Kubelet, Pod(), "Warning", "BackOff", "Back-off restarting failed container")!;
        Assert.Equal((1L, (string?)null), (first.Count, first.ExistingName));
        correlator.Written(first.Key, "web.1");
        _time.Advance(TimeSpan.FromMinutes(2));
        var again = correlator.Correlate(Kubelet, Pod(), "Warning", "BackOff", "Back-off restarting failed container")!;
        Assert.Equal((2L, "web.1", first.Key), (again.Count, again.ExistingName, again.Key));
        Assert.Equal(first.FirstTimestamp, again.FirstTimestamp);

        // Another object, or another message, is another event.
        Assert.Equal(1, correlator.Correlate(Kubelet, Pod("db"), "Warning", "BackOff", "Back-off restarting failed container")!.Count);
        Assert.Equal(1, correlator.Correlate(Kubelet, Pod(), "Warning", "BackOff", "Back-off pulling image")!.Count);
    }

    [Fact]
    public void The_tenth_similar_event_within_ten_minutes_is_combined_and_later_ones_count_up_on_it()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 1; i <= 9; i++)
        {
            var e = correlator.Correlate(Kubelet, Pod(), "Normal", "Pulled", $"message {i}")!;
            Assert.Equal(($"message {i}", 1L), (e.Message, e.Count));
        }
        var combined = correlator.Correlate(Kubelet, Pod(), "Normal", "Pulled", "message 10")!;
        Assert.Equal(("(combined from similar events): message 10", 1L), (combined.Message, combined.Count));
        correlator.Written(combined.Key, "web.combined");
        var next = correlator.Correlate(Kubelet, Pod(), "Normal", "Pulled", "message 11")!;
        Assert.Equal(("(combined from similar events): message 11", 2L, "web.combined"), (next.Message, next.Count, next.ExistingName));

        // Ten quiet minutes later the aggregation starts afresh.
        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        Assert.Equal("message 12", correlator.Correlate(Kubelet, Pod(), "Normal", "Pulled", "message 12")!.Message);
    }

    [Fact]
    public void The_spam_filter_lets_25_events_about_an_object_through_then_one_every_five_minutes()
    {
        var correlator = new EventCorrelator(_time);
        for (var i = 0; i < 25; i++) Assert.NotNull(correlator.Correlate(Kubelet, Pod(), "Warning", "Unhealthy", "probe failed"));
        Assert.Null(correlator.Correlate(Kubelet, Pod(), "Warning", "Unhealthy", "probe failed"));
        Assert.NotNull(correlator.Correlate(Kubelet, Pod("other"), "Warning", "Unhealthy", "probe failed")); // its own bucket

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.NotNull(correlator.Correlate(Kubelet, Pod(), "Warning", "Unhealthy", "probe failed"));
        Assert.Null(correlator.Correlate(Kubelet, Pod(), "Warning", "Unhealthy", "probe failed"));
    }
}

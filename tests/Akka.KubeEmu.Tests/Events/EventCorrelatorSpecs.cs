using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Tests.Controllers;
using k8s.Models;
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

/// <summary>The recorder writes what the correlator decides: one Event object counting the repeats.</summary>
public sealed class EventRecorderAggregationSpecs : ControllerSpecBase
{
    [Fact]
    public void Five_identical_events_are_one_event_with_count_five()
    {
        CreateNamespace("default");
        var recorder = new EventRecorder(Api, new EventSource("test-controller"), Time);
        var pod = new V1Pod { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", Uid = "web-uid" } };
        for (var i = 0; i < 5; i++)
        {
            recorder.Event(pod, EventRecorder.Warning, "BackOff", "Back-off restarting failed container").GetAwaiter().GetResult();
            Advance(TimeSpan.FromSeconds(30));
        }
        // Twelve similar ones (different messages) come out as nine events and one combined event counting three.
        for (var i = 0; i < 12; i++) recorder.Event(pod, EventRecorder.Normal, "Pulled", $"pulled {i}").GetAwaiter().GetResult();

        var events = EventsOf("web");
        var backOff = Assert.Single(events, e => e.Reason == "BackOff");
        Assert.Equal(5, backOff.Count);
        Assert.Equal(TimeSpan.FromMinutes(2), backOff.LastTimestamp!.Value - backOff.FirstTimestamp!.Value);
        var pulled = events.Where(e => e.Reason == "Pulled").ToArray();
        Assert.Equal(10, pulled.Length);
        var combined = Assert.Single(pulled, e => e.Message.StartsWith("(combined from similar events): ", StringComparison.Ordinal));
        Assert.Equal((3, "(combined from similar events): pulled 11"), (combined.Count, combined.Message));
    }
}

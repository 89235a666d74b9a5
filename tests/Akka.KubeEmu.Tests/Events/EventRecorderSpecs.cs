using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Events;

/// <summary>What the recorder writes, through client-go's correlator: repeats counted, similar events combined, floods throttled.</summary>
public sealed class EventRecorderSpecs : StoreTestBase
{
    private readonly ApiClient _api;
    private readonly EventRecorder _recorder;

    public EventRecorderSpecs() : base(new TempDir())
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        _api = new ApiClient(new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(10)), new KubernetesPipeline(new AdmissionSettings())), "test");
        _recorder = new EventRecorder(_api, new EventSource("replicaset-controller"), Time);
    }

    private static readonly JsonObject ReplicaSet = new()
    {
        ["kind"] = "ReplicaSet", ["namespace"] = "default", ["name"] = "web-5d4f8", ["uid"] = "rs-uid", ["apiVersion"] = "apps/v1",
    };

    private async Task<IReadOnlyList<Corev1Event>> Events() =>
        (await _api.List<Corev1Event>("default")).Value!.OrderBy(e => long.Parse(e.Metadata.ResourceVersion)).ToList();

    [Fact]
    public async Task A_repeat_counts_up_on_the_first_event()
    {
        await _recorder.RecordAbout(ReplicaSet, "Warning", "FailedCreate", "quota exceeded");
        Time.Advance(TimeSpan.FromSeconds(30));
        await _recorder.RecordAbout(ReplicaSet, "Warning", "FailedCreate", "quota exceeded");

        var ev = Assert.Single(await Events());
        Assert.Equal(2, ev.Count);
        Assert.Equal(ev.FirstTimestamp!.Value.AddSeconds(30), ev.LastTimestamp);
    }

    [Fact]
    public async Task Similar_events_are_combined_after_ten_and_a_flood_is_throttled_until_the_bucket_refills()
    {
        for (var i = 1; i <= 30; i++)
            await _recorder.RecordAbout(ReplicaSet, "Normal", "SuccessfulCreate", $"Created pod: web-5d4f8-{i:00}");

        var events = await Events();
        Assert.Equal(10, events.Count);
        Assert.All(events.Take(9), (e, i) => Assert.Equal(($"Created pod: web-5d4f8-{i + 1:00}", 1), (e.Message, e.Count)));
        // The 10th to the 25th share one event; 26 to 30 went over the burst of 25 and were dropped.
        Assert.Equal(("(combined from similar events): Created pod: web-5d4f8-25", 16), (events[9].Message, events[9].Count));

        Time.Advance(TimeSpan.FromMinutes(5));
        await _recorder.RecordAbout(ReplicaSet, "Normal", "SuccessfulCreate", "Created pod: web-5d4f8-31");
        await _recorder.RecordAbout(ReplicaSet, "Normal", "SuccessfulCreate", "Created pod: web-5d4f8-32");
        // One token back: 31 is written, 32 dropped again. The count includes what was dropped (client-go
        // observes an event before its spam filter), so it tells how often it really happened.
        var combined = (await Events())[9];
        Assert.Equal(("(combined from similar events): Created pod: web-5d4f8-31", 22), (combined.Message, combined.Count));
    }

    [Fact]
    public async Task An_event_written_before_its_system_namespace_exists_is_tried_again_and_one_for_another_namespace_is_dropped()
    {
        var node = new JsonObject { ["kind"] = "Node", ["name"] = "node-1", ["uid"] = "node-1", ["apiVersion"] = "v1", ["namespace"] = "kube-system" };
        var pod = new JsonObject { ["kind"] = "Pod", ["namespace"] = "gone", ["name"] = "p", ["uid"] = "p-uid", ["apiVersion"] = "v1" };
        var kubelet = new EventRecorder(_api, new EventSource("kubelet", "node-1"), Time);
        await kubelet.RecordAbout(node, "Normal", "Starting", "Starting kubelet.");
        await kubelet.RecordAbout(pod, "Normal", "Pulled", "pulled");
        Assert.Empty((await _api.List<Corev1Event>("kube-system")).Value!);

        // The control plane creates its system namespaces a moment later; the next try (within 10 s) writes it.
        await _api.Create(Akka.KubeEmu.Actors.Api.Resources.ResourceCatalog.Namespaces, KubeObjectNamespace("kube-system"));
        await _api.Create(Akka.KubeEmu.Actors.Api.Resources.ResourceCatalog.Namespaces, KubeObjectNamespace("gone"));
        Time.Advance(EventRecorder.RetryPeriod);
        AwaitAssert(() => Assert.Equal("Starting kubelet.", Assert.Single(_api.List<Corev1Event>("kube-system").Result.Value!).Message),
            TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));
        Time.Advance(EventRecorder.RetryPeriod);
        Assert.Empty((await _api.List<Corev1Event>("gone")).Value!);
    }

    private static JsonObject KubeObjectNamespace(string name) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
}

using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Store;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>The node side survives a Store that is away, a Store that restarts, and its own process restarting.</summary>
public sealed class NodeResilienceSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private IActorRef StartNodesBehind(IActorRef proxy, params string[] nodes) =>
        Sys.ActorOf(NodeHost.Props(Settings(nodes) with { Store = proxy }));

    private JsonObject RunningAndReady(StoreClient client, string name) =>
        Eventually(() => Await(client.Get("pods", "default", name)) is { Ok: true } r
            && KubeObject.ScalarAt(r.Object, "status.phase") == "Running" && Condition(r.Object, "Ready") == "True" ? r.Object : null,
            Minute, $"{name} Running and Ready");

    [Fact]
    public void A_node_started_while_the_store_is_away_registers_once_it_is_back()
    {
        var proxy = Sys.ActorOf(StoreProxy.Props(null));
        StartNodesBehind(proxy, "node-1");
        // The first requests time out (in real time); the agent and the kubelet retry with backoff.
        var away = Stopwatch.StartNew();
        Eventually(() => away.Elapsed > TimeSpan.FromSeconds(2.5), TimeSpan.FromMinutes(10), "the store to be away a while", TimeSpan.FromMilliseconds(100));
        Assert.Null(Get("nodes", "", "node-1"));

        proxy.Tell(new StoreProxy.Open(Store));
        // Requests sent while it was away still time out in real time (one renew interval) first, while
        // the wait advances virtual time as fast as the machine lets it: on a loaded machine (the CI runs
        // three test assemblies at once on two cores) half an hour of virtual time went by before they
        // had, so the budget is generous; a node that registers ends the wait at once.
        Eventually(() => Get("nodes", "", "node-1") is { } n && NodeObject.IsReady(n), TimeSpan.FromHours(4), "node-1 Ready", TimeSpan.FromMilliseconds(100));
        CreatePod("web", new JsonArray(Container("nginx", "nginx")));
        RunningAndReady(Client, "web");
    }

    [Fact]
    public void A_status_update_that_fails_is_tried_again_at_once_not_a_period_later()
    {
        var proxy = Sys.ActorOf(StoreProxy.Props(Store));
        StartNodesBehind(proxy, "node-1");
        Eventually(() => Get("nodes", "", "node-1") is { } n && NodeObject.IsReady(n), Minute, "node-1 Ready");

        // Cut off from the Store while the node lifecycle controller marks it Unknown, and a status
        // report falls due (so the agent asks whatever its watch cache has seen by then): the agent's
        // request goes nowhere and times out (in real time).
        proxy.Tell(StoreProxy.Close.Instance);
        var node = Get("nodes", "", "node-1")!;
        var ready = KubeObject.At(node, "status.conditions")!.AsArray().OfType<JsonObject>().Single(c => KubeObject.String(c, "type") == "Ready");
        ready["status"] = "Unknown";
        Assert.True(Await(Client.Update("nodes", node, "status")).Ok);
        Advance(Timing.NodeStatusReportFrequency + Timing.NodeStatusUpdateFrequency * 2);
        AwaitCondition(() => proxy.Ask<object[]>(StoreProxy.Dropped.Instance).Result
            .Any(m => m is GetObject { Resource: "nodes" } or UpdateObject { Resource: "nodes", Subresource: "status" }), TimeSpan.FromSeconds(20));
        proxy.Tell(new StoreProxy.Open(Store));

        // Virtual time stands still now, so no later period can post: only a retry right after the
        // timeout (kubelet's nodeStatusUpdateRetry) makes the node Ready again.
        AwaitCondition(() => Get("nodes", "", "node-1") is { } n && NodeObject.IsReady(n), TimeSpan.FromSeconds(40), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_status_write_goes_against_the_answer_to_the_last_one_not_against_a_watch_that_lags()
    {
        var proxy = Sys.ActorOf(StoreProxy.Props(Store));
        StartNodesBehind(proxy, "node-1");
        Eventually(() => Get("nodes", "", "node-1") is { } n && NodeObject.IsReady(n), Minute, "node-1 Ready");

        // A busy Store answers a write before its watches bring the new version: here they never do.
        proxy.Tell(StoreProxy.HoldWatchUpdates.Instance);
        CreatePod("web", new JsonArray(Container("nginx", "nginx")));
        RunningAndReady(Client, "web");

        var sent = proxy.Ask<object[]>(StoreProxy.Forwarded.Instance).Result;
        Assert.True(sent.Count(m => m is UpdateObject { Resource: "pods", Subresource: "status" }) >= 2, "the pod's start took several status writes");
        // A write against the version its predecessor replaced would have earned a 409 and a read of the pod.
        Assert.Equal(0, sent.Count(m => m is GetObject { Resource: "pods" }));
        proxy.Tell(StoreProxy.ReleaseWatches.Instance);
    }

    [Fact]
    public void After_a_store_restart_the_kubelet_watches_again_and_keeps_its_pods_running()
    {
        var proxy = Sys.ActorOf(StoreProxy.Props(Store));
        StartNodesBehind(proxy, "node-1");
        CreatePod("before", new JsonArray(Container("nginx", "nginx")));
        var before = RunningAndReady(Client, "before");

        Watch(Store);
        Sys.Stop(Store);
        ExpectTerminated(Store);
        var restarted = Sys.ActorOf(StoreActor.Props(new StoreSettings(), Time), "store-2");
        proxy.Tell(new StoreProxy.Open(restarted));
        var client = new StoreClient(restarted, TimeSpan.FromSeconds(10));

        var pod = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "after", ["namespace"] = "default" },
            ["spec"] = new JsonObject { ["nodeName"] = "node-1", ["containers"] = new JsonArray(Container("nginx", "nginx")) },
        };
        Assert.True(Await(client.Create("pods", pod)).Ok);
        RunningAndReady(client, "after");
        var still = RunningAndReady(client, "before");
        Assert.Equal(State(before, "nginx", "containerID"), State(still, "nginx", "containerID"));
    }

    [Fact]
    public void A_restarted_node_process_adopts_its_pods_as_after_a_reboot()
    {
        var host = StartNodes("node-1");
        var bootId = Eventually(() => KubeObject.ScalarAt(Get("nodes", "", "node-1"), "status.nodeInfo.bootID"), Minute, "bootID");
        CreatePod("web", new JsonArray(Container("nginx", "nginx:1.7.9")));
        var before = RunningAndReady(Client, "web");
        Watch(host);
        Sys.Stop(host);
        ExpectTerminated(host);

        StartNodes("node-1");
        var after = Eventually(() => Pod("web") is { } p && State(p, "nginx", "restartCount") == "1"
            && State(p, "nginx", "state.running.startedAt") is not null && Condition(p, "Ready") == "True" ? p : null, Minute, "web restarted");
        Assert.Equal(KubeObject.ScalarAt(before, "status.podIP"), KubeObject.ScalarAt(after, "status.podIP"));
        Assert.Equal(KubeObject.ScalarAt(before, "status.startTime"), KubeObject.ScalarAt(after, "status.startTime"));
        Assert.Equal("Unknown", State(after, "nginx", "lastState.terminated.reason"));
        Assert.Equal("255", State(after, "nginx", "lastState.terminated.exitCode"));
        Assert.Equal(State(before, "nginx", "containerID"), State(after, "nginx", "lastState.terminated.containerID"));
        Assert.Contains(EventsAbout("web"), e => KubeObject.String(e, "reason") == "SandboxChanged");
        Eventually(() => KubeObject.ScalarAt(Get("nodes", "", "node-1"), "status.nodeInfo.bootID") is { } b && b != bootId, Minute, "a new bootID");
    }

    [Fact]
    public void A_restarted_node_process_still_has_the_images_it_pulled_as_a_rebooted_machine_does()
    {
        using var disk = new Support.TempDir();
        var settings = Settings("node-1") with
        {
            Volumes = new Actors.Node.Volumes.VolumeSettings(Path.Combine(disk.Path, "volumes"), Path.Combine(disk.Path, "nodes"), 1 << 20),
        };
        var host = Sys.ActorOf(NodeHost.Props(settings));
        CreatePod("first", new JsonArray(Container("nginx", "nginx:1.7.9")));
        RunningAndReady(Client, "first");
        Assert.Contains(EventsAbout("first"), e => KubeObject.String(e, "reason") == "Pulling");
        Watch(host);
        Sys.Stop(host);
        ExpectTerminated(host);

        Sys.ActorOf(NodeHost.Props(settings));
        CreatePod("second", new JsonArray(Container("nginx", "nginx:1.7.9")));
        RunningAndReady(Client, "second");
        var events = EventsAbout("second");
        Assert.Contains(events, e => KubeObject.String(e, "message") == "Container image \"nginx:1.7.9\" already present on machine");
        Assert.DoesNotContain(events, e => KubeObject.String(e, "reason") == "Pulling");
        Assert.Contains(KubeObject.At(Get("nodes", "", "node-1"), "status.images")?.AsArray() ?? [],
            i => i?["names"]?.AsArray().Any(n => n?.GetValue<string>() == "docker.io/library/nginx:1.7.9") == true);
    }

    [Fact]
    public void A_pod_status_changed_by_someone_else_is_reconciled_by_its_kubelet()
    {
        StartNodes("node-1");
        CreatePod("web", new JsonArray(Container("nginx", "nginx")));
        var running = RunningAndReady(Client, "web");

        // What the node lifecycle controller does to the pods of a node it lost track of.
        var marked = running.DeepClone().AsObject();
        Akka.KubeEmu.Actors.Api.Rest.PodConditions.Set(marked, "Ready", "False", null, null, Time.GetUtcNow());
        var written = Await(Client.Update("pods", marked, "status"));
        Assert.Equal("False", Condition(written.Object, "Ready"));
        var markedVersion = long.Parse(KubeObject.ResourceVersion(written.Object)!);

        // The kubelet sees the stored status differ from its own and writes it again.
        var healed = RunningAndReady(Client, "web");
        Assert.True(long.Parse(KubeObject.ResourceVersion(healed)!) > markedVersion);
    }
}

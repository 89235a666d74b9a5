using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.PodGC;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Membership;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class PodGCControllerSpecs : StoreTestBase
{
    private const string DeadProcess = "akka.tcp://kubeemu@127.0.0.1:5001";
    private const string LiveProcess = "akka.tcp://kubeemu@127.0.0.1:5002";

    public PodGCControllerSpecs() : base(new TempDir()) { }

    private static RawJson Node(string name, string address) => Json($$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","annotations":{"kubeemu.io/akka-address":"{{{address}}}"}},"spec":{}}
        """);

    private static RawJson Pod(string name, string node) => Json($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default"},
         "spec":{"nodeName":"{{{node}}}","containers":[{"name":"c","image":"nginx"}]},
         "status":{"phase":"Running"}}
        """);

    private IActorRef StartController(IActorRef store) =>
        Sys.ActorOf(PodGCController.Props(ControllerTestKit.Context(Sys, store, Time, timeout: TimeSpan.FromSeconds(1)), TimingProfile.Fast));

    /// <summary>The controller, told (as the membership monitor would) that both node processes are members.</summary>
    private IActorRef StartWithBothProcessesUp(IActorRef store)
    {
        var controller = StartController(store);
        controller.Tell(new MemberHealth(DeadProcess, ["node"], MemberHealthStatus.Up));
        controller.Tell(new MemberHealth(LiveProcess, ["node"], MemberHealthStatus.Up));
        controller.Tell(MembershipSynced.Instance);
        return controller;
    }

    /// <summary>A pod whose graceful deletion started: its kubelet would finish it, if it were alive.</summary>
    private void Terminating(IActorRef store, string pod) =>
        Assert.NotNull(KubeObject.At(Ok(store, new DeleteObject("pods", "default", pod)), "metadata.deletionTimestamp"));

    private bool Exists(IActorRef store, string pod)
    {
        store.Tell(new GetObject("pods", "default", pod), TestActor);
        return ExpectMsg<object>() is StoreObject;
    }

    private Akka.TestKit.TestProbe Watch(IActorRef store)
    {
        store.Tell(new ListObjects("pods", "default"), TestActor);
        var from = ExpectMsg<StoreList>().ResourceVersion;
        var probe = CreateTestProbe();
        store.Tell(new WatchObjects("pods", "podgc-spec", "default", ResourceVersion: from), probe);
        probe.ExpectMsg<WatchAccepted>();
        return probe;
    }

    private void SetUp(IActorRef store)
    {
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("nodes", Node("dead", DeadProcess)));
        Ok(store, new CreateObject("nodes", Node("live", LiveProcess)));
        foreach (var (pod, node) in new[] { ("stuck", "dead"), ("tolerating", "dead"), ("stopping", "live") })
            Ok(store, new CreateObject("pods", Pod(pod, node)));
        Terminating(store, "stuck");
        Terminating(store, "stopping");
    }

    [Fact]
    public void Pods_left_terminating_on_a_node_whose_process_was_removed_are_failed_and_deleted_and_no_others()
    {
        var store = StartStore();
        SetUp(store);
        var controller = StartWithBothProcessesUp(store);

        // Unreachable is not confirmed down: the process may come back (a frozen process does).
        controller.Tell(new MemberHealth(DeadProcess, ["node"], MemberHealthStatus.Unreachable));
        var watch = Watch(store);
        watch.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.True(Exists(store, "stuck"));

        controller.Tell(new MemberHealth(DeadProcess, ["node"], MemberHealthStatus.Removed));
        AwaitAssert(() => Assert.False(Exists(store, "stuck")), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.True(Exists(store, "tolerating"));
        Assert.True(Exists(store, "stopping"));
        // Failed first (kubectl shows why it went), then force-deleted.
        var phases = watch.ReceiveWhile(TimeSpan.FromSeconds(1), m => m as WatchEvents).SelectMany(w => w.Events)
            .Select(e => (e.Type, Phase: KubeObject.ScalarAt(KubeObject.Parse(e.Object.Utf8), "status.phase"))).ToArray();
        Assert.Contains(("MODIFIED", "Failed"), phases);
        Assert.Equal(("DELETED", "Failed"), phases.Last());
    }

    [Fact]
    public void A_process_gone_before_the_controller_started_is_noticed_once_membership_is_known()
    {
        var store = StartStore();
        SetUp(store);
        var controller = StartController(store);
        controller.Tell(new MemberHealth(LiveProcess, ["node"], MemberHealthStatus.Up));
        AwaitAssert(() => Assert.True(Exists(store, "stuck")), TimeSpan.FromSeconds(1));
        controller.Tell(MembershipSynced.Instance);

        AwaitAssert(() => Assert.False(Exists(store, "stuck")), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.True(Exists(store, "tolerating"));
        Assert.True(Exists(store, "stopping"));
    }

    [Fact]
    public void The_pods_of_a_deleted_node_go_after_the_quarantine_with_the_DisruptionTarget_condition()
    {
        var store = StartStore();
        SetUp(store);
        var controller = StartWithBothProcessesUp(store);
        var watch = Watch(store);

        Ok(store, new DeleteObject("nodes", "", "dead"));
        // Within the quarantine nothing happens (a node may be re-registering).
        watch.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Time.Advance(TimeSpan.FromSeconds(2));

        AwaitAssert(() =>
        {
            Assert.False(Exists(store, "stuck"));
            Assert.False(Exists(store, "tolerating"));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.True(Exists(store, "stopping"));
        var failed = watch.ReceiveWhile(TimeSpan.FromSeconds(1), m => m as WatchEvents).SelectMany(w => w.Events)
            .Where(e => e.Type == "MODIFIED").Select(e => KubeObject.Parse(e.Object.Utf8))
            .First(p => KubeObject.ScalarAt(p, "metadata.name") == "tolerating");
        var condition = ((JsonArray)KubeObject.At(failed, "status.conditions")!).OfType<JsonObject>().Single();
        Assert.Equal("DisruptionTarget", KubeObject.String(condition, "type"));
        Assert.Equal("DeletionByPodGC", KubeObject.String(condition, "reason"));
        Assert.Equal("PodGC: node no longer exists", KubeObject.String(condition, "message"));
        Assert.Equal("Failed", KubeObject.ScalarAt(failed, "status.phase"));
    }
}

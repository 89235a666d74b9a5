using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;
using Akka.KubeEmu.Actors.Controllers.TaintEviction;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Actors.Workqueue;
using Akka.KubeEmu.Cluster.Membership;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Node;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

/// <summary>
/// A node process lost in the kubernetes profile, in virtual time: membership knows at once, but
/// the Node follows a real cluster's clock: Unknown when its Lease is node-monitor-grace-period
/// (50 s) old, its pods evicted when their 300 s unreachable toleration runs out after that.
/// </summary>
public sealed class KubernetesProfileNodeFailureSpecs : StoreTestBase
{
    private const string Address = "akka.tcp://kubeemu@127.0.0.1:5001";

    private static readonly TimingProfile Kubernetes =
        TimingProfile.From(ConfigurationFactory.ParseString(File.ReadAllText(NodeTestBase.RepoFile("config/profiles/kubernetes.conf"))));

    public KubernetesProfileNodeFailureSpecs() : base(new TempDir()) { }

    private RawJson ReadyNode() => Json($$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1","annotations":{"kubeemu.io/akka-address":"{{{Address}}}"}},
         "spec":{},
         "status":{"conditions":[
           {"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"{{{KubeObject.Timestamp(Time.GetUtcNow())}}}","lastTransitionTime":"2026-11-22T11:00:00Z"}]}}
        """);

    private RawJson Lease() => Json($$$"""
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"node-1","namespace":"kube-node-lease"},
         "spec":{"holderIdentity":"node-1","leaseDurationSeconds":40,"renewTime":"{{{KubeObject.MicroTimestamp(Time.GetUtcNow())}}}"}}
        """);

    // What admission gives every pod (DefaultTolerationSeconds 300 in this profile).
    private static RawJson Pod() => Json("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default"},
         "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"nginx"}],"tolerations":[
           {"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300},
           {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
         "status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-11-22T11:00:00Z"}]}}
        """);

    private string? Ready(IActorRef store) =>
        (KubeObject.At(Ok(store, new GetObject("nodes", "", "node-1")), "status.conditions") as JsonArray)!.OfType<JsonObject>()
        .Where(c => KubeObject.String(c, "type") == "Ready").Select(c => KubeObject.String(c, "status")).FirstOrDefault();

    private bool Evicted(IActorRef store) =>
        KubeObject.At(Ok(store, new GetObject("pods", "default", "web")), "metadata.deletionTimestamp") is not null;

    /// <summary>Moves virtual time in steps, so the controllers' timers come due as they would.</summary>
    private void Advance(TimeSpan by, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += step) Time.Advance(step < by - moved ? step : by - moved);
    }

    /// <summary>The key was synced <paramref name="times"/> times (the first when the caches filled, then once per news) and no sync is running.</summary>
    private void Settled(WorkqueueMetrics metrics, string queue, string key, int times) =>
        AwaitAssert(() =>
        {
            Assert.True(metrics.Syncs(queue, key) >= times);
            Assert.Equal(metrics.Syncs(queue), metrics.Finished(queue));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

    [Fact]
    public void An_unreachable_process_leaves_its_node_Ready_for_the_grace_period_and_its_pods_for_the_toleration()
    {
        Assert.Equal(TimeSpan.FromSeconds(50), Kubernetes.NodeMonitorGracePeriod);
        Assert.False(Kubernetes.NodeLossFromMembership);
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("namespaces", Namespace("kube-node-lease")));
        Ok(store, new CreateObject("nodes", ReadyNode()));
        Ok(store, new CreateObject("leases.coordination.k8s.io", Lease()));
        Ok(store, new CreateObject("pods", Pod()));
        var metrics = new WorkqueueMetrics(perKey: true);
        var lifecycle = Sys.ActorOf(NodeLifecycleController.Props(ControllerTestKit.Context(Sys, store, Time, metrics), Kubernetes));
        Sys.ActorOf(TaintEvictionController.Props(ControllerTestKit.Context(Sys, store, Time, metrics)));

        Settled(metrics, NodeLifecycleController.ControllerName, "node-1", 1);
        Settled(metrics, TaintEvictionController.ControllerName, "default/web", 1);

        // The process dies: membership says so at once, and its Lease is never renewed again.
        lifecycle.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Up));
        lifecycle.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Unreachable));
        Advance(TimeSpan.FromSeconds(49), TimeSpan.FromSeconds(1));
        Settled(metrics, NodeLifecycleController.ControllerName, "node-1", 2);
        Assert.Equal("True", Ready(store));

        Advance(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500));
        AwaitAssert(() => Assert.Equal("Unknown", Ready(store)), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var taintedAt = Time.GetUtcNow();

        Advance(TimeSpan.FromSeconds(298), TimeSpan.FromSeconds(5));
        Settled(metrics, TaintEvictionController.ControllerName, "default/web", 2);
        Assert.False(Evicted(store));
        Advance(TimeSpan.FromSeconds(4), TimeSpan.FromMilliseconds(500));
        AwaitAssert(() => Assert.True(Evicted(store)), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.InRange(Time.GetUtcNow() - taintedAt, TimeSpan.FromSeconds(300), TimeSpan.FromSeconds(303));
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Scheduling;

/// <summary>The scheduler actor with a real Store: priority order, preemption, other schedulers' pods.</summary>
public sealed class SchedulerPreemptionSpecs : StoreTestBase
{
    private readonly Akka.Actor.IActorRef _store;
    private readonly ApiClient _api;

    public SchedulerPreemptionSpecs() : base(new TempDir())
    {
        _store = StartStore();
        Ok(_store, new CreateObject("namespaces", Namespace("default")));
        _api = new ApiClient(new RestStorage(new StoreClient(_store, TimeSpan.FromSeconds(10)), new KubernetesPipeline(new AdmissionSettings(300))), "test");
    }

    private void Node(string name, string cpu) =>
        Ok(_store, new CreateObject("nodes", Json($$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","labels":{"kubernetes.io/hostname":"{{{name}}}"}},
             "spec":{},"status":{"allocatable":{"cpu":"{{{cpu}}}","memory":"8Gi","pods":"110"},"conditions":[{"type":"Ready","status":"True"}]}}
            """)));

    private void PriorityClass(string name, int value) =>
        _api.Create(new V1PriorityClass { ApiVersion = "scheduling.k8s.io/v1", Kind = "PriorityClass", Metadata = new V1ObjectMeta { Name = name }, Value = value })
            .GetAwaiter().GetResult().Object.ToString();

    private V1Pod CreatePod(string name, string cpu, string? priorityClass = null, string? schedulerName = null) =>
        _api.Create(new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                PriorityClassName = priorityClass, SchedulerName = schedulerName,
                Containers = [new V1Container { Name = "c", Image = "nginx", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu) } } }],
            },
        }).GetAwaiter().GetResult().Object;

    private V1Pod AwaitPod(string name, Func<V1Pod, bool> condition)
    {
        V1Pod? pod = null;
        AwaitAssert(() =>
        {
            pod = _api.Get<V1Pod>("default", name).GetAwaiter().GetResult().Value;
            Assert.True(pod is not null && condition(pod));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        return pod!;
    }

    private IReadOnlyList<Corev1Event> Events(string involved, string reason) =>
        _api.List<Corev1Event>("default", fieldSelector: $"involvedObject.name={involved},reason={reason}").GetAwaiter().GetResult().Object;

    [Fact]
    public void A_higher_priority_pod_preempts_a_lower_one_is_nominated_and_binds_once_the_victim_is_gone()
    {
        Node("n1", "2");
        PriorityClass("high", 1000);
        Sys.ActorOf(Scheduler.Props(_store, Time), "scheduler");
        CreatePod("low", "1500m");
        AwaitPod("low", p => p.Spec.NodeName == "n1");

        var high = CreatePod("important", "1500m", "high");
        var nominated = AwaitPod("important", p => p.Status?.NominatedNodeName == "n1");
        var condition = nominated.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal(("False", "Unschedulable", "0/1 nodes are available: 1 Insufficient cpu."), (condition.Status, condition.Reason, condition.Message));

        // The victim: marked, being deleted, with the event kube-scheduler records.
        var victim = AwaitPod("low", p => p.Metadata.DeletionTimestamp is not null);
        var target = victim.Status.Conditions.Single(c => c.Type == "DisruptionTarget");
        Assert.Equal(("True", "PreemptionByScheduler", "default-scheduler: preempting to accommodate a higher priority pod"), (target.Status, target.Reason, target.Message));
        AwaitAssert(() => Assert.Equal($"Preempted by pod {high.Metadata.Uid} on node n1", Assert.Single(Events("low", "Preempted")).Message),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        // The kubelet's part: the victim's termination ends; then the preemptor fits, after its back-off.
        Assert.Null(_api.Delete<V1Pod>("default", "low", new DeleteRequest(GracePeriodSeconds: 0)).GetAwaiter().GetResult());
        Time.Advance(TimeSpan.FromSeconds(2));
        AwaitPod("important", p => p.Spec.NodeName == "n1");
    }

    [Fact]
    public void A_pod_with_a_lower_priority_does_not_take_the_room_a_preemptor_is_nominated_for()
    {
        Node("n1", "2");
        PriorityClass("high", 1000);
        PriorityClass("mid", 500);
        Sys.ActorOf(Scheduler.Props(_store, Time), "scheduler");
        CreatePod("low", "1500m");
        AwaitPod("low", p => p.Spec.NodeName == "n1");
        CreatePod("important", "1500m", "high");
        AwaitPod("important", p => p.Status?.NominatedNodeName == "n1");
        Assert.Null(_api.Delete<V1Pod>("default", "low", new DeleteRequest(GracePeriodSeconds: 0)).GetAwaiter().GetResult());

        // A mid-priority pod arriving while the preemptor backs off must leave the node to it.
        CreatePod("mid", "1500m", "mid");
        var mid = AwaitPod("mid", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true);
        Assert.Null(mid.Spec.NodeName);
        Time.Advance(TimeSpan.FromSeconds(2));
        AwaitPod("important", p => p.Spec.NodeName == "n1");
    }

    [Fact]
    public void Pods_wait_in_priority_order_and_a_pod_for_another_scheduler_is_left_alone()
    {
        Node("n1", "1");
        PriorityClass("high", 1000);
        CreatePod("first-low", "1");
        CreatePod("later-high", "1", "high");
        CreatePod("mine", "100m", schedulerName: "my-scheduler");
        Sys.ActorOf(Scheduler.Props(_store, Time), "scheduler");

        // Both were waiting when the scheduler started: the higher priority goes first and takes the node.
        AwaitPod("later-high", p => p.Spec.NodeName == "n1");
        var low = AwaitPod("first-low", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true);
        Assert.Null(low.Spec.NodeName);
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.",
            low.Status.Conditions.Single(c => c.Type == "PodScheduled").Message);

        var other = _api.Get<V1Pod>("default", "mine").GetAwaiter().GetResult().Object;
        Assert.Null(other.Spec.NodeName);
        Assert.Null(other.Status?.Conditions);
        Assert.Empty(Events("mine", "FailedScheduling"));
    }

    [Fact]
    public void A_pod_waiting_for_affinity_is_placed_beside_its_partner_once_the_partner_is_scheduled()
    {
        Node("n1", "4");
        Node("n2", "4");
        Sys.ActorOf(Scheduler.Props(_store, Time), "scheduler");
        var follower = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "follower", NamespaceProperty = "default" },
            Spec = new V1PodSpec
            {
                Affinity = new V1Affinity
                {
                    PodAffinity = new V1PodAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution =
                            [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } } }],
                    },
                },
                Containers = [new V1Container { Name = "c", Image = "nginx" }],
            },
        };
        _api.Create(follower).GetAwaiter().GetResult().Object.ToString();
        var waiting = AwaitPod("follower", p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled") == true);
        Assert.Equal("0/2 nodes are available: 2 node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
            waiting.Status.Conditions.Single(c => c.Type == "PodScheduled").Message);

        var db = new V1Pod
        {
            ApiVersion = "v1", Kind = "Pod",
            Metadata = new V1ObjectMeta { Name = "db", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "db" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "postgres" }] },
        };
        _api.Create(db).GetAwaiter().GetResult().Object.ToString();
        var partner = AwaitPod("db", p => p.Spec.NodeName is not null);
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(partner.Spec.NodeName, AwaitPod("follower", p => p.Spec.NodeName is not null).Spec.NodeName);
    }
}

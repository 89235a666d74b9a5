using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Storage;

/// <summary>The scheduler's VolumeBinding check with the storage controllers running, in virtual time.</summary>
public sealed class VolumeBindingSchedulingSpecs : StorageSpecBase
{
    private void StartSchedulerWithNodes(params string[] nodes)
    {
        foreach (var node in nodes)
            _ = Await(Api.Create(new V1Node
            {
                ApiVersion = "v1",
                Kind = "Node",
                Metadata = new V1ObjectMeta { Name = node, Labels = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node } },
                Status = new V1NodeStatus
                {
                    Allocatable = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("4"), ["memory"] = new("8Gi"), ["pods"] = new("110") },
                    Conditions = [new V1NodeCondition { Type = "Ready", Status = "True" }],
                },
            })).Object;
        Sys.ActorOf(Actors.Scheduling.Scheduler.Props(Proxy, Time), "scheduler");
    }

    private string? PodScheduledMessage(string pod) =>
        PodNamed(pod).Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False")?.Message;

    [Fact]
    public void A_pod_whose_claim_does_not_exist_is_pending_until_the_claim_exists_and_binds()
    {
        StartSchedulerWithNodes("node-1", "node-2", "node-3");
        CreatePodWithClaims("app", "data");
        var message = Eventually(() => PodScheduledMessage("app"), Budget, "FailedScheduling");
        Assert.Equal("0/3 nodes are available: persistentvolumeclaim \"data\" not found. " +
                     "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", message);
        WaitForEvents("app", "FailedScheduling", 1);

        // The claim appears, unbound: the pod is tried again and waits for the binding.
        CreateClaim("data", className: "");
        Eventually(() => PodScheduledMessage("app") is { } m && m.Contains("unbound immediate") ? m : null, Budget, "unbound claim message");
        Assert.Equal("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. " +
                     "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.", PodScheduledMessage("app"));

        StartStorage(standardClass: false);
        CreateVolume("vol", "1Gi");
        ClaimIn("data", "Bound");
        Eventually(() => PodNamed("app").Spec.NodeName, Budget, "the pod scheduled once its claim is bound");
    }

    [Fact]
    public void A_pod_of_a_WaitForFirstConsumer_claim_is_scheduled_and_its_claim_provisioned_on_the_chosen_node()
    {
        StartStorage(standardClass: false);
        CreateClass("local", "kubeemu.io/local", bindingMode: "WaitForFirstConsumer");
        CreateClaim("data", className: "local");
        WaitForEvents("data", "WaitForFirstConsumer", 1);
        StartSchedulerWithNodes("node-1");
        CreatePodWithClaims("app", "data");

        Assert.Equal("node-1", Eventually(() => PodNamed("app").Spec.NodeName, Budget, "the pod scheduled"));
        var claim = ClaimIn("data", "Bound");
        Assert.Equal("node-1", claim.Metadata.Annotations[StorageAnnotations.SelectedNode]);
    }
}

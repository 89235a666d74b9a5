using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Storage;

/// <summary>The scheduler's VolumeRestrictions check of ReadWriteOncePod claims, in virtual time.</summary>
public sealed class VolumeRestrictionsSchedulingSpecs : StorageSpecBase
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
    public void A_second_pod_of_a_ReadWriteOncePod_claim_is_refused_by_every_node_until_the_first_is_gone()
    {
        StartStorage();
        StartSchedulerWithNodes("node-1", "node-2", "node-3");
        CreateClaim("solo", modes: ["ReadWriteOncePod"]);
        ClaimIn("solo", "Bound");
        CreatePodWithClaims("first", "solo");
        Eventually(() => PodNamed("first").Spec.NodeName, Budget, "the first pod scheduled");

        CreatePodWithClaims("second", "solo");
        var message = Eventually(() => PodScheduledMessage("second"), Budget, "FailedScheduling");
        Assert.StartsWith("0/3 nodes are available: 3 node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode. preemption: ", message);
        WaitForEvents("second", "FailedScheduling", 1);
        Assert.Null(PodNamed("second").Spec.NodeName);

        Assert.Null(Await(Api.Delete<V1Pod>("default", "first", new Actors.Api.Rest.DeleteRequest(GracePeriodSeconds: 0))));
        Eventually(() => PodNamed("second").Spec.NodeName, Budget, "the second pod scheduled once the first is gone");
    }

    [Fact]
    public void Pods_of_a_ReadWriteOnce_claim_are_not_restricted_by_the_scheduler()
    {
        StartStorage();
        StartSchedulerWithNodes("node-1", "node-2");
        CreateClaim("data");
        ClaimIn("data", "Bound");
        CreatePodWithClaims("first", "data");
        CreatePodWithClaims("second", "data");
        Eventually(() => PodNamed("first").Spec.NodeName, Budget, "the first pod scheduled");
        Eventually(() => PodNamed("second").Spec.NodeName, Budget, "the second pod scheduled");
    }
}

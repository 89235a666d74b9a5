using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.ReplicaSet;

/// <summary>calculateStatus of the ReplicaSet controller.</summary>
public sealed class ReplicaStatusesSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly V1PodTemplateSpec Template = new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe" } },
    };

    private static readonly ReplicaStatus Empty = new(0, 0, 0, 0, 3, []);

    private static V1Pod Pod(Dictionary<string, string> labels, TimeSpan? readyFor = null) => new()
    {
        Metadata = new V1ObjectMeta { Labels = labels },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = readyFor is { } r ? [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = (Now - r).UtcDateTime }] : null,
        },
    };

    [Fact]
    public void Counts_pods_fully_labelled_ready_and_available_after_min_ready_seconds()
    {
        var full = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe", ["extra"] = "x" };
        var partial = new Dictionary<string, string> { ["app"] = "web" };
        var pods = new[]
        {
            Pod(full, readyFor: TimeSpan.FromSeconds(11)),
            Pod(full, readyFor: TimeSpan.FromSeconds(10)), // exactly minReadySeconds: not yet (strictly before now)
            Pod(partial, readyFor: TimeSpan.FromMinutes(5)),
            Pod(full),
        };
        var status = ReplicaStatuses.Calculate(Empty, Template, 4, 10, pods, null, Now);
        Assert.Equal((4, 3, 3, 2, 3L), (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration));
        Assert.Empty(status.Conditions);

        var noMinReady = ReplicaStatuses.Calculate(Empty, Template, 4, 0, pods, null, Now);
        Assert.Equal(3, noMinReady.AvailableReplicas);
    }

    [Theory]
    [InlineData(1, 3, "FailedCreate")]
    [InlineData(3, 1, "FailedDelete")]
    public void A_failed_manage_adds_replica_failure_once_and_a_successful_one_removes_it(int have, int want, string reason)
    {
        var pods = Enumerable.Range(0, have).Select(_ => Pod(new Dictionary<string, string> { ["app"] = "web" })).ToArray();
        var failed = ReplicaStatuses.Calculate(Empty, Template, want, 0, pods, new InvalidOperationException("boom"), Now);
        var condition = Assert.Single(failed.Conditions);
        Assert.Equal(new ReplicaCondition("ReplicaFailure", "True", reason, "boom", Now.UtcDateTime), condition);

        // Failing again later, even with another message, keeps the condition as it was.
        var again = ReplicaStatuses.Calculate(failed, Template, want, 0, pods, new InvalidOperationException("other"), Now.AddMinutes(1));
        Assert.Same(condition, Assert.Single(again.Conditions));
        Assert.True(again.Equivalent(failed));

        var recovered = ReplicaStatuses.Calculate(again, Template, want, 0, pods, null, Now.AddMinutes(2));
        Assert.Empty(recovered.Conditions);
        Assert.False(recovered.Equivalent(again));
    }

    [Fact]
    public void Condition_times_are_whole_seconds_as_metav1_Time_marshals_them()
    {
        var status = ReplicaStatuses.Calculate(Empty, Template, 1, 0, [], new InvalidOperationException("x"), Now.AddMilliseconds(750));
        Assert.Equal(Now.UtcDateTime, status.Conditions[0].LastTransitionTime);
    }
}

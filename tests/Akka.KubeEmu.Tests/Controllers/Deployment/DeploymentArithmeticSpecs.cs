using System.Text;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Deployment;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Actors.Controllers.Deployment.DeploymentUtil;

namespace Akka.KubeEmu.Tests.Controllers.Deployment;

/// <summary>
/// The rollout arithmetic, table-driven as Kubernetes' own unit tests (deployment_util_test.go,
/// rolling_test.go, sync_test.go): the ReplicaSet writes go to an in-memory fake, as theirs go to a
/// fake clientset.
/// </summary>
public sealed class DeploymentArithmeticSpecs
{
    private static readonly DateTime Newer = new(2016, 5, 20, 2, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Old = new(2016, 5, 20, 1, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Older = new(2016, 5, 20, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Like deployment_controller_test.go's newDeployment: maxSurge and maxUnavailable 0 unless given.</summary>
    internal static V1Deployment NewDeployment(int replicas, string? maxSurge = "0", string? maxUnavailable = "0",
        int? revisionHistoryLimit = null, string strategy = RollingUpdateStrategy) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "foo", NamespaceProperty = "default", Uid = Guid.NewGuid().ToString(), Annotations = new Dictionary<string, string>() },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            RevisionHistoryLimit = revisionHistoryLimit,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["foo"] = "bar" } },
            Strategy = new V1DeploymentStrategy
            {
                Type = strategy,
                RollingUpdate = strategy == RollingUpdateStrategy
                    ? new V1RollingUpdateDeployment { MaxSurge = maxSurge is null ? null : (IntOrString)maxSurge, MaxUnavailable = maxUnavailable is null ? null : (IntOrString)maxUnavailable }
                    : null,
            },
            Template = Template("nginx:1.25"),
        },
        Status = new V1DeploymentStatus(),
    };

    internal static V1PodTemplateSpec Template(string image, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Labels = labels ?? new Dictionary<string, string> { ["foo"] = "bar" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    internal static V1ReplicaSet Rs(string name, int replicas, DateTime created, int available = 0) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "ReplicaSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = name + "-uid", CreationTimestamp = created },
        Spec = new V1ReplicaSetSpec { Replicas = replicas, Template = Template("nginx:1.25") },
        Status = new V1ReplicaSetStatus { Replicas = replicas, AvailableReplicas = available },
    };

    /// <summary>Records ReplicaSet updates and events; names in <see cref="Failing"/> fail with a conflict.</summary>
    private sealed class FakeScaler : ReplicaSetScaler
    {
        public List<(string Name, int Replicas)> Updates { get; } = [];
        public List<string> Events { get; } = [];
        public HashSet<string> Failing { get; } = [];

        protected override Task<V1ReplicaSet> Update(V1ReplicaSet rs)
        {
            if (Failing.Contains(rs.Metadata.Name)) throw new ApiException(ApiStatus.Internal("injected failure"));
            Updates.Add((rs.Metadata.Name, rs.Spec.Replicas ?? 0));
            return Task.FromResult(rs);
        }

        protected override Task Event(V1Deployment d, string type, string reason, string message)
        {
            Events.Add($"{type} {reason} {message}");
            return Task.CompletedTask;
        }
    }

    // ---- fenceposts ----

    [Theory]
    [InlineData("0%", "0%", 0, 0, 1)]
    [InlineData("39%", "39%", 10, 4, 3)]
    [InlineData(null, "39%", 10, 0, 3)]
    [InlineData("39%", null, 10, 4, 0)]
    [InlineData(null, null, 10, 0, 1)]
    [InlineData("25%", "25%", 8, 2, 2)]
    [InlineData("25%", "25%", 3, 1, 0)] // the defaults with 3 replicas: surge rounds up, unavailable down
    [InlineData("25%", "25%", 4, 1, 1)]
    [InlineData("1", "1", 2, 1, 1)]
    [InlineData("0", "0", 5, 0, 1)] // both zero: unavailable becomes 1
    public void ResolveFenceposts_rounds_surge_up_and_unavailable_down(string? surge, string? unavailable, int desired, int expectSurge, int expectUnavailable)
    {
        var result = ResolveFenceposts(surge is null ? null : (IntOrString)surge, unavailable is null ? null : (IntOrString)unavailable, desired);
        Assert.Equal((expectSurge, expectUnavailable), result);
    }

    [Theory]
    [InlineData("oops", "39%")]
    [InlineData("55%", "urg")]
    public void ResolveFenceposts_refuses_values_that_are_neither_int_nor_percent(string surge, string unavailable) =>
        Assert.Throws<FormatException>(() => ResolveFenceposts(surge, unavailable, 10));

    [Theory]
    [InlineData(10, "5", 5)]
    [InlineData(10, "10", 10)]
    [InlineData(5, "10", 5)] // never more than the replicas
    [InlineData(0, "10", 0)]
    [InlineData(10, "50%", 5)]
    [InlineData(10, "100%", 10)]
    [InlineData(5, "100%", 5)]
    public void MaxUnavailable_is_the_resolved_fencepost_capped_at_replicas(int replicas, string maxUnavailable, int expected) =>
        Assert.Equal(expected, MaxUnavailable(NewDeployment(replicas, maxSurge: "1", maxUnavailable: maxUnavailable)));

    [Fact]
    public void MaxUnavailable_and_MaxSurge_of_a_Recreate_deployment_are_zero()
    {
        var d = NewDeployment(10, strategy: RecreateStrategy);
        Assert.Equal((0, 0), (MaxUnavailable(d), MaxSurge(d)));
    }

    [Theory]
    [InlineData(RollingUpdateStrategy, 1, 5, 1, 5)] // cannot scale up: stays at newRS's replicas
    [InlineData(RollingUpdateStrategy, 6, 2, 10, 6)] // scales up, not above the deployment's replicas
    [InlineData(RecreateStrategy, 3, 1, 1, 3)] // recreate: the deployment's replicas
    public void NewRSNewReplicas_as_Kubernetes(string strategy, int depReplicas, int newRSReplicas, int maxSurge, int expected)
    {
        var d = NewDeployment(depReplicas, maxSurge: maxSurge.ToString(), maxUnavailable: "1", strategy: strategy);
        var newRS = Rs("new", newRSReplicas, Newer);
        var rs5 = Rs("other", 5, Old);
        Assert.Equal(expected, NewRSNewReplicas(d, [rs5], newRS));
    }

    [Theory]
    [InlineData(3, 0, 1)] // 3 old + 0 new < 4 allowed: the new one grows by 1
    [InlineData(3, 1, 1)] // 4 pods: no room
    [InlineData(2, 1, 2)]
    [InlineData(1, 2, 3)]
    [InlineData(0, 3, 3)]
    public void NewRSNewReplicas_with_the_default_fenceposts_and_3_replicas(int oldReplicas, int newReplicas, int expected)
    {
        var d = NewDeployment(3, maxSurge: "25%", maxUnavailable: "25%");
        var newRS = Rs("new", newReplicas, Newer);
        Assert.Equal(expected, NewRSNewReplicas(d, [Rs("old", oldReplicas, Old), newRS], newRS));
    }

    // ---- rolling.go ----

    [Theory]
    [InlineData(10, 0, 10, 0, false, 0)] // old fully saturated, no surge
    [InlineData(10, 2, 10, 0, true, 2)] // up by maxSurge
    [InlineData(10, 2, 5, 0, true, 7)]
    [InlineData(10, 2, 10, 2, false, 0)] // surge used up
    [InlineData(10, 2, 2, 11, true, 10)] // above replicas: down to replicas
    public void ReconcileNewReplicaSet_as_Kubernetes(int replicas, int maxSurge, int oldReplicas, int newReplicas, bool scaleExpected, int expectedNew)
    {
        var scaler = new FakeScaler();
        var newRS = Rs("foo-v2", newReplicas, Newer);
        var oldRS = Rs("foo-v1", oldReplicas, Old);
        var d = NewDeployment(replicas, maxSurge: maxSurge.ToString(), maxUnavailable: "0");
        var scaled = scaler.ReconcileNewReplicaSet([newRS, oldRS], newRS, d).GetAwaiter().GetResult();
        Assert.Equal(scaleExpected, scaled);
        Assert.Equal(scaleExpected ? [("foo-v2", expectedNew)] : [], scaler.Updates);
    }

    [Theory]
    [InlineData(10, 0, 10, 0, 10, 0, true, 9)]
    [InlineData(10, 2, 10, 0, 10, 0, true, 8)]
    [InlineData(10, 2, 10, 0, 8, 0, true, 8)] // the unhealthy old replicas are cleaned up
    [InlineData(10, 2, 10, 0, 9, 0, true, 8)] // one unhealthy cleaned up, one ready scaled down
    [InlineData(10, 2, 8, 2, 8, 0, false, 8)] // unavailable new pods do not let old ones go
    public void ReconcileOldReplicaSets_as_Kubernetes(int replicas, int maxUnavailable, int oldReplicas, int newReplicas,
        int availableOld, int availableNew, bool scaleExpected, int expectedOld)
    {
        var scaler = new FakeScaler();
        var newRS = Rs("foo-new", newReplicas, Newer, availableNew);
        var oldRS = Rs("foo-old", oldReplicas, Old, availableOld);
        var d = NewDeployment(replicas, maxSurge: "0", maxUnavailable: maxUnavailable.ToString());
        var scaled = scaler.ReconcileOldReplicaSets([oldRS, newRS], [oldRS], newRS, d).GetAwaiter().GetResult();
        Assert.Equal(scaleExpected, scaled);
        Assert.Equal(expectedOld, scaler.Updates.Where(u => u.Name == "foo-old").Select(u => u.Replicas).DefaultIfEmpty(oldReplicas).Last());
    }

    [Theory]
    [InlineData(10, 8, 1, 1)]
    [InlineData(10, 8, 3, 2)]
    [InlineData(10, 8, 0, 0)]
    [InlineData(10, 10, 3, 0)]
    public void CleanupUnhealthyReplicas_as_Kubernetes(int oldReplicas, int available, int maxCleanupCount, int expectedCleanup)
    {
        var scaler = new FakeScaler();
        var d = NewDeployment(10, maxSurge: "2", maxUnavailable: "2");
        var (_, cleaned) = scaler.CleanupUnhealthyReplicas([Rs("foo-v2", oldReplicas, Old, available)], d, maxCleanupCount).GetAwaiter().GetResult();
        Assert.Equal(expectedCleanup, cleaned);
        Assert.Equal(expectedCleanup == 0 ? [] : [("foo-v2", oldReplicas - expectedCleanup)], scaler.Updates);
    }

    [Theory]
    [InlineData(10, 0, 10, 10, true, 9)]
    [InlineData(10, 2, 10, 10, true, 8)]
    [InlineData(10, 2, 8, 10, false, 0)]
    [InlineData(10, 2, 10, 0, false, 0)]
    [InlineData(10, 2, 1, 10, false, 0)]
    public void ScaleDownOldReplicaSetsForRollingUpdate_as_Kubernetes(int replicas, int maxUnavailable, int available, int oldReplicas,
        bool scaleExpected, int expectedOld)
    {
        var scaler = new FakeScaler();
        var oldRS = Rs("foo-v2", oldReplicas, Old, available);
        var d = NewDeployment(replicas, maxSurge: "0", maxUnavailable: maxUnavailable.ToString());
        var scaled = scaler.ScaleDownOldReplicaSetsForRollingUpdate([oldRS], [oldRS], d).GetAwaiter().GetResult();
        Assert.Equal(scaleExpected, scaled > 0);
        Assert.Equal(scaleExpected ? [("foo-v2", expectedOld)] : [], scaler.Updates);
    }

    [Fact]
    public void Scale_down_of_several_old_replica_sets_takes_the_oldest_first()
    {
        var scaler = new FakeScaler();
        var d = NewDeployment(10, maxSurge: "0", maxUnavailable: "3");
        var older = Rs("foo-v1", 2, Older, 2);
        var old = Rs("foo-v2", 4, Old, 4);
        var newRS = Rs("foo-v3", 4, Newer, 4);
        // 10 available, 7 must stay: 3 go, 2 from the oldest and 1 from the next.
        var scaled = scaler.ScaleDownOldReplicaSetsForRollingUpdate([old, older, newRS], [old, older], d).GetAwaiter().GetResult();
        Assert.Equal(3, scaled);
        Assert.Equal([("foo-v1", 0), ("foo-v2", 3)], scaler.Updates);
        Assert.Equal(["Normal ScalingReplicaSet Scaled down replica set foo-v1 from 2 to 0", "Normal ScalingReplicaSet Scaled down replica set foo-v2 from 4 to 3"],
            scaler.Events);
    }

    [Fact]
    public void A_failed_write_while_scaling_old_replica_sets_down_is_no_scaling_and_no_error()
    {
        var scaler = new FakeScaler { Failing = { "foo-old" } };
        var d = NewDeployment(10, maxSurge: "0", maxUnavailable: "2");
        var newRS = Rs("foo-new", 0, Newer);
        var oldRS = Rs("foo-old", 10, Old, 10);
        Assert.False(scaler.ReconcileOldReplicaSets([oldRS, newRS], [oldRS], newRS, d).GetAwaiter().GetResult());
        Assert.Empty(scaler.Events);
    }

    // ---- sync.go: proportional scaling ----

    public static TheoryData<string, int, int, string?, string?, (string, int, DateTime)?, (string, int, DateTime)[], int?, int[]> ScaleCases => new()
    {
        // name, replicas, old replicas, surge (new and old deployment), new RS, old RSs, expected new, expected old
        { "normal scaling event: 10 -> 12", 12, 10, null, null, ("foo-v1", 10, Newer), [], 12, [] },
        { "normal scaling event: 10 -> 5", 5, 10, null, null, ("foo-v1", 10, Newer), [], 5, [] },
        { "proportional scaling: 5 -> 10", 10, 5, null, null, ("foo-v2", 2, Newer), [("foo-v1", 3, Old)], 4, [6] },
        { "proportional scaling: 5 -> 3", 3, 5, null, null, ("foo-v2", 2, Newer), [("foo-v1", 3, Old)], 1, [2] },
        { "proportional scaling: 9 -> 4", 4, 9, null, null, ("foo-v2", 8, Newer), [("foo-v1", 1, Old)], 4, [0] },
        { "proportional scaling: 7 -> 10", 10, 7, null, null, ("foo-v3", 2, Newer), [("foo-v2", 3, Old), ("foo-v1", 2, Older)], 3, [4, 3] },
        { "proportional scaling: 13 -> 8", 8, 13, null, null, ("foo-v3", 2, Newer), [("foo-v2", 8, Old), ("foo-v1", 3, Older)], 1, [5, 2] },
        { "leftover distribution: 3 -> 4", 4, 3, null, null, ("foo-v3", 1, Newer), [("foo-v2", 1, Old), ("foo-v1", 1, Older)], 2, [1, 1] },
        { "leftover distribution: 3 -> 2", 2, 3, null, null, ("foo-v3", 1, Newer), [("foo-v2", 1, Old), ("foo-v1", 1, Older)], 1, [1, 0] },
        { "proportional scaling (no new rs): 4 -> 5", 5, 4, null, null, null, [("foo-v2", 2, Old), ("foo-v1", 2, Older)], null, [3, 2] },
        { "proportional scaling: 6 -> 0", 0, 6, null, null, ("foo-v3", 3, Newer), [("foo-v2", 2, Old), ("foo-v1", 1, Older)], 0, [0, 0] },
        { "proportional scaling: 0 -> 6", 6, 6, null, null, ("foo-v3", 0, Newer), [("foo-v2", 0, Old), ("foo-v1", 0, Older)], 6, [0, 0] },
        { "deployment with surge pods", 20, 10, "2", "2", ("foo-v2", 6, Newer), [("foo-v1", 6, Old)], 11, [11] },
        { "change both surge and size", 50, 10, "6", "3", ("foo-v2", 5, Newer), [("foo-v1", 8, Old)], 22, [34] },
    };

    [Theory]
    [MemberData(nameof(ScaleCases))]
    public void Scale_spreads_a_scaling_event_in_proportion_as_Kubernetes(string name, int replicas, int oldReplicas, string? surge, string? oldSurge,
        (string, int, DateTime)? newSpec, (string, int, DateTime)[] oldSpecs, int? expectedNew, int[] expectedOld)
    {
        var oldDeployment = NewDeployment(oldReplicas, maxSurge: oldSurge ?? "0");
        var d = NewDeployment(replicas, maxSurge: surge ?? "0");
        var newRS = newSpec is { } n ? Rs(n.Item1, n.Item2, n.Item3) : null;
        var oldRSs = oldSpecs.Select(o => Rs(o.Item1, o.Item2, o.Item3)).ToList();
        // The annotations the last sizing left (desired-replicas, max-replicas).
        foreach (var rs in oldRSs.Append(newRS).OfType<V1ReplicaSet>())
        {
            rs.Metadata.Annotations = new Dictionary<string, string>();
            SetReplicasAnnotations(rs, oldReplicas, oldReplicas + MaxSurge(oldDeployment));
        }

        var scaler = new FakeScaler();
        scaler.Scale(d, newRS, oldRSs).GetAwaiter().GetResult();

        int SizeOf(V1ReplicaSet rs) => scaler.Updates.Where(u => u.Name == rs.Metadata.Name).Select(u => u.Replicas).DefaultIfEmpty(rs.Spec.Replicas!.Value).Last();
        if (newRS is not null) Assert.True(expectedNew == SizeOf(newRS), $"{name}: new {SizeOf(newRS)}");
        Assert.Equal(expectedOld, oldRSs.Select(SizeOf).ToArray());
    }

    [Fact]
    public void A_saturated_but_broken_new_replica_set_does_not_touch_the_old_pods()
    {
        var d = NewDeployment(2, maxSurge: "1", maxUnavailable: "1");
        var newRS = Rs("foo-v2", 2, Newer, available: 0);
        var oldRS = Rs("foo-v1", 1, Old, available: 1);
        foreach (var rs in new[] { newRS, oldRS })
        {
            rs.Metadata.Annotations = new Dictionary<string, string>();
            SetReplicasAnnotations(rs, 2, 3);
        }
        var scaler = new FakeScaler();
        scaler.Scale(d, newRS, [oldRS]).GetAwaiter().GetResult();
        Assert.Empty(scaler.Updates);
    }

    [Fact]
    public void A_saturated_new_replica_set_empties_the_old_ones()
    {
        var d = NewDeployment(3, maxSurge: "1", maxUnavailable: "0");
        var newRS = Rs("foo-v2", 3, Newer, available: 3);
        var oldRS = Rs("foo-v1", 1, Old, available: 1);
        newRS.Metadata.Annotations = new Dictionary<string, string>();
        SetReplicasAnnotations(newRS, 3, 4);
        var scaler = new FakeScaler();
        scaler.Scale(d, newRS, [oldRS]).GetAwaiter().GetResult();
        Assert.Equal([("foo-v1", 0)], scaler.Updates);
    }

    // ---- progress and status ----

    [Theory]
    [InlineData(5, 5, 5, 4, 1, 0, false)] // min but not all available
    [InlineData(5, 5, 5, 3, 1, 0, false)]
    [InlineData(5, 5, 5, 5, 0, 0, true)]
    [InlineData(5, 5, 4, 5, 0, 0, false)] // all available, not all updated
    [InlineData(1, 2, 1, 1, 0, 1, false)] // old pods still running
    [InlineData(1, 1, 1, 0, 1, 1, false)]
    public void DeploymentComplete_as_Kubernetes(int desired, int current, int updated, int available, int maxUnavailable, int maxSurge, bool expected)
    {
        var d = NewDeployment(desired, maxSurge.ToString(), maxUnavailable.ToString());
        d.Status = new V1DeploymentStatus { Replicas = current, UpdatedReplicas = updated, AvailableReplicas = available };
        Assert.Equal(expected, DeploymentComplete(d, d.Status));
    }

    [Theory]
    [InlineData(10, 4, 4, 4, 10, 6, 4, 4, true)] // updated pods
    [InlineData(10, 4, 4, 4, 10, 4, 4, 4, false)]
    [InlineData(10, 4, 6, 6, 8, 4, 6, 6, true)] // old pods removed
    [InlineData(10, 7, 3, 3, 10, 6, 3, 3, false)] // fewer new pods
    [InlineData(10, 4, 7, 7, 8, 8, 5, 5, true)]
    [InlineData(10, 10, 9, 8, 10, 10, 10, 8, true)] // more ready
    [InlineData(10, 10, 10, 9, 10, 10, 10, 10, true)] // more available
    public void DeploymentProgressing_as_Kubernetes(int c0, int u0, int r0, int a0, int c1, int u1, int r1, int a1, bool expected)
    {
        var d = NewDeployment(10);
        d.Status = new V1DeploymentStatus { Replicas = c0, UpdatedReplicas = u0, ReadyReplicas = r0, AvailableReplicas = a0 };
        Assert.Equal(expected, DeploymentProgressing(d, new V1DeploymentStatus { Replicas = c1, UpdatedReplicas = u1, ReadyReplicas = r1, AvailableReplicas = a1 }));
    }

    [Theory]
    [InlineData(null, 9, "", false)] // no deadline
    [InlineData(int.MaxValue, 9, "", false)] // "infinite"
    [InlineData(10, 9, "", true)] // 00:01:20 − 00:01:09 = 11 s
    [InlineData(10, 11, "", false)] // 9 s
    [InlineData(10, 0, NewRSAvailableReason, false)] // a complete rollout does not time out
    [InlineData(10, 19, TimedOutReason, true)] // once timed out, stays so
    public void DeploymentTimedOut_as_Kubernetes(int? deadline, int fromSecond, string reason, bool expected)
    {
        var d = NewDeployment(1);
        d.Spec.ProgressDeadlineSeconds = deadline;
        d.Status = new V1DeploymentStatus
        {
            Conditions = [new V1DeploymentCondition { Type = Progressing, Status = "True", Reason = reason, LastUpdateTime = new DateTime(2016, 1, 1, 0, 1, fromSecond, DateTimeKind.Utc) }],
        };
        Assert.Equal(expected, DeploymentTimedOut(d, d.Status, new DateTimeOffset(2016, 1, 1, 0, 1, 20, TimeSpan.Zero)));
    }

    [Fact]
    public void SetCondition_keeps_a_condition_of_the_same_status_and_reason_and_the_transition_time_of_the_same_status()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var status = new V1DeploymentStatus();
        SetCondition(status, NewCondition(Available, "True", MinimumReplicasAvailable, "Deployment has minimum availability.", t0));
        SetCondition(status, NewCondition(Available, "True", MinimumReplicasAvailable, "Deployment has minimum availability.", t0.AddMinutes(1)));
        Assert.Equal(t0.UtcDateTime, status.Conditions.Single().LastUpdateTime);

        SetCondition(status, NewCondition(Progressing, "True", NewReplicaSetReason, "Created new replica set \"x\"", t0.AddMinutes(2)));
        SetCondition(status, NewCondition(Progressing, "True", ReplicaSetUpdatedReason, "ReplicaSet \"x\" is progressing.", t0.AddMinutes(3)));
        var progressing = GetCondition(status, Progressing)!;
        Assert.Equal((ReplicaSetUpdatedReason, t0.AddMinutes(2).UtcDateTime, t0.AddMinutes(3).UtcDateTime),
            (progressing.Reason, progressing.LastTransitionTime, progressing.LastUpdateTime));
        Assert.Equal([Available, Progressing], status.Conditions.Select(c => c.Type));

        SetCondition(status, NewCondition(Progressing, "False", TimedOutReason, "ReplicaSet \"x\" has timed out progressing.", t0.AddMilliseconds(810_700)));
        Assert.Equal(t0.AddSeconds(810).UtcDateTime, GetCondition(status, Progressing)!.LastTransitionTime); // whole seconds, as metav1.Time
    }

    [Fact]
    public void CalculateStatus_counts_over_all_replica_sets_and_leaves_zero_counts_out()
    {
        var d = NewDeployment(3, maxSurge: "25%", maxUnavailable: "25%");
        d.Metadata.Generation = 2;
        var newRS = Rs("foo-v2", 1, Newer, available: 0);
        newRS.Status.ReadyReplicas = 0;
        var oldRS = Rs("foo-v1", 3, Old, available: 3);
        oldRS.Status.ReadyReplicas = 3;
        var status = DeploymentController.CalculateStatus([oldRS, newRS], newRS, d, DateTimeOffset.UnixEpoch);
        Assert.Equal((2L, 4, 1, 3, 3, 1), (status.ObservedGeneration, status.Replicas, status.UpdatedReplicas, status.ReadyReplicas, status.AvailableReplicas, status.UnavailableReplicas));
        Assert.Equal(("True", MinimumReplicasAvailable, "Deployment has minimum availability."),
            (GetCondition(status, Available)!.Status, GetCondition(status, Available)!.Reason, GetCondition(status, Available)!.Message));

        var broken = DeploymentController.CalculateStatus([Rs("foo-v2", 3, Newer, available: 0)], null, d, DateTimeOffset.UnixEpoch);
        Assert.Equal(("False", MinimumReplicasUnavailable, "Deployment does not have minimum availability."),
            (GetCondition(broken, Available)!.Status, GetCondition(broken, Available)!.Reason, GetCondition(broken, Available)!.Message));
        Assert.Null(broken.UpdatedReplicas); // omitempty: absent, not 0
        Assert.Null(broken.AvailableReplicas);
        Assert.DoesNotContain("Replicas\":0", Encoding.UTF8.GetString(Actors.Api.Objects.KubeModels.Encode(broken)), StringComparison.OrdinalIgnoreCase);
    }

    // ---- annotations ----

    [Fact]
    public void New_replica_set_annotations_copy_the_change_cause_raise_the_revision_and_keep_history_on_rollback()
    {
        var d = NewDeployment(3, maxSurge: "1");
        d.Metadata.Annotations["kubernetes.io/change-cause"] = "kubectl set image deployment/foo web=nginx:1.26";
        d.Metadata.Annotations[LastAppliedConfigAnnotation] = "{}";
        d.Metadata.Annotations[RevisionAnnotation] = "7";
        var rs = Rs("foo-abc", 0, Newer);

        Assert.True(SetNewReplicaSetAnnotations(d, rs, "1", exists: false));
        Assert.Equal(new Dictionary<string, string>
        {
            ["kubernetes.io/change-cause"] = "kubectl set image deployment/foo web=nginx:1.26",
            [RevisionAnnotation] = "1",
            [DesiredReplicasAnnotation] = "3",
            [MaxReplicasAnnotation] = "4",
        }, rs.Metadata.Annotations);
        Assert.False(SetNewReplicaSetAnnotations(d, rs, "1", exists: true)); // nothing new

        // A rollback to this ReplicaSet: revision 1 becomes 4, 1 goes to the history; then 4 becomes 6.
        Assert.True(SetNewReplicaSetAnnotations(d, rs, "4", exists: true));
        Assert.Equal(("4", "1"), (rs.Metadata.Annotations[RevisionAnnotation], rs.Metadata.Annotations[RevisionHistoryAnnotation]));
        Assert.True(SetNewReplicaSetAnnotations(d, rs, "6", exists: true));
        Assert.Equal(("6", "1,4"), (rs.Metadata.Annotations[RevisionAnnotation], rs.Metadata.Annotations[RevisionHistoryAnnotation]));
        // A lower revision (old ReplicaSets deleted meanwhile) does not lower it.
        Assert.False(SetNewReplicaSetAnnotations(d, rs, "2", exists: true));
        Assert.Equal("6", rs.Metadata.Annotations[RevisionAnnotation]);
    }

    [Fact]
    public void The_new_replica_set_is_the_oldest_with_the_deployments_template_ignoring_the_hash_label()
    {
        var d = NewDeployment(1);
        d.Spec.Template = Template("nginx:1.26");
        var other = Rs("foo-a", 1, Older);
        var newer = Rs("foo-c", 1, Newer);
        newer.Spec.Template = Template("nginx:1.26", new Dictionary<string, string> { ["foo"] = "bar", [PodTemplateHashLabel] = "c" });
        var older = Rs("foo-b", 1, Old);
        older.Spec.Template = Template("nginx:1.26", new Dictionary<string, string> { [PodTemplateHashLabel] = "b", ["foo"] = "bar" });

        Assert.Equal("foo-b", FindNewReplicaSet(d, [newer, other, older])!.Metadata.Name);
        var (active, all) = FindOldReplicaSets(d, [newer, other, older]);
        Assert.Equal(["foo-a", "foo-c"], all.Select(rs => rs.Metadata.Name).Order());
        Assert.Equal(2, active.Count);
    }

    // ---- pod-template-hash ----

    [Fact]
    public void Fnv1a_and_SafeEncodeString_match_their_reference_values()
    {
        Assert.Equal(2166136261u, PodTemplateHash.Fnv1a([]));
        Assert.Equal(0xe40c292cu, PodTemplateHash.Fnv1a("a"u8));
        Assert.Equal(0xbf9cf968u, PodTemplateHash.Fnv1a("foobar"u8));
        // Each decimal digit c becomes alphabet[c % 27]: '0' (48) → alphabet[21] = '4', '6' (54) → alphabet[0] = 'b'.
        Assert.Equal("56789bcdf4", PodTemplateHash.SafeEncodeString("1234567890"));
    }

    [Fact]
    public void The_hash_is_FNV_1a_over_the_canonical_template_then_the_collision_count_as_8_little_endian_bytes()
    {
        var template = new V1PodTemplateSpec
        {
            Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.25" }] },
        };
        Assert.Equal("""{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx:1.25","name":"web"}]}}""",
            Encoding.UTF8.GetString(PodTemplateHash.Canonical(template, dropHash: false)));
        // fnv32a = 1568151163; with collisionCount 1 (01 00 00 00 00 00 00 00 appended) = 1930177466.
        Assert.Equal("59bd5955b7", PodTemplateHash.Compute(template, null));
        Assert.Equal("5f745cc8bb", PodTemplateHash.Compute(template, 1));
    }

    [Fact]
    public void A_template_always_gets_the_same_hash_and_another_template_another()
    {
        var a = Template("nginx:1.25", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" });
        var sameInOtherOrder = Template("nginx:1.25", new Dictionary<string, string> { ["tier"] = "front", ["app"] = "web" });
        var other = Template("nginx:1.26", new Dictionary<string, string> { ["app"] = "web", ["tier"] = "front" });
        var hash = PodTemplateHash.Compute(a, null);
        Assert.Equal(hash, PodTemplateHash.Compute(sameInOtherOrder, null));
        Assert.Equal(hash, PodTemplateHash.Compute(Actors.Api.Objects.KubeModels.Clone(a), null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(other, null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(a, 0)); // collisionCount 0 is not "no collision count"
        Assert.Matches("^[bcdfghjklmnpqrstvwxz2456789]{1,10}$", hash);
        Assert.True(PodTemplateHash.EqualIgnoreHash(a, sameInOtherOrder));
        Assert.False(PodTemplateHash.EqualIgnoreHash(a, other));
    }
}

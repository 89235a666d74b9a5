using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.ReplicaSet;

/// <summary>The two owner types the replica controller serves, read and written through their adapters.</summary>
public sealed class ReplicaOwnersSpecs
{
    private static readonly V1PodTemplateSpec Template = new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
    };

    private static Dictionary<string, string> Labels(params string[] pairs) =>
        pairs.Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

    [Fact]
    public void A_replica_set_selects_with_match_labels_and_every_expression_operator()
    {
        var rs = new V1ReplicaSet
        {
            Spec = new V1ReplicaSetSpec
            {
                Selector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
                    MatchExpressions =
                    [
                        new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["fe", "edge"] },
                        new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "NotIn", Values = ["prod"] },
                        new V1LabelSelectorRequirement { Key = "track", OperatorProperty = "Exists" },
                        new V1LabelSelectorRequirement { Key = "legacy", OperatorProperty = "DoesNotExist" },
                    ],
                },
                Template = Template,
            },
        };
        var selector = ReplicaSetOwner.Instance.Selector(rs);
        Assert.NotNull(selector);
        Assert.True(selector.Matches(Labels("app=web", "tier=edge", "track=a")));
        Assert.True(selector.Matches(Labels("app=web", "tier=fe", "track=a", "env=dev")));
        Assert.False(selector.Matches(Labels("app=api", "tier=fe", "track=a")));
        Assert.False(selector.Matches(Labels("app=web", "tier=be", "track=a")));
        Assert.False(selector.Matches(Labels("app=web", "tier=fe", "track=a", "env=prod")));
        Assert.False(selector.Matches(Labels("app=web", "tier=fe")));
        Assert.False(selector.Matches(Labels("app=web", "tier=fe", "track=a", "legacy=1")));

        Assert.Null(ReplicaSetOwner.Instance.Selector(new V1ReplicaSet { Spec = new V1ReplicaSetSpec() }));
        Assert.Equal((1, 0), (ReplicaSetOwner.Instance.Replicas(rs), ReplicaSetOwner.Instance.MinReadySeconds(rs)));
        Assert.Same(Template, ReplicaSetOwner.Instance.Template(rs));
        Assert.Equal(("ReplicaSet", "apps/v1", "replicaset-controller"),
            (ReplicaSetOwner.Instance.Kind, ReplicaSetOwner.Instance.ApiVersion, ReplicaSetOwner.Instance.ControllerName));
    }

    [Fact]
    public void A_replication_controller_selects_by_equality_and_a_missing_selector_selects_nothing()
    {
        var rc = new V1ReplicationController
        {
            Spec = new V1ReplicationControllerSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe" },
                Replicas = 3,
                MinReadySeconds = 7,
                Template = Template,
            },
        };
        var owner = ReplicationControllerOwner.Instance;
        var selector = owner.Selector(rc);
        Assert.True(selector.Matches(Labels("app=web", "tier=fe", "x=y")));
        Assert.False(selector.Matches(Labels("app=web")));
        Assert.False(selector.Matches(Labels("app=web", "tier=be")));
        Assert.Null(owner.Selector(new V1ReplicationController { Spec = new V1ReplicationControllerSpec() }));
        Assert.Equal((3, 7), (owner.Replicas(rc), owner.MinReadySeconds(rc)));
        Assert.Same(Template, owner.Template(rc));
        Assert.Equal(("ReplicationController", "v1", "replication-controller"), (owner.Kind, owner.ApiVersion, owner.ControllerName));
    }

    [Fact]
    public void Statuses_round_trip_and_zero_counts_are_left_out_as_omitempty_does()
    {
        var at = new DateTime(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
        var status = new ReplicaStatus(2, 2, 1, 0, 4, [new ReplicaCondition("ReplicaFailure", "True", "FailedCreate", "no", at)]);
        var rs = new V1ReplicaSet { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ReplicaSetSpec { Template = Template } };
        var rc = new V1ReplicationController { Metadata = new V1ObjectMeta { Name = "web" }, Spec = new V1ReplicationControllerSpec { Template = Template } };

        var withRs = ReplicaSetOwner.Instance.WithStatus(rs, status);
        Assert.Null(rs.Status); // a copy: the cached object is never changed
        Assert.True(ReplicaSetOwner.Instance.Status(withRs).Equivalent(status));
        var withRc = ReplicationControllerOwner.Instance.WithStatus(rc, status);
        Assert.Null(rc.Status);
        Assert.True(ReplicationControllerOwner.Instance.Status(withRc).Equivalent(status));

        var empty = new ReplicaStatus(0, 0, 0, 0, 1, []);
        foreach (var json in new[] { KubeModels.ToJsonObject(ReplicaSetOwner.Instance.WithStatus(rs, empty)), KubeModels.ToJsonObject(ReplicationControllerOwner.Instance.WithStatus(rc, empty)) })
            Assert.Equal("""{"observedGeneration":1,"replicas":0}""", json["status"]!.ToJsonString());
    }
}

using Akka.KubeEmu.Actors.Api.Objects;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Registry;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;
using Akka.KubeEmu.Host.ApiServer.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Validation;

/// <summary>The 422 messages of kube-apiserver v1.32 for bad Deployments, ReplicaSets and ReplicationControllers.</summary>
public sealed class WorkloadValidationSpecs
{
    private const string Template = "  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: c, image: nginx}]\n";

    private static (ResourceType Type, JsonObject Obj) Created(string yaml)
    {
        var (obj, error) = YamlBody.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        var type = ResourceCatalog.FindByKind(obj!["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>())!;
        ObjectDefaulter.Apply(type, obj, new AdmissionSettings());
        RegistryStrategy.PrepareForCreate(type, obj);
        return (type, obj);
    }

    /// <summary>The message of the 422 a create of <paramref name="yaml"/> gets, or null when it is valid.</summary>
    private static string? CreateError(string yaml)
    {
        var (type, obj) = Created(yaml);
        var errors = ObjectValidator.ValidateCreate(type, obj);
        return errors.Count == 0 ? null : ApiStatus.Invalid(type, Akka.KubeEmu.Actors.Api.Objects.KubeObject.Name(obj), errors).Message;
    }

    private static string Deployment(string spec) =>
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n" + spec + (spec.Contains("template:") ? "" : Template);

    [Fact]
    public void A_negative_replica_count_is_refused_for_each_workload()
    {
        Assert.Equal("Deployment.apps \"d\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            CreateError(Deployment("  replicas: -1\n  selector: {matchLabels: {app: web}}\n")));
        Assert.Equal("ReplicaSet.apps \"d\" is invalid: spec.replicas: Invalid value: -2: must be greater than or equal to 0",
            CreateError(Deployment("  replicas: -2\n  selector: {matchLabels: {app: web}}\n").Replace("Deployment", "ReplicaSet")));
        Assert.Equal("ReplicationController \"rc\" is invalid: spec.replicas: Invalid value: -3: must be greater than or equal to 0",
            CreateError("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n  replicas: -3\n" + Template));
    }

    [Fact]
    public void An_empty_selector_is_invalid_for_deployments_and_replica_sets_and_a_missing_one_misses_the_template()
    {
        const string empty = "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment";
        Assert.Equal($"Deployment.apps \"d\" is invalid: {empty}", CreateError(Deployment("  selector: {}\n")));
        Assert.Equal($"ReplicaSet.apps \"d\" is invalid: {empty}", CreateError(Deployment("  selector: {}\n").Replace("Deployment", "ReplicaSet")));
        Assert.Equal("Deployment.apps \"d\" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`]",
            CreateError(Deployment("  replicas: 1\n")));
    }

    [Fact]
    public void A_selector_that_misses_the_template_labels_is_refused()
    {
        Assert.Equal("Deployment.apps \"d\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
            CreateError(Deployment("  selector: {matchLabels: {app: api}}\n")));
        Assert.Equal("Deployment.apps \"d\" is invalid: [spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", Values:[]string(nil)}}}: invalid label selector]",
            CreateError(Deployment("  selector: {matchExpressions: [{key: app, operator: In}]}\n")));
    }

    [Theory]
    [InlineData("{maxSurge: 0, maxUnavailable: 0}",
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0")]
    [InlineData("{maxSurge: '0%', maxUnavailable: '0%'}",
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0")]
    [InlineData("{maxUnavailable: '110%'}",
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"110%\"}: must not be greater than 100%")]
    [InlineData("{maxSurge: '-10%'}",
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"-10%\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
    [InlineData("{maxSurge: -1}",
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0")]
    public void Rolling_update_bounds_are_the_apiservers(string rollingUpdate, string expected) =>
        Assert.Equal($"Deployment.apps \"d\" is invalid: {expected}",
            CreateError(Deployment($"  selector: {{matchLabels: {{app: web}}}}\n  strategy:\n    rollingUpdate: {rollingUpdate}\n")));

    [Fact]
    public void A_surge_over_100_percent_is_allowed()
    {
        Assert.Null(CreateError(Deployment("  selector: {matchLabels: {app: web}}\n  strategy:\n    rollingUpdate: {maxSurge: '200%'}\n")));
    }

    [Fact]
    public void Recreate_takes_no_rolling_update_and_unknown_strategies_are_unsupported()
    {
        Assert.Equal("Deployment.apps \"d\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
            CreateError(Deployment("  selector: {matchLabels: {app: web}}\n  strategy:\n    type: Recreate\n    rollingUpdate: {maxSurge: 1}\n")));
        Assert.Equal("Deployment.apps \"d\" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"Canary\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"",
            CreateError(Deployment("  selector: {matchLabels: {app: web}}\n  strategy:\n    type: Canary\n")));
    }

    [Fact]
    public void The_progress_deadline_must_exceed_min_ready_seconds()
    {
        Assert.Equal("Deployment.apps \"d\" is invalid: spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds",
            CreateError(Deployment("  selector: {matchLabels: {app: web}}\n  minReadySeconds: 10\n  progressDeadlineSeconds: 10\n")));
    }

    [Fact]
    public void The_apps_v1_selector_is_immutable()
    {
        var (type, old) = Created(Deployment("  selector: {matchLabels: {app: web}}\n"));
        var changed = old.DeepClone().AsObject();
        changed["spec"]!["selector"] = JsonNode.Parse("""{"matchLabels":{"app":"web","tier":"db"}}""");
        changed["spec"]!["template"]!["metadata"]!["labels"]!["tier"] = "db";
        Assert.Equal("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"db\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
            Assert.Single(ObjectValidator.ValidateUpdate(type, changed, old)).ToString());

        var same = old.DeepClone().AsObject();
        same["spec"]!["selector"]!["matchExpressions"] = new JsonArray();
        Assert.Empty(ObjectValidator.ValidateUpdate(type, same, old));
    }

    [Fact]
    public void A_replication_controller_borrows_its_selector_and_labels_from_the_template()
    {
        var (type, rc) = Created("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: nginx\nspec:\n" + Template);
        Assert.Empty(ObjectValidator.ValidateCreate(type, rc));
        Assert.Equal("""{"app":"web"}""", rc["spec"]!["selector"]!.ToJsonString());
        Assert.Equal("""{"app":"web"}""", rc["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal(1, rc["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("""{"replicas":0}""", rc["status"]!.ToJsonString());
    }

    [Fact]
    public void A_replication_controller_needs_a_selector_a_matching_template_and_pods_that_restart_always()
    {
        Assert.Equal("ReplicationController \"rc\" is invalid: [spec.selector: Required value, spec.template: Required value]",
            CreateError("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n  replicas: 1\n"));
        Assert.Equal("ReplicationController \"rc\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`",
            CreateError("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n  selector: {app: api}\n" + Template));
        Assert.Equal("ReplicationController \"rc\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"",
            CreateError("apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n" + Template + "      restartPolicy: OnFailure\n"));
    }
}

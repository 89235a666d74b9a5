using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Registry;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;
using Akka.KubeEmu.Host.ApiServer.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Validation;

/// <summary>Defaulting, the 422 messages and the update rules of kube-apiserver v1.32 for StatefulSets.</summary>
public sealed class StatefulSetValidationSpecs
{
    private const string Valid = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: nginx
          selector:
            matchLabels: {app: nginx}
          template:
            metadata:
              labels: {app: nginx}
            spec:
              containers: [{name: nginx, image: nginx:1.9.1}]
          volumeClaimTemplates:
          - metadata: {name: www}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        """;

    private static JsonObject Created(string yaml)
    {
        var (obj, error) = YamlBody.ToJson(System.Text.Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        ObjectDefaulter.Apply(ResourceCatalog.StatefulSets, obj!, new AdmissionSettings());
        RegistryStrategy.PrepareForCreate(ResourceCatalog.StatefulSets, obj!);
        return obj!;
    }

    private static string? CreateError(string yaml)
    {
        var obj = Created(yaml);
        var errors = ObjectValidator.ValidateCreate(ResourceCatalog.StatefulSets, obj);
        return errors.Count == 0 ? null : ApiStatus.Invalid(ResourceCatalog.StatefulSets, KubeObject.Name(obj), errors).Message;
    }

    private static string? UpdateError(Action<JsonObject> change)
    {
        var old = Created(Valid);
        var updated = (JsonObject)old.DeepClone();
        change(updated);
        ObjectDefaulter.Apply(ResourceCatalog.StatefulSets, updated, new AdmissionSettings());
        RegistryStrategy.PrepareForUpdate(ResourceCatalog.StatefulSets, updated, old);
        var errors = ObjectValidator.ValidateUpdate(ResourceCatalog.StatefulSets, updated, old);
        return errors.Count == 0 ? null : string.Join(", ", errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Defaults_are_the_apiservers()
    {
        var spec = Created(Valid)["spec"]!;
        Assert.Equal(("OrderedReady", 1, 10), (spec["podManagementPolicy"]!.GetValue<string>(), spec["replicas"]!.GetValue<int>(), spec["revisionHistoryLimit"]!.GetValue<int>()));
        Assert.Equal("""{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}""", System.Text.Encoding.UTF8.GetString(CanonicalJson.Bytes(spec["updateStrategy"])));
        Assert.Equal(("Retain", "Retain"), (spec["persistentVolumeClaimRetentionPolicy"]!["whenDeleted"]!.GetValue<string>(), spec["persistentVolumeClaimRetentionPolicy"]!["whenScaled"]!.GetValue<string>()));
        var claim = spec["volumeClaimTemplates"]![0]!;
        Assert.Equal(("v1", "PersistentVolumeClaim", "Filesystem", "Pending"),
            (claim["apiVersion"]!.GetValue<string>(), claim["kind"]!.GetValue<string>(), claim["spec"]!["volumeMode"]!.GetValue<string>(), claim["status"]!["phase"]!.GetValue<string>()));
        Assert.Null(CreateError(Valid));
    }

    [Fact]
    public void The_selector_must_match_the_template_labels()
    {
        Assert.Equal("StatefulSet.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`",
            CreateError(Valid.Replace("labels: {app: nginx}", "labels: {app: other}")));
        Assert.Equal("StatefulSet.apps \"web\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for statefulset",
            CreateError(Valid.Replace("matchLabels: {app: nginx}", "{}")));
    }

    [Fact]
    public void Names_are_dns_labels_as_pod_hostnames_need()
    {
        Assert.StartsWith("StatefulSet.apps \"web.v1\" is invalid: metadata.name: Invalid value: \"web.v1\": a lowercase RFC 1123 label must consist of",
            CreateError(Valid.Replace("name: web", "name: web.v1")));
    }

    [Fact]
    public void Bad_policies_and_counts_are_refused_in_the_apiservers_order()
    {
        Assert.Equal("StatefulSet.apps \"web\" is invalid: [spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel', "
                     + "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0, "
                     + "spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: \"Keep\": supported values: \"Retain\", \"Delete\", "
                     + "spec.replicas: Invalid value: -2: must be greater than or equal to 0, "
                     + "spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0]",
            CreateError(Valid.Replace("  serviceName: nginx\n",
                "  serviceName: nginx\n  replicas: -2\n  podManagementPolicy: Random\n  ordinals: {start: -1}\n"
                + "  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: -1}}\n  persistentVolumeClaimRetentionPolicy: {whenScaled: Keep}\n")));
        Assert.Equal("StatefulSet.apps \"web\" is invalid: spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"",
            CreateError(Valid.Replace("containers: [", "restartPolicy: Never\n      containers: [")));
    }

    [Fact]
    public void The_pod_spec_of_the_template_is_left_to_the_pod_api_as_in_1_32()
    {
        // A container name the pod API refuses: the set is accepted, its pods will fail to be created (FailedCreate).
        Assert.Null(CreateError(Valid.Replace("name: nginx, image", "name: Not_Valid, image")));
    }

    [Fact]
    public void MaxUnavailable_is_dropped_while_its_feature_gate_is_off()
    {
        var obj = Created(Valid.Replace("  serviceName: nginx\n", "  serviceName: nginx\n  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 2}}\n"));
        Assert.Null(KubeObject.At(obj, "spec.updateStrategy.rollingUpdate.maxUnavailable"));
        Assert.Equal(0, KubeObject.Long(KubeObject.At(obj, "spec.updateStrategy.rollingUpdate.partition")));
    }

    [Fact]
    public void Updates_may_change_replicas_template_strategy_ordinals_retention_and_minReadySeconds_only()
    {
        Assert.Null(UpdateError(o =>
        {
            o["spec"]!["replicas"] = 5;
            o["spec"]!["minReadySeconds"] = 3;
            o["spec"]!["ordinals"] = new JsonObject { ["start"] = 2 };
            o["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "registry.k8s.io/nginx-slim:0.24";
            o["spec"]!["updateStrategy"] = new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 2 } };
            o["spec"]!["persistentVolumeClaimRetentionPolicy"] = new JsonObject { ["whenDeleted"] = "Delete", ["whenScaled"] = "Delete" };
        }));
        const string forbidden = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
        Assert.Equal(forbidden, UpdateError(o => o["spec"]!["serviceName"] = "other"));
        Assert.Equal(forbidden, UpdateError(o => o["spec"]!["volumeClaimTemplates"]![0]!["spec"]!["resources"]!["requests"]!["storage"] = "2Gi"));
        // Still refused in 1.32 (allowed from 1.33).
        Assert.Equal(forbidden, UpdateError(o => o["spec"]!["revisionHistoryLimit"] = 3));
        Assert.Equal(forbidden, UpdateError(o => o["spec"]!["podManagementPolicy"] = "Parallel"));
        // A changed selector is one of the forbidden fields, reported once.
        Assert.Equal(forbidden, UpdateError(o =>
        {
            o["spec"]!["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "nginx", ["tier"] = "web" } };
            o["spec"]!["template"]!["metadata"]!["labels"]!["tier"] = "web";
        }));
    }
}

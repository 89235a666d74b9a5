using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.ManagedFields;
using Akka.KubeEmu.Actors.Api.Resources;
using Xunit;

namespace Akka.KubeEmu.Tests.ManagedFields;

/// <summary>
/// Two managers apply different values to the same node: an atomic struct, map or list
/// (+structType/+mapType/+listType=atomic) has one owner as a whole, so the second apply conflicts
/// on the node itself; granular maps and associative lists (+listType=map/set) merge the two
/// managers' entries without conflict, as kube-apiserver does.
/// </summary>
public sealed class AtomicOwnershipSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static string Deployment(string env) => """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"template":{"spec":{"containers":[{"name":"c","env":[{"name":"E","valueFrom":{"secretKeyRef":
        """ + env + "}}]}]}}}}";

    private static string Webhooks(string name) =>
        "{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingWebhookConfiguration\",\"metadata\":{\"name\":\"w\"},\"webhooks\":[{\"name\":\""
        + name + "\",\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"],\"clientConfig\":{\"url\":\"https://x\"}}]}";

    private static string PodStatus(string status) => """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":""" + status + "}";

    public static TheoryData<string> Rows => ["service selector (+mapType=atomic)", "pod nodeSelector (+mapType=atomic)",
        "label selector (+structType=atomic)", "secretKeyRef (+structType=atomic)", "owner reference item (+structType=atomic)",
        "pod hostIPs (+listType=atomic)", "job conditions (+listType=atomic)", "labels (granular map)",
        "pod podIPs (+listType=map)", "webhooks (+listType=map)"];

    [Theory]
    [MemberData(nameof(Rows))]
    public void A_second_manager_applying_a_different_value_conflicts_only_on_atomic_nodes(string row)
    {
        var (type, subresource, alice, bob, conflicts) = row switch
        {
            "service selector (+mapType=atomic)" => (ResourceCatalog.Services, null,
                """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"selector":{"app":"a"}}}""",
                """{"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"selector":{"tier":"b"}}}""", ".spec.selector"),
            "pod nodeSelector (+mapType=atomic)" => (ResourceCatalog.Pods, null,
                """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeSelector":{"disk":"ssd"}}}""",
                """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"nodeSelector":{"zone":"a"}}}""", ".spec.nodeSelector"),
            "label selector (+structType=atomic)" => (ResourceCatalog.Deployments, null,
                """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"a"}}}}""",
                """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"selector":{"matchLabels":{"app":"a","tier":"b"}}}}""", ".spec.selector"),
            "secretKeyRef (+structType=atomic)" => (ResourceCatalog.Deployments, null,
                Deployment("""{"name":"s","key":"k"}"""), Deployment("""{"name":"s","key":"k","optional":true}"""),
                """.spec.template.spec.containers[name="c"].env[name="E"].valueFrom.secretKeyRef"""),
            "owner reference item (+structType=atomic)" => (ResourceCatalog.ConfigMaps, null,
                """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"a","uid":"u1"}]}}""",
                """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"b","uid":"u1"}]}}""",
                """.metadata.ownerReferences[uid="u1"]"""),
            "pod hostIPs (+listType=atomic)" => (ResourceCatalog.Pods, "status",
                PodStatus("""{"hostIPs":[{"ip":"10.0.0.1"}]}"""), PodStatus("""{"hostIPs":[{"ip":"10.0.0.2"}]}"""), ".status.hostIPs"),
            "job conditions (+listType=atomic)" => (ResourceCatalog.Jobs, "status",
                """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[{"type":"Suspended","status":"True"}]}}""",
                """{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"j"},"status":{"conditions":[{"type":"Complete","status":"True"}]}}""", ".status.conditions"),
            "labels (granular map)" => (ResourceCatalog.ConfigMaps, null,
                """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"a":"1"}}}""",
                """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"b":"2"}}}""", ""),
            "pod podIPs (+listType=map)" => (ResourceCatalog.Pods, "status",
                PodStatus("""{"podIPs":[{"ip":"10.244.0.1"}]}"""), PodStatus("""{"podIPs":[{"ip":"fd00::1"}]}"""), ""),
            "webhooks (+listType=map)" => (ResourceCatalog.ValidatingWebhookConfigurations, null, Webhooks("a.x.io"), Webhooks("b.x.io"), ""),
            _ => throw new ArgumentOutOfRangeException(nameof(row)),
        };

        var live = FieldManager.Apply(type, null, Obj(alice), "alice", false, subresource, T0).Object!;
        var result = FieldManager.Apply(type, live, Obj(bob), "bob", false, subresource, T0.AddMinutes(1));

        Assert.Equal(conflicts, string.Join(", ", result.Conflicts.Select(c => FieldPath.Render(c.Path))));
        Assert.All(result.Conflicts, c => Assert.StartsWith("\"alice\"", c.Manager.Printed));
        Assert.Equal(conflicts.Length == 0, result.Object is not null);
    }

    [Fact]
    public void Webhooks_applied_by_two_managers_are_both_kept_each_owned_by_its_applier()
    {
        var live = FieldManager.Apply(ResourceCatalog.ValidatingWebhookConfigurations, null, Obj(Webhooks("a.x.io")), "alice", false, null, T0).Object!;
        var merged = FieldManager.Apply(ResourceCatalog.ValidatingWebhookConfigurations, live, Obj(Webhooks("b.x.io")), "bob", false, null, T0).Object!;

        Assert.Equal(["a.x.io", "b.x.io"], merged["webhooks"]!.AsArray().Select(w => (string?)w!["name"]));
        var bob = merged["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == "bob")!;
        Assert.Equal(["k:{\"name\":\"b.x.io\"}"], bob["fieldsV1"]!["f:webhooks"]!.AsObject().Select(p => p.Key));
    }
}

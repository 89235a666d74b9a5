using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.CustomResources;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Validation;
using Xunit;

namespace Akka.KubeEmu.Tests.CustomResources;

public sealed class CustomResourceDefinitionValidationSpecs
{
    public static JsonObject Definition(string group = "stable.kubeemu.test", string name = "crontabs.stable.kubeemu.test", string versions = """
        [{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"cronSpec":{"type":"string"},"replicas":{"type":"integer"}}}}}},
          "additionalPrinterColumns":[{"name":"Spec","type":"string","jsonPath":".spec.cronSpec"},{"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}]}]
        """) => JsonNode.Parse("""
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"@@0@@"},
         "spec":{"group":"@@1@@","scope":"Namespaced","names":{"plural":"crontabs","singular":"crontab","kind":"CronTab","listKind":"CronTabList","shortNames":["ct"]},
                 "versions":@@2@@}}
        """.Replace("@@0@@", name).Replace("@@1@@", group).Replace("@@2@@", versions))!.AsObject();

    private static string[] Errors(JsonObject crd) =>
        ObjectValidator.ValidateCreate(ResourceCatalog.CustomResourceDefinitions, crd).Select(e => e.ToString()).ToArray();

    [Fact]
    public void A_well_formed_definition_is_valid()
    {
        var crd = Definition();
        Assert.Empty(Errors(crd));
    }

    [Fact]
    public void The_name_must_be_plural_dot_group_and_the_group_a_domain()
    {
        Assert.Contains("metadata.name: Invalid value: \"tabs.stable.kubeemu.test\": must be spec.names.plural+\".\"+spec.group",
            Errors(Definition(name: "tabs.stable.kubeemu.test")));
        Assert.Contains("spec.group: Invalid value: \"stable\": should be a domain with at least one dot",
            Errors(Definition(group: "stable", name: "crontabs.stable")));
    }

    [Fact]
    public void Exactly_one_storage_version_and_a_schema_per_version_are_required()
    {
        var errors = Errors(Definition(versions: """[{"name":"v1","served":true,"storage":false},{"name":"v2","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}}]"""));
        Assert.Contains("spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required", errors);
        Assert.Contains("spec.versions: Invalid value: [v1, v2]: must have exactly one version marked as storage version", errors);
    }

    [Fact]
    public void Printer_columns_follow_the_versions_additionalPrinterColumns_with_dates_as_ages()
    {
        var crd = Definition();
        CustomResourceDefinitionStatus.Accept(crd, DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var type = Assert.Single(CustomResourceTypes.Of(crd));
        var obj = JsonNode.Parse("""{"apiVersion":"stable.kubeemu.test/v1","kind":"CronTab","metadata":{"name":"c","creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{"cronSpec":"* * * * */5","replicas":3}}""")!.AsObject();
        var table = TableConvertor.ToTable(type, [obj], DateTimeOffset.Parse("2026-01-01T00:02:00Z"));
        Assert.Equal(["Name", "Spec", "Replicas", "Age"], table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("""["c","* * * * */5",3,"2m"]""", table["rows"]![0]!["cells"]!.ToJsonString());

        // Without columns: NAME and AGE.
        var bare = Definition(versions: """[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}}}]""");
        CustomResourceDefinitionStatus.Accept(bare, DateTimeOffset.Parse("2026-01-01T00:00:00Z"));
        var plain = TableConvertor.ToTable(Assert.Single(CustomResourceTypes.Of(bare)), [obj], DateTimeOffset.Parse("2026-01-01T00:02:00Z"));
        Assert.Equal("""["c","2m"]""", plain["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Versions_sort_by_kubernetes_version_priority()
    {
        string[] versions = ["v1alpha1", "foo", "v1beta1", "v2", "v1", "v1beta2", "v10alpha1", "bar"];
        Assert.Equal(["v2", "v1", "v1beta2", "v1beta1", "v10alpha1", "v1alpha1", "bar", "foo"], versions.Order(VersionPriority.Instance));
    }

    [Fact]
    public void Only_established_definitions_are_served_and_only_their_served_versions()
    {
        var crd = Definition(versions: """
            [{"name":"v1beta1","served":false,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}},
             {"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"}},"subresources":{"status":{}}}]
            """);
        Assert.Empty(CustomResourceTypes.Of(crd));
        CustomResourceDefinitionStatus.Accept(crd, DateTimeOffset.UnixEpoch);
        var type = Assert.Single(CustomResourceTypes.Of(crd));
        Assert.Equal(("stable.kubeemu.test/v1", "crontabs.stable.kubeemu.test", true), (type.ApiVersion, type.GroupResource, type.Namespaced));
        Assert.Equal(["status"], type.Subresources);
        Assert.Equal("""["v1"]""", crd["status"]!["storedVersions"]!.ToJsonString());
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Xunit;

namespace Akka.KubeEmu.Tests.Printers;

/// <summary>`kubectl get` of the networking, autoscaling, node, admissionregistration and quota kinds: printers.go's columns and cells.</summary>
public sealed class ApiGroupPrinterSpecs
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-22T12:10:00Z");

    private const string Meta = """{"name":"x","creationTimestamp":"2026-11-22T12:00:00Z"}""";

    private static string Row(ResourceType type, string body) =>
        string.Join(" | ", Table(type, body)["rows"]![0]!["cells"]!.AsArray().Select(c => c?.ToString()));

    private static string Columns(ResourceType type) =>
        string.Join(" ", Table(type, "{}")["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));

    private static JsonObject Table(ResourceType type, string body)
    {
        var obj = JsonNode.Parse(body)!.AsObject();
        obj["metadata"] = JsonNode.Parse(Meta);
        return TableConvertor.ToTable(type, [obj], Now);
    }

    [Theory]
    [InlineData("Ingresses", "Name Class Hosts Address Ports Age")]
    [InlineData("IngressClasses", "Name Controller Parameters Age")]
    [InlineData("NetworkPolicies", "Name Pod-Selector Age")]
    [InlineData("HorizontalPodAutoscalers", "Name Reference Targets MinPods MaxPods Replicas Age")]
    [InlineData("HorizontalPodAutoscalersV1", "Name Reference Targets MinPods MaxPods Replicas Age")]
    [InlineData("RuntimeClasses", "Name Handler Age")]
    [InlineData("ValidatingWebhookConfigurations", "Name Webhooks Age")]
    [InlineData("MutatingWebhookConfigurations", "Name Webhooks Age")]
    [InlineData("ResourceQuotas", "Name Age Request Limit")]
    [InlineData("LimitRanges", "Name Created At")]
    public void Each_kind_has_the_columns_of_kube_apiserver(string resource, string columns) =>
        Assert.Equal(columns, Columns((ResourceType)typeof(ResourceCatalog).GetField(resource)!.GetValue(null)!));

    [Theory]
    [InlineData("""{"spec":{"rules":[{"host":"a.example.com"}]}}""", "x | <none> | a.example.com |  | 80 | 10m")]
    [InlineData("""{"spec":{"ingressClassName":"nginx","tls":[{"hosts":["a"]}],"rules":[{"host":"a"},{"host":"b"},{"host":"c"},{"host":"d"},{"host":"e"}]},"status":{"loadBalancer":{"ingress":[{"ip":"10.0.0.9"},{"hostname":"lb.example.com"},{"ip":"10.0.0.1"}]}}}""",
        "x | nginx | a,b,c + 2 more... | 10.0.0.1,10.0.0.9,lb.example.com | 80, 443 | 10m")]
    [InlineData("""{"spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}""", "x | <none> | * |  | 80 | 10m")]
    public void Ingresses_print_class_hosts_address_and_ports(string body, string row) => Assert.Equal(row, Row(ResourceCatalog.Ingresses, body));

    [Theory]
    [InlineData("""{"spec":{"controller":"k8s.io/ingress-nginx"}}""", "x | k8s.io/ingress-nginx | <none> | 10m")]
    [InlineData("""{"spec":{"controller":"example.com/lb","parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb"}}}""",
        "x | example.com/lb | IngressParameters.k8s.example.com/external-lb | 10m")]
    public void Ingress_classes_print_controller_and_parameters(string body, string row) => Assert.Equal(row, Row(ResourceCatalog.IngressClasses, body));

    [Theory]
    [InlineData("""{"spec":{"podSelector":{}}}""", "x | <none> | 10m")]
    [InlineData("""{"spec":{"podSelector":{"matchLabels":{"app":"web","tier":"front"}}}}""", "x | app=web,tier=front | 10m")]
    public void Network_policies_print_their_pod_selector(string body, string row) => Assert.Equal(row, Row(ResourceCatalog.NetworkPolicies, body));

    [Theory]
    [InlineData("""{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]},"status":{"desiredReplicas":0}}""",
        "x | Deployment/web | cpu: <unknown>/80% | 1 | 5 | 0 | 10m")]
    [InlineData("""{"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}},{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"512Mi"}}},{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}}]},"status":{"currentReplicas":3,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":42}}}]}}""",
        "x | Deployment/web | cpu: 42%/80%, memory: <unknown>/512Mi + 1 more... | <unset> | 5 | 3 | 10m")]
    [InlineData("""{"spec":{"scaleTargetRef":{"kind":"StatefulSet","name":"db"},"maxReplicas":2}}""", "x | StatefulSet/db | <none> | <unset> | 2 | 0 | 10m")]
    public void Hpas_print_reference_targets_and_replica_bounds(string body, string row) => Assert.Equal(row, Row(ResourceCatalog.HorizontalPodAutoscalers, body));

    [Fact]
    public void A_v1_hpa_prints_as_its_v2_form() =>
        Assert.Equal("x | Deployment/web | cpu: 41%/80% | 1 | 5 | 2 | 10m", Row(ResourceCatalog.HorizontalPodAutoscalersV1, """
            {"apiVersion":"autoscaling/v1","spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":80},
             "status":{"currentReplicas":2,"desiredReplicas":2,"currentCPUUtilizationPercentage":41}}
            """));

    [Fact]
    public void Runtime_classes_and_webhook_configurations_print_handler_and_webhook_count()
    {
        Assert.Equal("x | runsc | 10m", Row(ResourceCatalog.RuntimeClasses, """{"handler":"runsc"}"""));
        Assert.Equal("x | 2 | 10m", Row(ResourceCatalog.ValidatingWebhookConfigurations, """{"webhooks":[{"name":"a.b.c"},{"name":"d.e.f"}]}"""));
        Assert.Equal("x | 0 | 10m", Row(ResourceCatalog.MutatingWebhookConfigurations, "{}"));
    }

    [Fact]
    public void Resource_quotas_print_used_over_hard_with_limits_apart()
    {
        Assert.Equal("x | 10m | pods: 3/10, requests.cpu: 500m/2 | limits.memory: 0/4Gi", Row(ResourceCatalog.ResourceQuotas, """
            {"status":{"hard":{"requests.cpu":"2","pods":"10","limits.memory":"4Gi"},"used":{"pods":"3","requests.cpu":"500m"}}}
            """));
        Assert.Equal("x | 10m |  | ", Row(ResourceCatalog.ResourceQuotas, """{"spec":{"hard":{"pods":"10"}}}"""));
    }

    [Fact]
    public void Limit_ranges_print_name_and_creation_time() =>
        Assert.Equal("x | 2026-11-22T12:00:00Z", Row(ResourceCatalog.LimitRanges, "{}"));
}

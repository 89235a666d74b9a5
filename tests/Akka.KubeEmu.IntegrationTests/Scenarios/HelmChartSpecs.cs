using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E7, "the APIs people look for": the rendered output of a typical Helm chart applies with
/// kubectl v1.32 and every kind of it prints the apiserver's columns.
/// </summary>
[Collection("shared cluster")]
public sealed class HelmChartSpecs(SharedCluster fixture)
{
    private static readonly string Chart = Path.Combine(AppContext.BaseDirectory, "config", "examples", "helm-chart", "mychart.yaml");
    private const string Ns = "helm-demo";
    private Kubectl Kubectl => fixture.Cluster.Kubectl;

    [Fact]
    public async Task A_rendered_chart_applies_and_kubectl_get_prints_each_kind_with_the_apiserver_columns()
    {
        (await Kubectl.Run("create", "namespace", Ns)).Ok();
        var applied = (await Kubectl.Run("apply", "-n", Ns, "-f", Chart)).Ok().Stdout;
        foreach (var created in new[]
                 {
                     "serviceaccount/demo-mychart created", "service/demo-mychart created", "deployment.apps/demo-mychart created",
                     "horizontalpodautoscaler.autoscaling/demo-mychart created", "ingress.networking.k8s.io/demo-mychart created",
                     "networkpolicy.networking.k8s.io/demo-mychart created", "poddisruptionbudget.policy/demo-mychart created",
                     "pod/demo-mychart-test-connection created",
                 })
            Assert.Contains(created, applied);

        // One `kubectl get` of several kinds prints one table per kind, separated by blank lines.
        var tables = (await Kubectl.Run("get", "ingress,hpa,networkpolicy,pdb", "-n", Ns)).Ok().Stdout
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(TableOutput.Parse).ToArray();
        Assert.Equal(4, tables.Length);
        Assert.Equal(["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], tables[0].Headers);
        var ingress = tables[0].Row("ingress.networking.k8s.io/demo-mychart");
        Assert.Equal(("nginx", "chart-example.local", "", "80"), (ingress["CLASS"], ingress["HOSTS"], ingress["ADDRESS"], ingress["PORTS"]));
        Assert.Equal(["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"], tables[1].Headers);
        var hpa = tables[1].Row("horizontalpodautoscaler.autoscaling/demo-mychart");
        Assert.Equal(("Deployment/demo-mychart", "cpu: <unknown>/80%", "1", "100", "0"), (hpa["REFERENCE"], hpa["TARGETS"], hpa["MINPODS"], hpa["MAXPODS"], hpa["REPLICAS"]));
        Assert.Equal(["NAME", "POD-SELECTOR", "AGE"], tables[2].Headers);
        Assert.Equal("app.kubernetes.io/instance=demo,app.kubernetes.io/name=mychart",
            tables[2].Row("networkpolicy.networking.k8s.io/demo-mychart")["POD-SELECTOR"]);
        Assert.Equal(["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], tables[3].Headers);

        // A second apply changes nothing, as on a real cluster.
        Assert.DoesNotContain("configured", (await Kubectl.Run("apply", "-n", Ns, "-f", Chart)).Ok().Stdout);

        // `kubectl autoscale` writes an autoscaling/v1 HPA; it reads back as autoscaling/v2.
        (await Kubectl.Run("autoscale", "deployment", "demo-mychart", "-n", Ns, "--name", "demo-autoscale", "--min", "1", "--max", "5", "--cpu-percent", "80")).Ok();
        var v2 = (await Kubectl.Run("get", "hpa", "demo-autoscale", "-n", Ns, "-o", "json")).Json();
        Assert.Equal("autoscaling/v2", v2["apiVersion"]!.GetValue<string>());
        Assert.Equal(80, v2["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]!.GetValue<int>());
        Assert.Equal(5, v2["spec"]!["maxReplicas"]!.GetValue<int>());
        (await Kubectl.Run("delete", "namespace", Ns, "--wait=false")).Ok();
    }

    [Fact]
    public async Task Api_resources_lists_the_new_groups_with_their_short_names_and_scopes()
    {
        var rows = TableOutput.Parse((await Kubectl.Run("api-resources")).Ok().Stdout).Rows.ToDictionary(r => $"{r["NAME"]} {r["APIVERSION"]}");
        string Row(string key) => string.Join(" ", new[] { "SHORTNAMES", "NAMESPACED", "KIND" }.Select(c => rows[key][c]));
        Assert.Equal("ing true Ingress", Row("ingresses networking.k8s.io/v1"));
        Assert.Equal(" false IngressClass", Row("ingressclasses networking.k8s.io/v1"));
        Assert.Equal("netpol true NetworkPolicy", Row("networkpolicies networking.k8s.io/v1"));
        Assert.Equal("hpa true HorizontalPodAutoscaler", Row("horizontalpodautoscalers autoscaling/v2"));
        Assert.Equal(" false RuntimeClass", Row("runtimeclasses node.k8s.io/v1"));
        Assert.Equal(" false ValidatingWebhookConfiguration", Row("validatingwebhookconfigurations admissionregistration.k8s.io/v1"));
        Assert.Equal("quota true ResourceQuota", Row("resourcequotas v1"));
        Assert.Equal("limits true LimitRange", Row("limitranges v1"));
    }

    [Fact]
    public async Task Creating_a_webhook_configuration_warns_that_its_webhooks_are_never_called()
    {
        const string manifest = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: helm-demo-policy
            webhooks:
              - name: check.helm-demo.example.com
                sideEffects: None
                admissionReviewVersions: ["v1"]
                clientConfig:
                  url: https://policy.example.com/check
            """;
        var created = (await Kubectl.RunWithInput(manifest, "create", "-f", "-")).Ok();
        Assert.Contains("Warning: kubeemu does not call admission webhooks", created.Stderr);
        var table = TableOutput.Parse((await Kubectl.Run("get", "validatingwebhookconfigurations", "helm-demo-policy")).Ok().Stdout);
        Assert.Equal(["NAME", "WEBHOOKS", "AGE"], table.Headers);
        Assert.Equal("1", table.Row("helm-demo-policy")["WEBHOOKS"]);
        (await Kubectl.Run("delete", "validatingwebhookconfigurations", "helm-demo-policy")).Ok();
    }
}

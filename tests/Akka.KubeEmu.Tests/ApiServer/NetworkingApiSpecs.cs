using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>networking.k8s.io/v1 Ingresses, IngressClasses and NetworkPolicies as a chart's `kubectl apply` meets them.</summary>
public sealed class NetworkingApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private const string Ingresses = "/apis/networking.k8s.io/v1/namespaces/default/ingresses";
    private const string Policies = "/apis/networking.k8s.io/v1/namespaces/default/networkpolicies";
    private const string Classes = "/apis/networking.k8s.io/v1/ingressclasses";

    private const string Backend = """{"service":{"name":"web","port":{"number":80}}}""";

    private static string Ingress(string name, string spec, string annotations = "{}") =>
        $$"""{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"{{name}}","annotations":{{annotations}}},"spec":{{spec}}}""";

    private static string Rule(string host, string path, string pathType = "Prefix", string backend = Backend) =>
        "{\"host\":\"" + host + "\",\"http\":{\"paths\":[{\"path\":\"" + path + "\",\"pathType\":\"" + pathType + "\",\"backend\":" + backend + "}]}}";

    [Fact]
    public async Task Discovery_serves_the_three_networking_kinds_with_their_scopes_short_names_and_subresources()
    {
        var group = await Json(await _client.GetAsync("/apis/networking.k8s.io/v1"));
        var resources = group["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!);
        Assert.Equal(["ingressclasses", "ingresses", "ingresses/status", "networkpolicies"], resources.Keys);
        Assert.False(resources["ingressclasses"]["namespaced"]!.GetValue<bool>());
        Assert.Equal("""["ing"]""", resources["ingresses"]["shortNames"]!.ToJsonString());
        Assert.Equal("""["netpol"]""", resources["networkpolicies"]["shortNames"]!.ToJsonString());
    }

    [Fact]
    public async Task An_ingress_starts_with_an_empty_load_balancer_status_and_generation_one()
    {
        var created = await Ok(await _client.PostAsync(Ingresses, Body(Ingress("fresh", $$"""{"ingressClassName":"nginx","rules":[{{Rule("a.example.com", "/")}}]}"""))));
        Assert.Equal("""{"loadBalancer":{}}""", created["status"]!.ToJsonString());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal("nginx", created["spec"]!["ingressClassName"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"ingressClassName":"x"}""", "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified")]
    [InlineData("""{"rules":[{"host":"a.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""",
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified")]
    [InlineData("""{"rules":[{"host":"a.example.com","http":{"paths":[{"path":"/","pathType":"Regex","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""",
        "spec.rules[0].http.paths[0].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"")]
    [InlineData("""{"rules":[{"host":"a.example.com","http":{"paths":[{"path":"api","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""",
        "spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path")]
    [InlineData("""{"rules":[{"host":"10.0.0.1","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}""",
        "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address")]
    [InlineData("""{"defaultBackend":{"service":{"name":"web","port":{"number":80,"name":"http"}}}}""",
        "spec.defaultBackend: Invalid value: \"\": cannot set both port name & port number")]
    [InlineData("""{"defaultBackend":{"service":{"name":"web","port":{}}}}""",
        "spec.defaultBackend: Required value: port name or number is required")]
    [InlineData("""{"defaultBackend":{"service":{"name":"web","port":{"number":70000}}}}""",
        "spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive")]
    [InlineData("""{"defaultBackend":{}}""", "spec.defaultBackend: Invalid value: \"\": resource or service backend is required")]
    public async Task Bad_ingresses_get_kubernetes_validation_messages(string spec, string expected)
    {
        var message = await Failure(await _client.PostAsync(Ingresses, Body(Ingress("bad", spec))), 422, "Invalid");
        Assert.Equal($"Ingress.networking.k8s.io \"bad\" is invalid: {expected}", message);
    }

    [Fact]
    public async Task The_deprecated_class_annotation_and_the_class_field_exclude_each_other()
    {
        var message = await Failure(await _client.PostAsync(Ingresses, Body(Ingress("both", $$"""{"ingressClassName":"nginx","defaultBackend":{{Backend}}}""",
            """{"kubernetes.io/ingress.class":"nginx"}"""))), 422, "Invalid");
        Assert.Equal("Ingress.networking.k8s.io \"both\" is invalid: annotations.kubernetes.io/ingress.class: Invalid value: \"nginx\": can not be set when the class field is also set", message);
    }

    [Fact]
    public async Task An_ingress_without_a_class_gets_the_default_ingress_class_as_the_DefaultIngressClass_admission_does()
    {
        // Run in a namespace of its own so the cluster-scoped default class is the only thing shared.
        await Ok(await _client.PostAsync("/api/v1/namespaces", Body("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"ingress-default"}}""")));
        const string ns = "/apis/networking.k8s.io/v1/namespaces/ingress-default/ingresses";
        var before = await Ok(await _client.PostAsync(ns, Body(Ingress("before", $$"""{"defaultBackend":{{Backend}}}"""))));
        Assert.Null(before["spec"]!["ingressClassName"]);

        await Ok(await _client.PostAsync(Classes, Body("""
            {"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"emu-default","annotations":{"ingressclass.kubernetes.io/is-default-class":"true"}},
             "spec":{"controller":"k8s.io/ingress-nginx"}}
            """)));
        try
        {
            var after = await Ok(await _client.PostAsync(ns, Body(Ingress("after", $$"""{"defaultBackend":{{Backend}}}"""))));
            Assert.Equal("emu-default", after["spec"]!["ingressClassName"]!.GetValue<string>());
            var annotated = await Ok(await _client.PostAsync(ns, Body(Ingress("annotated", $$"""{"defaultBackend":{{Backend}}}""", """{"kubernetes.io/ingress.class":"traefik"}"""))));
            Assert.Null(annotated["spec"]!["ingressClassName"]);
        }
        finally
        {
            await _client.DeleteAsync($"{Classes}/emu-default");
        }
    }

    [Theory]
    [InlineData("""{"controller":"nginx"}""", "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")")]
    [InlineData("""{"controller":"example.com/lb","parameters":{"kind":"Params","name":"p","scope":"Namespace"}}""",
        "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'")]
    public async Task Bad_ingress_classes_get_kubernetes_validation_messages(string spec, string expected)
    {
        var message = await Failure(await _client.PostAsync(Classes, Body($$"""{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"bad"},"spec":{{spec}}}""")),
            422, "Invalid");
        Assert.Equal($"IngressClass.networking.k8s.io \"bad\" is invalid: {expected}", message);
    }

    [Fact]
    public async Task An_ingress_class_controller_never_changes()
    {
        await Ok(await _client.PostAsync(Classes, Body("""{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"fixed"},"spec":{"controller":"example.com/a"}}""")));
        var message = await Failure(await _client.Patch($"{Classes}/fixed", """{"spec":{"controller":"example.com/b"}}""", "application/merge-patch+json"), 422, "Invalid");
        Assert.Equal("IngressClass.networking.k8s.io \"fixed\" is invalid: spec.controller: Invalid value: \"example.com/b\": field is immutable", message);
    }

    [Fact]
    public async Task A_network_policy_gets_tcp_ports_and_its_policy_types_by_default()
    {
        var created = await Ok(await _client.PostAsync(Policies, Body("""
            {"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"defaults"},
             "spec":{"podSelector":{"matchLabels":{"app":"web"}},"ingress":[{"ports":[{"port":80}]}],"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.0/8"}}]}]}}
            """)));
        Assert.Equal("TCP", created["spec"]!["ingress"]![0]!["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal("""["Ingress","Egress"]""", created["spec"]!["policyTypes"]!.ToJsonString());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""{"podSelector":{},"ingress":[{"from":[{}]}]}""", "spec.ingress[0].from[0]: Required value: must specify a peer")]
    [InlineData("""{"podSelector":{},"ingress":[{"from":[{"ipBlock":{"cidr":"10.0.0.0/8"},"podSelector":{}}]}]}""",
        "spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer")]
    [InlineData("""{"podSelector":{},"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.0/33"}}]}]}""", "spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": not a valid CIDR")]
    [InlineData("""{"podSelector":{},"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.0/8","except":["192.168.0.0/16"]}}]}]}""",
        "spec.egress[0].to[0].ipBlock.except[0]: Invalid value: \"192.168.0.0/16\": must be a strict subset of `cidr`")]
    [InlineData("""{"podSelector":{},"ingress":[{"ports":[{"port":80,"protocol":"HTTP"}]}]}""",
        "spec.ingress[0].ports[0].protocol: Unsupported value: \"HTTP\": supported values: \"TCP\", \"UDP\", \"SCTP\"")]
    [InlineData("""{"podSelector":{},"policyTypes":["Ingress","Sideways"]}""", "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"")]
    public async Task Bad_network_policies_get_kubernetes_validation_messages(string spec, string expected)
    {
        var message = await Failure(await _client.PostAsync(Policies, Body($$"""{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"bad"},"spec":{{spec}}}""")),
            422, "Invalid");
        Assert.Equal($"NetworkPolicy.networking.k8s.io \"bad\" is invalid: {expected}", message);
    }
}

using System.Net;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// admissionregistration.k8s.io/v1 webhook configurations (stored, validated, never called: every
/// write says so in a Warning) and node.k8s.io/v1 RuntimeClasses.
/// </summary>
public sealed class AdmissionRegistrationApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private const string Validating = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";
    private const string Mutating = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";
    private const string RuntimeClasses = "/apis/node.k8s.io/v1/runtimeclasses";

    private const string Hook = """
        {"name":"check.example.com","sideEffects":"None","admissionReviewVersions":["v1"],
         "clientConfig":{"service":{"namespace":"default","name":"webhook"}},
         "rules":[{"operations":["CREATE"],"apiGroups":[""],"apiVersions":["v1"],"resources":["pods"]}]}
        """;

    private static string Configuration(string kind, string name, string webhooks) =>
        $$"""{"apiVersion":"admissionregistration.k8s.io/v1","kind":"{{kind}}","metadata":{"name":"{{name}}"},"webhooks":{{webhooks}}}""";

    [Fact]
    public async Task Discovery_serves_the_webhook_configurations_cluster_scoped_in_api_extensions_and_runtime_classes()
    {
        var group = (await Json(await _client.GetAsync("/apis/admissionregistration.k8s.io/v1")))["resources"]!.AsArray();
        Assert.Equal(["mutatingwebhookconfigurations", "validatingwebhookconfigurations"], group.Select(r => r!["name"]!.GetValue<string>()));
        Assert.All(group, r => Assert.Equal("""["api-extensions"]""", r!["categories"]!.ToJsonString()));
        Assert.All(group, r => Assert.False(r!["namespaced"]!.GetValue<bool>()));
        var node = (await Json(await _client.GetAsync("/apis/node.k8s.io/v1")))["resources"]!.AsArray();
        Assert.Equal(["runtimeclasses"], node.Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_webhook_configuration_is_stored_defaulted_and_answered_with_a_warning_that_its_webhooks_are_never_called()
    {
        using var response = await _client.PostAsync(Validating, Body(Configuration("ValidatingWebhookConfiguration", "policy", $"[{Hook}]")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["299 - \"kubeemu does not call admission webhooks: the webhooks of ValidatingWebhookConfiguration \\\"policy\\\" are stored but never called\""],
            response.Headers.GetValues("Warning"));
        var hook = (await Json(response))["webhooks"]![0]!;
        Assert.Equal(("Fail", "Equivalent", 10, 443, "*"), (hook["failurePolicy"]!.GetValue<string>(), hook["matchPolicy"]!.GetValue<string>(),
            hook["timeoutSeconds"]!.GetValue<int>(), hook["clientConfig"]!["service"]!["port"]!.GetValue<int>(), hook["rules"]![0]!["scope"]!.GetValue<string>()));

        using var mutating = await _client.PostAsync(Mutating, Body(Configuration("MutatingWebhookConfiguration", "inject", $"[{Hook}]")));
        Assert.Equal(HttpStatusCode.Created, mutating.StatusCode);
        Assert.Contains("MutatingWebhookConfiguration \\\"inject\\\"", mutating.Headers.GetValues("Warning").Single());
        Assert.Equal("Never", (await Json(mutating))["webhooks"]![0]!["reinvocationPolicy"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""[{"name":"check","sideEffects":"None","admissionReviewVersions":["v1"],"clientConfig":{"url":"https://example.com/check"}}]""",
        "webhooks[0].name: Invalid value: \"check\": should be a domain with at least three segments separated by dots")]
    [InlineData("""[{"name":"a.b.c","admissionReviewVersions":["v1"],"clientConfig":{"url":"https://example.com/check"}}]""",
        "webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun")]
    [InlineData("""[{"name":"a.b.c","sideEffects":"Some","admissionReviewVersions":["v1"],"clientConfig":{"url":"https://example.com/check"}}]""",
        "webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", \"NoneOnDryRun\"")]
    [InlineData("""[{"name":"a.b.c","sideEffects":"None","clientConfig":{"url":"https://example.com/check"}}]""",
        "webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1")]
    [InlineData("""[{"name":"a.b.c","sideEffects":"None","admissionReviewVersions":["v1"],"clientConfig":{}}]""",
        "webhooks[0].clientConfig: Required value: exactly one of url or service is required")]
    [InlineData("""[{"name":"a.b.c","sideEffects":"None","admissionReviewVersions":["v1"],"timeoutSeconds":31,"clientConfig":{"url":"https://example.com/check"}}]""",
        "webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds")]
    [InlineData("""[{"name":"a.b.c","sideEffects":"None","admissionReviewVersions":["v1"],"clientConfig":{"url":"https://example.com/"}},{"name":"a.b.c","sideEffects":"None","admissionReviewVersions":["v1"],"clientConfig":{"url":"https://example.com/"}}]""",
        "webhooks[1].name: Duplicate value: \"a.b.c\"")]
    public async Task Bad_webhook_configurations_get_kubernetes_validation_messages(string webhooks, string expected)
    {
        var message = await Failure(await _client.PostAsync(Validating, Body(Configuration("ValidatingWebhookConfiguration", "bad", webhooks))), 422, "Invalid");
        Assert.Equal($"ValidatingWebhookConfiguration.admissionregistration.k8s.io \"bad\" is invalid: {expected}", message);
    }

    [Fact]
    public async Task A_runtime_class_handler_is_a_dns_label_and_never_changes()
    {
        var message = await Failure(await _client.PostAsync(RuntimeClasses, Body("""{"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"bad"},"handler":"Run_C"}""")),
            422, "Invalid");
        Assert.StartsWith("RuntimeClass.node.k8s.io \"bad\" is invalid: handler: Invalid value: \"Run_C\": a lowercase RFC 1123 label must consist of", message);

        await Ok(await _client.PostAsync(RuntimeClasses, Body("""{"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"gvisor"},"handler":"runsc"}""")));
        var immutable = await Failure(await _client.Patch($"{RuntimeClasses}/gvisor", """{"handler":"runc"}""", "application/merge-patch+json"), 422, "Invalid");
        Assert.Equal("RuntimeClass.node.k8s.io \"gvisor\" is invalid: handler: Invalid value: \"runc\": field is immutable", immutable);
    }
}

using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// configMapStrategy and secretStrategy: immutable objects, the Secret types' required keys,
/// stringData merged into data, the type fixed at creation.
/// </summary>
public sealed class ConfigDataWriteRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private const string Secrets = "/api/v1/namespaces/default/secrets";
    private const string Immutable = "field is immutable when `immutable` is set";

    private static WriteStep ConfigMap(string name, string rest) =>
        Post(ConfigMaps, $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"}{{{rest}}}}""");

    private static WriteStep Secret(string name, string rest, string metadata = "") =>
        Post(Secrets, $$$"""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"{{{name}}}"{{{metadata}}}}{{{rest}}}}""");

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["ConfigMap: data of an immutable one"] = Refused([ConfigMap("cm-immutable", ""","immutable":true,"data":{"a":"1"}""")],
            MergePatch($"{ConfigMaps}/cm-immutable", """{"data":{"a":"2"}}"""),
            $"ConfigMap \"cm-immutable\" is invalid: data: Forbidden: {Immutable}"),
        ["ConfigMap: binaryData of an immutable one"] = Refused([ConfigMap("cm-immutable-binary", ""","immutable":true,"binaryData":{"b":"AQ=="}""")],
            MergePatch($"{ConfigMaps}/cm-immutable-binary", """{"binaryData":{"b":"Ag=="}}"""),
            $"ConfigMap \"cm-immutable-binary\" is invalid: binaryData: Forbidden: {Immutable}"),
        ["ConfigMap: immutable turned off"] = Refused([ConfigMap("cm-mutable-again", ""","immutable":true,"data":{"a":"1"}""")],
            MergePatch($"{ConfigMaps}/cm-mutable-again", """{"immutable":false}"""),
            $"ConfigMap \"cm-mutable-again\" is invalid: immutable: Forbidden: {Immutable}"),
        ["Secret: stringData of an immutable one"] = Refused([Secret("secret-immutable", ""","immutable":true,"stringData":{"a":"1"}""")],
            MergePatch($"{Secrets}/secret-immutable", """{"stringData":{"a":"2"}}"""),
            $"Secret \"secret-immutable\" is invalid: data: Forbidden: {Immutable}"),
        ["Secret: type changed"] = Refused([Secret("secret-type", ""","type":"Opaque","data":{"tls.crt":"YQ==","tls.key":"YQ=="}""")],
            MergePatch($"{Secrets}/secret-type", """{"type":"kubernetes.io/tls"}"""),
            "Secret \"secret-type\" is invalid: type: Invalid value: \"kubernetes.io/tls\": field is immutable"),
        ["Secret: kubernetes.io/tls without its keys"] = Refused([],
            Secret("secret-tls", ""","type":"kubernetes.io/tls","data":{"ca.crt":"YQ=="}"""),
            "Secret \"secret-tls\" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]"),
        ["Secret: service-account-token without its service account"] = Refused([],
            Secret("secret-token", ""","type":"kubernetes.io/service-account-token" """),
            "Secret \"secret-token\" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value"),
        ["Secret: kubernetes.io/ssh-auth without a private key"] = Refused([],
            Secret("secret-ssh", ""","type":"kubernetes.io/ssh-auth","data":{"known_hosts":"YQ=="}"""),
            "Secret \"secret-ssh\" is invalid: data[ssh-privatekey]: Required value"),
        ["Secret: kubernetes.io/dockerconfigjson that is not JSON"] = Refused([],
            Secret("secret-docker", ""","type":"kubernetes.io/dockerconfigjson","stringData":{".dockerconfigjson":"x"}"""),
            "Secret \"secret-docker\" is invalid: data[.dockerconfigjson]: Invalid value: \"<secret contents redacted>\": invalid character 'x' looking for beginning of value"),
    };

    private static readonly Dictionary<string, AcceptedWrite> AcceptedRows = new()
    {
        ["Secret: stringData is written into data and not kept"] = Accepted([],
            Secret("secret-string-data", ""","data":{"a":"eA=="},"stringData":{"a":"y","b":"z"}"""),
            ("data.a", "\"eQ==\""), ("data.b", "\"eg==\""), ("stringData", null)),
        ["Secret: labels of an immutable one may change"] = Accepted([Secret("secret-immutable-labels", ""","immutable":true,"data":{"a":"eA=="}""")],
            MergePatch($"{Secrets}/secret-immutable-labels", """{"metadata":{"labels":{"team":"a"}}}"""),
            ("metadata.labels.team", "\"a\""), ("metadata.generation", null)),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    public static TheoryData<string> Acceptances => new(AcceptedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_writes_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);

    [Theory, MemberData(nameof(Acceptances))]
    public Task Accepted_writes_store_what_the_apiserver_stores(string row) => Run(holder.Fixture.Client, AcceptedRows[row]);
}

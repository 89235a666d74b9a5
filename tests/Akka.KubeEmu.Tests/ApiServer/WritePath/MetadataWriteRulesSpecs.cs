using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// The ObjectMeta rules every kind's strategy applies (ValidateObjectMeta, ValidateObjectMetaUpdate),
/// shown on ConfigMaps: finalizer names, the garbage collector's two finalizers, no new finalizer on
/// an object being deleted, owner references, annotation keys on update.
/// </summary>
public sealed class MetadataWriteRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private static string ConfigMap(string name, string metadata = "") =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"{{{metadata}}}},"data":{"a":"1"}}""";

    private const string NameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["finalizer that is not a qualified name"] = Refused([],
            Post(ConfigMaps, ConfigMap("fin-bad", ""","finalizers":["Bad Name"]""")),
            $"ConfigMap \"fin-bad\" is invalid: [metadata.finalizers: Invalid value: \"Bad Name\": {NameMessage}, metadata.finalizers[0]: Invalid value: \"Bad Name\": name is neither a standard finalizer name nor is it fully qualified]"),
        ["finalizer without a domain that is not Kubernetes' own"] = Refused([],
            Post(ConfigMaps, ConfigMap("fin-plain", ""","finalizers":["kubernetes","my-finalizer"]""")),
            "ConfigMap \"fin-plain\" is invalid: metadata.finalizers[1]: Invalid value: \"my-finalizer\": name is neither a standard finalizer name nor is it fully qualified"),
        ["orphan and foregroundDeletion together"] = Refused([],
            Post(ConfigMaps, ConfigMap("fin-both", ""","finalizers":["orphan","foregroundDeletion"]""")),
            "ConfigMap \"fin-both\" is invalid: metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set"),
        ["new finalizer on an object being deleted"] = Refused(
            [Post(ConfigMaps, ConfigMap("fin-deleting", ""","finalizers":["example.com/hold"]""")), Delete($"{ConfigMaps}/fin-deleting")],
            MergePatch($"{ConfigMaps}/fin-deleting", """{"metadata":{"finalizers":["example.com/hold","example.com/more","example.com/again"]}}"""),
            "ConfigMap \"fin-deleting\" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/again\", \"example.com/more\"}"),
        ["finalizer added by update with a bad name"] = Refused(
            [Post(ConfigMaps, ConfigMap("fin-update"))],
            MergePatch($"{ConfigMaps}/fin-update", """{"metadata":{"finalizers":["a/b/c"]}}"""),
            "ConfigMap \"fin-update\" is invalid: metadata.finalizers: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
        ["owner reference without uid"] = Refused([],
            Post(ConfigMaps, ConfigMap("owner-no-uid", ""","ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"p"}]""")),
            "ConfigMap \"owner-no-uid\" is invalid: metadata.ownerReferences.uid: Invalid value: \"\": must not be empty"),
        ["owner reference without version and kind"] = Refused([],
            Post(ConfigMaps, ConfigMap("owner-no-kind", ""","ownerReferences":[{"apiVersion":"apps/","kind":"","name":"p","uid":"u"}]""")),
            "ConfigMap \"owner-no-kind\" is invalid: [metadata.ownerReferences.apiVersion: Invalid value: \"apps/\": version must not be empty, metadata.ownerReferences.kind: Invalid value: \"\": must not be empty]"),
        ["annotation key that is not a qualified name, on update"] = Refused(
            [Post(ConfigMaps, ConfigMap("ann-update"))],
            MergePatch($"{ConfigMaps}/ann-update", """{"metadata":{"annotations":{"bad key":"x"}}}"""),
            $"ConfigMap \"ann-update\" is invalid: metadata.annotations: Invalid value: \"bad key\": {NameMessage}"),
    };

    private static readonly Dictionary<string, AcceptedWrite> AcceptedRows = new()
    {
        ["finalizers removed from an object being deleted"] = Accepted(
            [Post(ConfigMaps, ConfigMap("fin-release", ""","finalizers":["example.com/a","example.com/b"]""")), Delete($"{ConfigMaps}/fin-release")],
            MergePatch($"{ConfigMaps}/fin-release", """{"metadata":{"finalizers":["example.com/b"]}}"""),
            ("metadata.finalizers", """["example.com/b"]""")),
        ["no generation on a kind without spec semantics"] = Accepted(
            [Post(ConfigMaps, ConfigMap("no-generation"))],
            MergePatch($"{ConfigMaps}/no-generation", """{"data":{"a":"2"}}"""),
            ("metadata.generation", null), ("data.a", "\"2\"")),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    public static TheoryData<string> Acceptances => new(AcceptedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_writes_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);

    [Theory, MemberData(nameof(Acceptances))]
    public Task Accepted_writes_store_what_the_apiserver_stores(string row) => Run(holder.Fixture.Client, AcceptedRows[row]);
}

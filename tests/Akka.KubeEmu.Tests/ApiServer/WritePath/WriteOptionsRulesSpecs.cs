using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// The options every write carries (ValidateCreateOptions, ValidateUpdateOptions,
/// ValidatePatchOptions, ValidateDeleteOptions): checked before the object is read or looked up, and
/// refused with a 422 naming the verb's options kind.
/// </summary>
public sealed class WriteOptionsRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private const string ConfigMap = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"options"}}""";

    private static WriteStep DeleteWithBody(string path, string body) => new(HttpMethod.Delete, path, body, "application/json");

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["create: a dryRun value other than All"] = Refused([],
            Post($"{ConfigMaps}?dryRun=foo&dryRun=All", ConfigMap),
            "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"foo\", \"All\"}: supported values: \"All\""),
        ["create: an empty dryRun"] = Refused([],
            Post($"{ConfigMaps}?dryRun=", ConfigMap),
            "CreateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"\"}: supported values: \"All\""),
        ["update: an unknown fieldValidation"] = Refused([],
            Put($"{ConfigMaps}/options?fieldValidation=strict", ConfigMap),
            "UpdateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"strict\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\""),
        ["patch: a fieldManager with a control character"] = Refused([],
            MergePatch($"{ConfigMaps}/options?fieldManager=ops%07bot", "{}"),
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"ops\\abot\": invalid character U+0007 (at position 3)"),
        ["create: a fieldManager over 128 bytes and a bad dryRun, both listed"] = Refused([],
            Post($"{ConfigMaps}?dryRun=yes&fieldManager={new string('m', 129)}", ConfigMap),
            "CreateOptions.meta.k8s.io \"\" is invalid: [fieldManager: Too long: may not be more than 128 bytes, dryRun: Unsupported value: []string{\"yes\"}: supported values: \"All\"]"),
        ["apply: no fieldManager and a bad dryRun, both listed, the patch type's rule first"] = Refused([],
            new WriteStep(HttpMethod.Patch, $"{ConfigMaps}/options?dryRun=server", ConfigMap, "application/apply-patch+yaml"),
            "PatchOptions.meta.k8s.io \"\" is invalid: [fieldManager: Required value: is required for apply patch, dryRun: Unsupported value: []string{\"server\"}: supported values: \"All\"]"),
        ["merge patch: force, which only an apply may give, and a bad fieldValidation"] = Refused([],
            MergePatch($"{ConfigMaps}/options?force=false&fieldValidation=Loose", "{}"),
            "PatchOptions.meta.k8s.io \"\" is invalid: [force: Forbidden: may not be specified for non-apply patch, fieldValidation: Unsupported value: \"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"]"),
        ["delete: a dryRun value other than All in the query, before the object is looked up"] = Refused([],
            Delete($"{ConfigMaps}/absent?dryRun=true"),
            "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"true\"}: supported values: \"All\""),
        ["delete: a dryRun value other than All in the DeleteOptions body"] = Refused([],
            DeleteWithBody($"{ConfigMaps}/absent", """{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["Some"]}"""),
            "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\""),
        ["deletecollection: an unknown propagationPolicy and dryRun, both listed"] = Refused([],
            Delete($"{ConfigMaps}?propagationPolicy=Cascade&dryRun=server"),
            "DeleteOptions.meta.k8s.io \"\" is invalid: [propagationPolicy: Unsupported value: \"Cascade\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\", dryRun: Unsupported value: []string{\"server\"}: supported values: \"All\"]"),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_options_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);
}

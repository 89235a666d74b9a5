using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// The apps and batch strategies: selectors fixed in apps/v1, the StatefulSet's few mutable spec
/// fields, the Job's immutable completions, and metadata.generation counting spec changes only.
/// </summary>
public sealed class WorkloadWriteRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string Apps = "/apis/apps/v1/namespaces/default";
    private const string Jobs = "/apis/batch/v1/namespaces/default/jobs";
    private const string Template = """{"metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"app","image":"busybox"}]}}""";

    private static WriteStep Workload(string kind, string plural, string name, string spec = "") =>
        Post($"{Apps}/{plural}", $$$"""{"apiVersion":"apps/v1","kind":"{{{kind}}}","metadata":{"name":"{{{name}}}"},"spec":{"selector":{"matchLabels":{"app":"a"}},"template":{{{Template}}}{{{spec}}}}}""");

    private static WriteStep Job(string name, string spec) =>
        Post(Jobs, $$$"""{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"{{{name}}}"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"app","image":"busybox"}]}}{{{spec}}}}}""");

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["DaemonSet: selector changed"] = Refused([Workload("DaemonSet", "daemonsets", "ds-selector")],
            MergePatch($"{Apps}/daemonsets/ds-selector", """{"spec":{"selector":{"matchLabels":{"app":"b"}},"template":{"metadata":{"labels":{"app":"b"}}}}}"""),
            "DaemonSet.apps \"ds-selector\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"),
        ["ReplicaSet: selector changed"] = Refused([Workload("ReplicaSet", "replicasets", "rs-selector")],
            MergePatch($"{Apps}/replicasets/rs-selector", """{"spec":{"selector":{"matchLabels":{"app":"b"}},"template":{"metadata":{"labels":{"app":"b"}}}}}"""),
            "ReplicaSet.apps \"rs-selector\" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"),
        ["StatefulSet: serviceName changed"] = Refused([Workload("StatefulSet", "statefulsets", "sts-service", ""","serviceName":"a" """)],
            MergePatch($"{Apps}/statefulsets/sts-service", """{"spec":{"serviceName":"b"}}"""),
            "StatefulSet.apps \"sts-service\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"),
        ["Job: completions changed"] = Refused([Job("job-completions", ""","completions":3""")],
            MergePatch($"{Jobs}/job-completions", """{"spec":{"completions":5}}"""),
            "Job.batch \"job-completions\" is invalid: spec.completions: Invalid value: 5: field is immutable"),
        ["Job: completionMode changed"] = Refused([Job("job-mode", ""","completions":2,"parallelism":1""")],
            MergePatch($"{Jobs}/job-mode", """{"spec":{"completionMode":"Indexed"}}"""),
            "Job.batch \"job-mode\" is invalid: spec.completionMode: Invalid value: \"Indexed\": field is immutable"),
    };

    private static readonly Dictionary<string, AcceptedWrite> AcceptedRows = new()
    {
        ["StatefulSet: replicas and minReadySeconds change, a new generation"] = Accepted([Workload("StatefulSet", "statefulsets", "sts-scale", ""","serviceName":"a" """)],
            MergePatch($"{Apps}/statefulsets/sts-scale", """{"spec":{"replicas":3,"minReadySeconds":5}}"""),
            ("spec.replicas", "3"), ("metadata.generation", "2")),
        ["DaemonSet: a label change keeps the generation"] = Accepted([Workload("DaemonSet", "daemonsets", "ds-labels")],
            MergePatch($"{Apps}/daemonsets/ds-labels", """{"metadata":{"labels":{"team":"a"}}}"""),
            ("metadata.generation", "1")),
        ["Deployment: an annotation change is a new generation"] = Accepted([Workload("Deployment", "deployments", "deploy-annotation")],
            MergePatch($"{Apps}/deployments/deploy-annotation", """{"metadata":{"annotations":{"team":"a"}}}"""),
            ("metadata.generation", "2")),
        ["Job: an elastic Indexed Job scales completions with parallelism"] = Accepted(
            [Job("job-elastic", ""","completionMode":"Indexed","completions":2,"parallelism":2""")],
            MergePatch($"{Jobs}/job-elastic", """{"spec":{"completions":4,"parallelism":4}}"""),
            ("spec.completions", "4"), ("metadata.generation", "2")),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    public static TheoryData<string> Acceptances => new(AcceptedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_writes_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);

    [Theory, MemberData(nameof(Acceptances))]
    public Task Accepted_writes_store_what_the_apiserver_stores(string row) => Run(holder.Fixture.Client, AcceptedRows[row]);
}

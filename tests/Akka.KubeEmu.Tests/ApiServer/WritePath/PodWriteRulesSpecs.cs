using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// podStrategy's ValidateUpdate (ValidatePodUpdate): what `kubectl apply`/`edit`/`patch` may change
/// on a pod that exists, and the apiserver's words when it may not.
/// </summary>
public sealed class PodWriteRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string Pods = "/api/v1/namespaces/default/pods";

    private static WriteStep Pod(string name, string spec = "") =>
        Post(Pods, $$$"""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}"},"spec":{"containers":[{"name":"app","image":"busybox"}]{{{spec}}}}}""");

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["a container added"] = Refused([Pod("add-container")],
            MergePatch($"{Pods}/add-container", """{"spec":{"containers":[{"name":"app","image":"busybox"},{"name":"sidecar","image":"nginx"}]}}"""),
            "Pod \"add-container\" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers"),
        ["an image with surrounding whitespace"] = Refused([Pod("image-whitespace")],
            StrategicPatch($"{Pods}/image-whitespace", """{"spec":{"containers":[{"name":"app","image":" busybox"}]}}"""),
            "Pod \"image-whitespace\" is invalid: spec.containers[0].image: Invalid value: \" busybox\": must not have leading or trailing whitespace"),
        ["activeDeadlineSeconds raised"] = Refused([Pod("deadline-up", ""","activeDeadlineSeconds":30""")],
            MergePatch($"{Pods}/deadline-up", """{"spec":{"activeDeadlineSeconds":60}}"""),
            "Pod \"deadline-up\" is invalid: spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value"),
        ["activeDeadlineSeconds removed"] = Refused([Pod("deadline-gone", ""","activeDeadlineSeconds":30""")],
            MergePatch($"{Pods}/deadline-gone", """{"spec":{"activeDeadlineSeconds":null}}"""),
            "Pod \"deadline-gone\" is invalid: spec.activeDeadlineSeconds: Invalid value: \"null\": must not update from a positive integer to nil value"),
        ["a toleration removed"] = Refused([Pod("toleration-gone", ""","tolerations":[{"key":"dedicated","operator":"Exists"}]""")],
            MergePatch($"{Pods}/toleration-gone", """{"spec":{"tolerations":[]}}"""),
            "Pod \"toleration-gone\" is invalid: spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"),
        ["a scheduling gate added"] = Refused([Pod("gate-added", ""","schedulingGates":[{"name":"example.com/a"}]""")],
            MergePatch($"{Pods}/gate-added", """{"spec":{"schedulingGates":[{"name":"example.com/a"},{"name":"example.com/b"}]}}"""),
            "Pod \"gate-added\" is invalid: spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/b'"),
        ["terminationGracePeriodSeconds changed"] = Refused([Pod("grace-changed")],
            MergePatch($"{Pods}/grace-changed", """{"spec":{"terminationGracePeriodSeconds":5}}"""),
            "Pod \"grace-changed\" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"),
    };

    private static readonly Dictionary<string, AcceptedWrite> AcceptedRows = new()
    {
        ["image changed (kubectl set image)"] = Accepted([Pod("image-changed")],
            StrategicPatch($"{Pods}/image-changed", """{"spec":{"containers":[{"name":"app","image":"busybox:1.36"}]}}"""),
            ("spec.containers.0.image", "\"busybox:1.36\""), ("metadata.generation", null)),
        ["activeDeadlineSeconds lowered"] = Accepted([Pod("deadline-down", ""","activeDeadlineSeconds":30""")],
            MergePatch($"{Pods}/deadline-down", """{"spec":{"activeDeadlineSeconds":10}}"""),
            ("spec.activeDeadlineSeconds", "10")),
        ["a toleration added and tolerationSeconds changed"] = Accepted(
            [Pod("toleration-added", ""","tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]""")],
            MergePatch($"{Pods}/toleration-added", """{"spec":{"tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":30},{"key":"other","operator":"Exists"}]}}"""),
            ("spec.tolerations.0.tolerationSeconds", "30"), ("spec.tolerations.1.key", "\"other\"")),
        ["a scheduling gate lifted"] = Accepted([Pod("gate-lifted", ""","schedulingGates":[{"name":"example.com/a"},{"name":"example.com/b"}]""")],
            MergePatch($"{Pods}/gate-lifted", """{"spec":{"schedulingGates":[{"name":"example.com/b"}]}}"""),
            ("spec.schedulingGates", """[{"name":"example.com/b"}]""")),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    public static TheoryData<string> Acceptances => new(AcceptedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_pod_updates_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);

    [Theory, MemberData(nameof(Acceptances))]
    public Task Allowed_pod_updates_are_stored(string row) => Run(holder.Fixture.Client, AcceptedRows[row]);
}

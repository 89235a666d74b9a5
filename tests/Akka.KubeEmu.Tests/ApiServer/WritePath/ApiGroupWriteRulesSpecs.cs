using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// The strategies of the kinds a Helm chart brings along besides workloads: the fields their
/// ValidateXUpdate fixes (IngressClass controller, RuntimeClass handler, a ClusterRoleBinding's
/// roleRef, a PersistentVolume's source) and the values their ValidateX refuses (a CronJob's
/// schedule, a NetworkPolicy's policy types, RBAC rules, an Ingress path type, HPA bounds, names).
/// </summary>
public sealed class ApiGroupWriteRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string IngressClasses = "/apis/networking.k8s.io/v1/ingressclasses";
    private const string RuntimeClasses = "/apis/node.k8s.io/v1/runtimeclasses";
    private const string ClusterRoleBindings = "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings";
    private const string PersistentVolumes = "/api/v1/persistentvolumes";

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["IngressClass: controller changed"] = Refused(
            [Post(IngressClasses, """{"apiVersion":"networking.k8s.io/v1","kind":"IngressClass","metadata":{"name":"ic-rules"},"spec":{"controller":"example.com/a"}}""")],
            MergePatch($"{IngressClasses}/ic-rules", """{"spec":{"controller":"example.com/b"}}"""),
            "IngressClass.networking.k8s.io \"ic-rules\" is invalid: spec.controller: Invalid value: \"example.com/b\": field is immutable"),
        ["RuntimeClass: handler changed"] = Refused(
            [Post(RuntimeClasses, """{"apiVersion":"node.k8s.io/v1","kind":"RuntimeClass","metadata":{"name":"rc-rules"},"handler":"runc"}""")],
            MergePatch($"{RuntimeClasses}/rc-rules", """{"handler":"kata"}"""),
            "RuntimeClass.node.k8s.io \"rc-rules\" is invalid: handler: Invalid value: \"kata\": field is immutable"),
        ["ClusterRoleBinding: roleRef changed"] = Refused(
            [Post(ClusterRoleBindings, """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"crb-rules"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},"subjects":[{"kind":"User","name":"a","apiGroup":"rbac.authorization.k8s.io"}]}""")],
            MergePatch($"{ClusterRoleBindings}/crb-rules", """{"roleRef":{"name":"edit"}}"""),
            "ClusterRoleBinding.rbac.authorization.k8s.io \"crb-rules\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef"),
        ["PersistentVolume: volume source changed"] = Refused(
            [Post(PersistentVolumes, """{"apiVersion":"v1","kind":"PersistentVolume","metadata":{"name":"pv-rules"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/a"}}}""")],
            MergePatch($"{PersistentVolumes}/pv-rules", """{"spec":{"hostPath":{"path":"/b"}}}"""),
            "PersistentVolume \"pv-rules\" is invalid: spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation"),
        ["CronJob: a schedule that is not five fields"] = Refused([],
            Post("/apis/batch/v1/namespaces/default/cronjobs", """{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"cj-rules"},"spec":{"schedule":"every minute","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox"}]}}}}}}"""),
            "CronJob.batch \"cj-rules\" is invalid: spec.schedule: Invalid value: \"every minute\": expected exactly 5 fields, found 2: [every minute]"),
        ["NetworkPolicy: an unknown policy type"] = Refused([],
            Post("/apis/networking.k8s.io/v1/namespaces/default/networkpolicies", """{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"np-rules"},"spec":{"podSelector":{},"policyTypes":["Sideways"]}}"""),
            "NetworkPolicy.networking.k8s.io \"np-rules\" is invalid: spec.policyTypes[0]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\""),
        ["Role: a rule without verbs"] = Refused([],
            Post("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"role-rules"},"rules":[{"apiGroups":[""],"resources":["pods"]}]}"""),
            "Role.rbac.authorization.k8s.io \"role-rules\" is invalid: rules[0].verbs: Required value: verbs must contain at least one value"),
        ["ClusterRole: a rule for resources and non-resource URLs at once"] = Refused([],
            Post("/apis/rbac.authorization.k8s.io/v1/clusterroles", """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"cr-rules"},"rules":[{"verbs":["get"],"nonResourceURLs":["/x"],"resources":["pods"],"apiGroups":[""]}]}"""),
            "ClusterRole.rbac.authorization.k8s.io \"cr-rules\" is invalid: rules[0].nonResourceURLs: Invalid value: []string{\"/x\"}: rules cannot apply to both regular resources and non-resource URLs"),
        ["Ingress: an unknown path type"] = Refused([],
            Post("/apis/networking.k8s.io/v1/namespaces/default/ingresses", """{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"ing-rules"},"spec":{"rules":[{"http":{"paths":[{"path":"/","pathType":"Glob","backend":{"service":{"name":"s","port":{"number":80}}}}]}}]}}"""),
            "Ingress.networking.k8s.io \"ing-rules\" is invalid: spec.rules[0].http.paths[0].pathType: Unsupported value: \"Glob\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""),
        ["HorizontalPodAutoscaler: maxReplicas below minReplicas"] = Refused([],
            Post("/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", """{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"hpa-rules"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"d"},"minReplicas":5,"maxReplicas":3}}"""),
            "HorizontalPodAutoscaler.autoscaling \"hpa-rules\" is invalid: spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`"),
        ["Namespace: a name that is not a DNS label"] = Refused([],
            Post("/api/v1/namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"Bad_NS"}}"""),
            "Namespace \"Bad_NS\" is invalid: metadata.name: Invalid value: \"Bad_NS\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"),
        ["ServiceAccount: a name that is not a DNS subdomain"] = Refused([],
            Post("/api/v1/namespaces/default/serviceaccounts", """{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"Bad_SA"}}"""),
            "ServiceAccount \"Bad_SA\" is invalid: metadata.name: Invalid value: \"Bad_SA\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_writes_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);
}

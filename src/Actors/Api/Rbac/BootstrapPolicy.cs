using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// kube-apiserver's bootstrap policy (plugin/pkg/auth/authorizer/rbac/bootstrappolicy): here the
/// user-facing part, cluster-admin, the aggregated admin/edit/view with the system:aggregate-to-*
/// roles that feed them, system:basic-user, system:discovery, system:monitoring,
/// system:public-info-viewer; the components' roles in <see cref="ComponentPolicy"/>, the
/// controllers' in <see cref="ControllerPolicy"/>; and all their bindings.
/// Every object carries kubernetes.io/bootstrapping=rbac-defaults and the autoupdate annotation.
/// </summary>
public static class BootstrapPolicy
{
    public const string AutoUpdateAnnotation = "rbac.authorization.kubernetes.io/autoupdate";
    public const string BootstrappingLabel = "kubernetes.io/bootstrapping";
    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    internal static readonly string[] Read = ["get", "list", "watch"];
    internal static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    internal static readonly string[] ReadWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static IReadOnlyList<V1ClusterRole> ClusterRoles() =>
        [.. UserRoles(), .. ComponentPolicy.ClusterRoles(), .. ControllerPolicy.ClusterRoles()];

    public static IReadOnlyList<V1ClusterRoleBinding> ClusterRoleBindings() =>
        [.. UserBindings(), .. ComponentPolicy.ClusterRoleBindings(), .. ControllerPolicy.ClusterRoleBindings()];

    private static IEnumerable<V1ClusterRole> UserRoles() =>
    [
        Role("admin", [], Aggregated(AggregateToAdmin)),
        Role("cluster-admin", [Rule(["*"], ["*"], "*"), Urls(["*"], "*")]),
        Role("edit", [], Aggregated(AggregateToEdit), (AggregateToAdmin, "true")),
        Role("system:aggregate-to-admin",
        [
            Rule(["create"], ["authorization.k8s.io"], "localsubjectaccessreviews"),
            Rule(ReadWrite, ["rbac.authorization.k8s.io"], "rolebindings", "roles"),
        ], null, (AggregateToAdmin, "true")),
        Role("system:aggregate-to-edit",
        [
            Rule(Read, [""], "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"),
            Rule(["impersonate"], [""], "serviceaccounts"),
            Rule(Write, [""], "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
            Rule(["create"], [""], "pods/eviction"),
            Rule(Write, [""], "configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                "secrets", "serviceaccounts", "services", "services/proxy"),
            Rule(["create"], [""], "serviceaccounts/token"),
            Rule(Write, ["apps"], "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                "replicasets/scale", "statefulsets", "statefulsets/scale"),
            Rule(Write, ["autoscaling"], "horizontalpodautoscalers"),
            Rule(Write, ["batch"], "cronjobs", "jobs"),
            Rule(Write, ["extensions"], "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"),
            Rule(Write, ["policy"], "poddisruptionbudgets"),
            Rule(Write, ["networking.k8s.io"], "ingresses", "networkpolicies"),
            Rule(ReadWrite, ["coordination.k8s.io"], "leases"),
        ], null, (AggregateToEdit, "true")),
        Role("system:aggregate-to-view",
        [
            Rule(Read, [""], "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
            Rule(Read, [""], "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"),
            Rule(Read, [""], "namespaces"),
            Rule(Read, ["discovery.k8s.io"], "endpointslices"),
            Rule(Read, ["apps"], "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale",
                "statefulsets/status"),
            Rule(Read, ["autoscaling"], "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
            Rule(Read, ["batch"], "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
            Rule(Read, ["extensions"], "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status",
                "replicationcontrollers/scale"),
            Rule(Read, ["policy"], "poddisruptionbudgets", "poddisruptionbudgets/status"),
            Rule(Read, ["networking.k8s.io"], "ingresses", "ingresses/status", "networkpolicies"),
        ], null, (AggregateToView, "true")),
        Role("system:basic-user",
        [
            Rule(["create"], ["authorization.k8s.io"], "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            Rule(["create"], ["authentication.k8s.io"], "selfsubjectreviews"),
        ]),
        Role("system:discovery",
            [Urls(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], "get")]),
        Role("system:monitoring",
            [Urls(["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"], "get")]),
        Role("system:public-info-viewer", [Urls(["/healthz", "/livez", "/readyz", "/version", "/version/"], "get")]),
        Role("view", [], Aggregated(AggregateToView), (AggregateToEdit, "true")),
    ];

    private static IEnumerable<V1ClusterRoleBinding> UserBindings() =>
    [
        Binding("cluster-admin", "cluster-admin", UserInfo.SystemMasters),
        Binding("system:basic-user", "system:basic-user", UserInfo.AllAuthenticated),
        Binding("system:discovery", "system:discovery", UserInfo.AllAuthenticated),
        Binding("system:monitoring", "system:monitoring", "system:monitoring"),
        Binding("system:public-info-viewer", "system:public-info-viewer", UserInfo.AllAuthenticated, UserInfo.AllUnauthenticated),
    ];

    internal static V1ClusterRole Role(string name, IList<V1PolicyRule> rules, V1AggregationRule? aggregation = null, params (string Key, string Value)[] labels) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRole",
        Metadata = Meta(name, labels),
        Rules = rules,
        AggregationRule = aggregation,
    };

    private static V1ClusterRoleBinding Binding(string name, string role, params string[] groups) =>
        Binding(name, role, groups.Select(Group).ToArray());

    /// <summary>A binding; kube-apiserver's bootstrap bindings without subjects (system:node) carry none.</summary>
    internal static V1ClusterRoleBinding Binding(string name, string role, params Rbacv1Subject[] subjects) => new()
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "ClusterRoleBinding",
        Metadata = Meta(name, []),
        RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role },
        Subjects = subjects.Length == 0 ? null : subjects.ToList(),
    };

    internal static Rbacv1Subject Group(string name) => new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "Group", Name = name };

    internal static Rbacv1Subject User(string name) => new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = name };

    internal static Rbacv1Subject ServiceAccount(string ns, string name) => new() { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns };

    private static V1ObjectMeta Meta(string name, (string Key, string Value)[] labels)
    {
        var all = new Dictionary<string, string> { [BootstrappingLabel] = "rbac-defaults" };
        foreach (var (key, value) in labels) all[key] = value;
        return new V1ObjectMeta { Name = name, Labels = all, Annotations = new Dictionary<string, string> { [AutoUpdateAnnotation] = "true" } };
    }

    private static V1AggregationRule Aggregated(string label) =>
        new() { ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [label] = "true" } }] };

    internal static V1PolicyRule Rule(IEnumerable<string> verbs, string[] groups, params string[] resources) =>
        new() { Verbs = verbs.ToList(), ApiGroups = groups, Resources = resources };

    /// <summary>A rule limited to named objects (a leader-election lease, a signer).</summary>
    internal static V1PolicyRule Named(IEnumerable<string> verbs, string[] groups, string[] names, params string[] resources) =>
        new() { Verbs = verbs.ToList(), ApiGroups = groups, Resources = resources, ResourceNames = names };

    /// <summary>eventsRule(): events created and updated in the core and events.k8s.io groups.</summary>
    internal static V1PolicyRule EventsRule() => Rule(["create", "patch", "update"], ["", "events.k8s.io"], "events");

    internal static V1PolicyRule Urls(string[] urls, params string[] verbs) => new() { Verbs = verbs, NonResourceURLs = urls };
}

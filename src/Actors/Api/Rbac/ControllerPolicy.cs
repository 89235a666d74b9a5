using k8s.Models;
using static Akka.KubeEmu.Actors.Api.Rbac.BootstrapPolicy;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// The system:controller:* roles of the kube-controller-manager controllers this emulator runs
/// (controller_policy.go), each bound to the controller's ServiceAccount in kube-system, as
/// kube-controller-manager's --use-service-account-credentials identities are. The emulator's
/// controllers call the API in-process and are not authorized by these: they are what
/// <c>kubectl auth can-i --as=system:serviceaccount:kube-system:NAME</c> answers from.
/// </summary>
public static class ControllerPolicy
{
    public const string Prefix = "system:controller:";

    private static readonly string[] Core = [""];
    private static readonly string[] Apps = ["apps", "extensions"];

    private static IEnumerable<(string Name, V1PolicyRule[] Rules)> Controllers() =>
    [
        ("attachdetach-controller",
        [
            Rule(["list", "watch"], Core, "persistentvolumeclaims", "persistentvolumes"),
            Rule(Read, Core, "nodes"),
            Rule(["patch", "update"], Core, "nodes/status"),
            Rule(["list", "watch"], Core, "pods"),
            EventsRule(),
            Rule(["create", "delete", "get", "list", "watch"], ["storage.k8s.io"], "volumeattachments"),
            Rule(Read, ["storage.k8s.io"], "csidrivers"),
            Rule(Read, ["storage.k8s.io"], "csinodes"),
        ]),
        ("clusterrole-aggregation-controller",
            [Rule(["escalate", "get", "list", "patch", "update", "watch"], ["rbac.authorization.k8s.io"], "clusterroles")]),
        ("cronjob-controller",
        [
            Rule(["get", "list", "update", "watch"], ["batch"], "cronjobs"),
            Rule(["create", "delete", "get", "list", "patch", "update", "watch"], ["batch"], "jobs"),
            Rule(["update"], ["batch"], "cronjobs/status"),
            Rule(["update"], ["batch"], "cronjobs/finalizers"),
            Rule(["delete", "list"], Core, "pods"),
            EventsRule(),
        ]),
        ("daemon-set-controller",
        [
            Rule(Read, Apps, "daemonsets"),
            Rule(["update"], Apps, "daemonsets/status"),
            Rule(["update"], Apps, "daemonsets/finalizers"),
            Rule(["list", "watch"], Core, "nodes"),
            Rule(["create", "delete", "list", "patch", "watch"], Core, "pods"),
            Rule(["create"], Core, "pods/binding"),
            Rule(["create", "delete", "get", "list", "patch", "update", "watch"], ["apps"], "controllerrevisions"),
            EventsRule(),
        ]),
        ("deployment-controller",
        [
            Rule(["get", "list", "update", "watch"], Apps, "deployments"),
            Rule(["update"], Apps, "deployments/status"),
            Rule(["update"], Apps, "deployments/finalizers"),
            Rule(["create", "delete", "get", "list", "patch", "update", "watch"], Apps, "replicasets"),
            Rule(["get", "list", "update", "watch"], Core, "pods"),
            EventsRule(),
        ]),
        ("disruption-controller",
        [
            Rule(Read, Apps, "deployments"),
            Rule(Read, Apps, "replicasets"),
            Rule(Read, Core, "replicationcontrollers"),
            Rule(Read, ["policy"], "poddisruptionbudgets"),
            Rule(Read, ["apps"], "statefulsets"),
            Rule(["update"], ["policy"], "poddisruptionbudgets/status"),
            Rule(["patch", "update"], Core, "pods/status"),
            Rule(["get"], ["*"], "*/scale"),
            EventsRule(),
        ]),
        ("endpoint-controller",
        [
            Rule(Read, Core, "pods", "services"),
            Rule(["create", "delete", "get", "list", "update"], Core, "endpoints"),
            Rule(["create"], Core, "endpoints/restricted"),
            EventsRule(),
        ]),
        ("endpointslice-controller",
        [
            Rule(Read, Core, "nodes", "pods", "services"),
            Rule(["update"], Core, "services/finalizers"),
            Rule(["create", "delete", "get", "list", "update"], ["discovery.k8s.io"], "endpointslices"),
            EventsRule(),
        ]),
        ("generic-garbage-collector",
        [
            Rule(["delete", "get", "list", "patch", "update", "watch"], ["*"], "*"),
            EventsRule(),
        ]),
        ("job-controller",
        [
            Rule(["get", "list", "patch", "update", "watch"], ["batch"], "jobs"),
            Rule(["update"], ["batch"], "jobs/status"),
            Rule(["update"], ["batch"], "jobs/finalizers"),
            Rule(["create", "delete", "list", "patch", "watch"], Core, "pods"),
            EventsRule(),
        ]),
        ("namespace-controller",
        [
            Rule(["delete", "get", "list", "watch"], Core, "namespaces"),
            Rule(["update"], Core, "namespaces/finalize", "namespaces/status"),
            Rule(["delete", "deletecollection", "get", "list"], ["*"], "*"),
        ]),
        ("node-controller",
        [
            Rule(["delete", "get", "list", "patch", "update"], Core, "nodes"),
            Rule(["patch", "update"], Core, "nodes/status"),
            Rule(["patch", "update"], Core, "pods/status"),
            Rule(["delete", "get", "list"], Core, "pods"),
            EventsRule(),
        ]),
        ("persistent-volume-binder",
        [
            Rule(["create", "delete", "get", "list", "update", "watch"], Core, "persistentvolumes"),
            Rule(["update"], Core, "persistentvolumes/status"),
            Rule(["get", "list", "update", "watch"], Core, "persistentvolumeclaims"),
            Rule(["update"], Core, "persistentvolumeclaims/status"),
            Rule(["create", "delete", "get", "list", "watch"], Core, "pods"),
            Rule(Read, ["storage.k8s.io"], "storageclasses"),
            Rule(["list", "watch"], Core, "nodes"),
            EventsRule(),
            Rule(["watch"], Core, "events"),
            Rule(["get"], Core, "services"),
        ]),
        ("pod-garbage-collector",
        [
            Rule(["delete", "list", "watch"], Core, "pods"),
            Rule(["get", "list"], Core, "nodes"),
            Rule(["patch"], Core, "pods/status"),
        ]),
        ("pv-protection-controller",
        [
            Rule(["get", "list", "update", "watch"], Core, "persistentvolumes"),
            EventsRule(),
        ]),
        ("pvc-protection-controller",
        [
            Rule(["get", "list", "update", "watch"], Core, "persistentvolumeclaims"),
            Rule(Read, Core, "pods"),
            EventsRule(),
        ]),
        ("replicaset-controller",
        [
            Rule(["get", "list", "update", "watch"], Apps, "replicasets"),
            Rule(["update"], Apps, "replicasets/status"),
            Rule(["update"], Apps, "replicasets/finalizers"),
            Rule(["create", "delete", "list", "patch", "watch"], Core, "pods"),
            EventsRule(),
        ]),
        ("resourcequota-controller",
        [
            Rule(["list", "watch"], ["*"], "*"),
            Rule(["update"], Core, "resourcequotas/status"),
            EventsRule(),
        ]),
        ("root-ca-cert-publisher",
        [
            Rule(["create", "update"], Core, "configmaps"),
            EventsRule(),
        ]),
        ("service-account-controller",
        [
            Rule(["create"], Core, "serviceaccounts"),
            EventsRule(),
        ]),
        ("service-controller",
        [
            Rule(Read, Core, "services"),
            Rule(["patch", "update"], Core, "services/status"),
            Rule(["list", "watch"], Core, "nodes"),
            EventsRule(),
        ]),
        ("statefulset-controller",
        [
            Rule(["list", "watch"], Core, "pods"),
            Rule(Read, ["apps"], "statefulsets"),
            Rule(["update"], ["apps"], "statefulsets/status"),
            Rule(["update"], ["apps"], "statefulsets/finalizers"),
            Rule(["create", "delete", "get", "patch", "update"], Core, "pods"),
            Rule(["create", "delete", "get", "list", "patch", "update", "watch"], ["apps"], "controllerrevisions"),
            Rule(["create", "get", "list", "watch"], Core, "persistentvolumeclaims"),
            EventsRule(),
            Rule(["delete", "update"], Core, "persistentvolumeclaims"),
            Rule(["update"], Core, "pods/finalizers"),
        ]),
        ("ttl-after-finished-controller",
        [
            Rule(["delete", "get", "list", "watch"], ["batch"], "jobs"),
            EventsRule(),
        ]),
    ];

    public static IEnumerable<V1ClusterRole> ClusterRoles() => Controllers().Select(c => Role(Prefix + c.Name, c.Rules));

    public static IEnumerable<V1ClusterRoleBinding> ClusterRoleBindings() =>
        Controllers().Select(c => Binding(Prefix + c.Name, Prefix + c.Name, ServiceAccount("kube-system", c.Name)));
}

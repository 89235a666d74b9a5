using k8s.Models;
using static Akka.KubeEmu.Actors.Api.Rbac.BootstrapPolicy;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// The bootstrap cluster roles of the Kubernetes components and their bindings, as a v1.32
/// kube-apiserver creates them with its default feature gates (the rules behind gates that are off,
/// e.g. DynamicResourceAllocation, CoordinatedLeaderElection and MultiCIDRServiceAllocator, are not
/// here). system:node is bound to no subject: nodes are authorized by the Node authorizer first.
/// </summary>
public static class ComponentPolicy
{
    private static readonly string[] Core = [""];
    private static readonly string[] Storage = ["storage.k8s.io"];
    private static readonly string[] Coordination = ["coordination.k8s.io"];
    private static readonly string[] Certificates = ["certificates.k8s.io"];

    public static IEnumerable<V1ClusterRole> ClusterRoles() =>
    [
        Role("system:auth-delegator",
        [
            Rule(["create"], ["authentication.k8s.io"], "tokenreviews"),
            Rule(["create"], ["authorization.k8s.io"], "subjectaccessreviews"),
        ]),
        Role("system:certificates.k8s.io:certificatesigningrequests:nodeclient",
            [Rule(["create"], Certificates, "certificatesigningrequests/nodeclient")]),
        Role("system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
            [Rule(["create"], Certificates, "certificatesigningrequests/selfnodeclient")]),
        Signer("system:certificates.k8s.io:kube-apiserver-client-approver", "kubernetes.io/kube-apiserver-client"),
        Signer("system:certificates.k8s.io:kube-apiserver-client-kubelet-approver", "kubernetes.io/kube-apiserver-client-kubelet"),
        Signer("system:certificates.k8s.io:kubelet-serving-approver", "kubernetes.io/kubelet-serving"),
        Signer("system:certificates.k8s.io:legacy-unknown-approver", "kubernetes.io/legacy-unknown"),
        Role("system:heapster",
        [
            Rule(Read, Core, "events", "namespaces", "nodes", "pods"),
            Rule(Read, ["extensions"], "deployments"),
        ]),
        Role("system:kube-aggregator", [Rule(Read, Core, "endpoints", "services")]),
        Role("system:kube-controller-manager",
        [
            EventsRule(),
            Rule(["create"], Coordination, "leases"),
            Named(["get", "update"], Coordination, ["kube-controller-manager"], "leases"),
            Rule(["create"], Core, "secrets", "serviceaccounts"),
            Rule(["delete"], Core, "secrets"),
            Rule(["get"], Core, "configmaps", "namespaces", "secrets", "serviceaccounts"),
            Rule(["update"], Core, "secrets", "serviceaccounts"),
            Rule(["create"], ["authentication.k8s.io"], "tokenreviews"),
            Rule(["create"], ["authorization.k8s.io"], "subjectaccessreviews"),
            Rule(["list", "watch"], ["*"], "*"),
            Rule(["create"], Core, "serviceaccounts/token"),
        ]),
        Role("system:kube-dns", [Rule(["list", "watch"], Core, "endpoints", "services")]),
        Role("system:kube-scheduler",
        [
            EventsRule(),
            Rule(["create"], Coordination, "leases"),
            Named(["get", "update"], Coordination, ["kube-scheduler"], "leases"),
            Rule(Read, Core, "nodes"),
            Rule(["delete", "get", "list", "watch"], Core, "pods"),
            Rule(["create"], Core, "bindings", "pods/binding"),
            Rule(["patch", "update"], Core, "pods/status"),
            Rule(Read, Core, "replicationcontrollers", "services"),
            Rule(Read, ["apps", "extensions"], "replicasets"),
            Rule(Read, ["apps"], "statefulsets"),
            Rule(Read, ["policy"], "poddisruptionbudgets"),
            Rule(Read, Core, "persistentvolumeclaims", "persistentvolumes"),
            Rule(["create"], ["authentication.k8s.io"], "tokenreviews"),
            Rule(["create"], ["authorization.k8s.io"], "subjectaccessreviews"),
            Rule(Read, Storage, "csinodes"),
            Rule(Read, Storage, "volumeattachments"),
            Rule(Read, Core, "namespaces"),
            Rule(Read, Storage, "csidrivers"),
            Rule(Read, Storage, "csistoragecapacities"),
        ]),
        Role("system:kubelet-api-admin",
        [
            Rule(Read, Core, "nodes"),
            Rule(["proxy"], Core, "nodes"),
            Rule(["*"], Core, "nodes/log", "nodes/metrics", "nodes/proxy", "nodes/stats"),
            Rule(["*"], Core, "nodes/configz", "nodes/healthz", "nodes/pods"),
        ]),
        Role("system:node",
        [
            Rule(["create"], ["authentication.k8s.io"], "tokenreviews"),
            Rule(["create"], ["authorization.k8s.io"], "localsubjectaccessreviews", "subjectaccessreviews"),
            Rule(Read, Core, "services"),
            Rule(["create", "get", "list", "watch"], Core, "nodes"),
            Rule(["patch", "update"], Core, "nodes/status"),
            Rule(["patch", "update"], Core, "nodes"),
            EventsRule(),
            Rule(Read, Core, "pods"),
            Rule(["create", "delete"], Core, "pods"),
            Rule(["patch", "update"], Core, "pods/status"),
            Rule(["create"], Core, "pods/eviction"),
            Rule(Read, Core, "configmaps", "secrets"),
            Rule(["get"], Core, "persistentvolumeclaims", "persistentvolumes"),
            Rule(["get"], Core, "endpoints"),
            Rule(["create", "get", "list", "watch"], Certificates, "certificatesigningrequests"),
            Rule(["create", "delete", "get", "patch", "update"], Coordination, "leases"),
            Rule(["get"], Storage, "volumeattachments"),
            Rule(["create"], Core, "serviceaccounts/token"),
            Rule(["get", "patch", "update"], Core, "persistentvolumeclaims/status"),
            Rule(Read, Storage, "csidrivers"),
            Rule(["create", "delete", "get", "patch", "update"], Storage, "csinodes"),
            Rule(Read, ["node.k8s.io"], "runtimeclasses"),
        ]),
        Role("system:node-bootstrapper", [Rule(["create", "get", "list", "watch"], Certificates, "certificatesigningrequests")]),
        Role("system:node-problem-detector",
        [
            Rule(["get"], Core, "nodes"),
            Rule(["patch"], Core, "nodes/status"),
            EventsRule(),
        ]),
        Role("system:node-proxier",
        [
            Rule(["list", "watch"], Core, "endpoints", "services"),
            Rule(Read, Core, "nodes"),
            EventsRule(),
            Rule(["list", "watch"], ["discovery.k8s.io"], "endpointslices"),
        ]),
        Role("system:persistent-volume-provisioner",
        [
            Rule(["create", "delete", "get", "list", "watch"], Core, "persistentvolumes"),
            Rule(["get", "list", "update", "watch"], Core, "persistentvolumeclaims"),
            Rule(Read, Storage, "storageclasses"),
            Rule(["watch"], Core, "events"),
            EventsRule(),
        ]),
        Role("system:service-account-issuer-discovery",
            [Urls(["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"], "get")]),
        Role("system:volume-scheduler",
        [
            Rule(["get", "list", "patch", "update", "watch"], Core, "persistentvolumes"),
            Rule(Read, Storage, "storageclasses"),
            Rule(["get", "list", "patch", "update", "watch"], Core, "persistentvolumeclaims"),
        ]),
    ];

    public static IEnumerable<V1ClusterRoleBinding> ClusterRoleBindings() =>
    [
        Binding("system:kube-controller-manager", "system:kube-controller-manager", User("system:kube-controller-manager")),
        Binding("system:kube-dns", "system:kube-dns", ServiceAccount("kube-system", "kube-dns")),
        Binding("system:kube-scheduler", "system:kube-scheduler", User("system:kube-scheduler")),
        Binding("system:node", "system:node"),
        Binding("system:node-proxier", "system:node-proxier", User("system:kube-proxy")),
        Binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", Group("system:serviceaccounts")),
        Binding("system:volume-scheduler", "system:volume-scheduler", User("system:kube-scheduler")),
    ];

    private static V1ClusterRole Signer(string name, string signer) =>
        Role(name, [Named(["approve"], Certificates, [signer], "signers")]);
}

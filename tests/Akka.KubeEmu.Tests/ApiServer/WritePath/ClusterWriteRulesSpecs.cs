using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// The strategies of the remaining served kinds with write rules of their own: Service cluster IPs,
/// StorageClass, PriorityClass, RoleBinding, Node, Lease, and the generations of EndpointSlices and
/// webhook configurations.
/// </summary>
public sealed class ClusterWriteRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string Services = "/api/v1/namespaces/default/services";
    private const string StorageClasses = "/apis/storage.k8s.io/v1/storageclasses";
    private const string PriorityClasses = "/apis/scheduling.k8s.io/v1/priorityclasses";
    private const string RoleBindings = "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings";
    private const string Nodes = "/api/v1/nodes";
    private const string Leases = "/apis/coordination.k8s.io/v1/namespaces/default/leases";
    private const string EndpointSlices = "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices";
    private const string Webhooks = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";

    private static WriteStep Service(string name, string spec = "") =>
        Post(Services, $$$"""{"apiVersion":"v1","kind":"Service","metadata":{"name":"{{{name}}}"},"spec":{"ports":[{"port":80}]{{{spec}}}}}""");

    private static WriteStep StorageClass(string name) =>
        Post(StorageClasses, $$$"""{"apiVersion":"storage.k8s.io/v1","kind":"StorageClass","metadata":{"name":"{{{name}}}"},"provisioner":"example.com/a","parameters":{"tier":"gold"}}""");

    private static WriteStep Lease(string name, int duration) =>
        Post(Leases, $$$"""{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"{{{name}}}"},"spec":{"holderIdentity":"a","leaseDurationSeconds":{{{duration}}}}}""");

    private static WriteStep Node(string name) =>
        Post(Nodes, $$$"""{"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}"},"spec":{"providerID":"kubeemu://{{{name}}}","podCIDRs":["10.244.1.0/24"],"podCIDR":"10.244.1.0/24"}}""");

    private static WriteStep Slice(string name) =>
        Post(EndpointSlices, $$$"""{"apiVersion":"discovery.k8s.io/v1","kind":"EndpointSlice","metadata":{"name":"{{{name}}}"},"addressType":"IPv4","endpoints":[{"addresses":["10.0.0.1"]}],"ports":[{"port":80}]}""");

    private static WriteStep Webhook(string name) =>
        Post(Webhooks, $$$"""
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"ValidatingWebhookConfiguration","metadata":{"name":"{{{name}}}"},
             "webhooks":[{"name":"a.example.com","clientConfig":{"url":"https://example.com/a"},"sideEffects":"None","admissionReviewVersions":["v1"]}]}
            """);

    private const string Definitions = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

    private static string Definition(string group) => """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.GROUP"},
         "spec":{"group":"GROUP","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},
          "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """.Replace("GROUP", group);

    private static string Widget(string group, string name) =>
        $$$"""{"apiVersion":"{{{group}}}/v1","kind":"Widget","metadata":{"name":"{{{name}}}"},"spec":{"size":1}}""";

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["custom resource: PUT without resourceVersion"] = Refused(
            [Post(Definitions, Definition("replace.kubeemu.test")), Post("/apis/replace.kubeemu.test/v1/namespaces/default/widgets", Widget("replace.kubeemu.test", "w"))],
            Put("/apis/replace.kubeemu.test/v1/namespaces/default/widgets/w", Widget("replace.kubeemu.test", "w")),
            "widgets.replace.kubeemu.test \"w\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"),
        ["CustomResourceDefinition: PUT without resourceVersion"] = Refused([Post(Definitions, Definition("replace-crd.kubeemu.test"))],
            Put($"{Definitions}/widgets.replace-crd.kubeemu.test", Definition("replace-crd.kubeemu.test")),
            "customresourcedefinitions.apiextensions.k8s.io \"widgets.replace-crd.kubeemu.test\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update"),
        ["Service: clusterIP changed"] = Refused([Service("svc-ip", ""","clusterIP":"10.96.0.50" """)],
            MergePatch($"{Services}/svc-ip", """{"spec":{"clusterIP":"10.96.0.51","clusterIPs":["10.96.0.51"]}}"""),
            "Service \"svc-ip\" is invalid: spec.clusterIPs[0]: Invalid value: [\"10.96.0.51\"]: may not change once set"),
        ["Service: NodePort to ClusterIP with a node port of its own"] = Refused([Service("svc-nodeport-kept", ""","type":"NodePort" """)],
            MergePatch($"{Services}/svc-nodeport-kept", """{"spec":{"type":"ClusterIP","ports":[{"port":80,"nodePort":30999}]}}"""),
            "Service \"svc-nodeport-kept\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
        ["PUT of a ConfigMap that does not exist"] = Refused([],
            Put("/api/v1/namespaces/default/configmaps/put-missing", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"put-missing"}}"""),
            "configmaps \"put-missing\" not found", 404, "NotFound"),
        ["StorageClass: provisioner and parameters changed"] = Refused([StorageClass("sc-immutable")],
            MergePatch($"{StorageClasses}/sc-immutable", """{"provisioner":"example.com/b","parameters":{"tier":"silver"}}"""),
            "StorageClass.storage.k8s.io \"sc-immutable\" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden.]"),
        ["PriorityClass: value changed"] = Refused(
            [Post(PriorityClasses, """{"apiVersion":"scheduling.k8s.io/v1","kind":"PriorityClass","metadata":{"name":"pc-value"},"value":1000}""")],
            MergePatch($"{PriorityClasses}/pc-value", """{"value":2000}"""),
            "PriorityClass.scheduling.k8s.io \"pc-value\" is invalid: value: Forbidden: may not be changed in an update."),
        ["RoleBinding: roleRef changed"] = Refused(
            [Post(RoleBindings, """{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb-ref"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"a"},"subjects":[{"kind":"User","name":"u","apiGroup":"rbac.authorization.k8s.io"}]}""")],
            MergePatch($"{RoleBindings}/rb-ref", """{"roleRef":{"name":"b"}}"""),
            "RoleBinding.rbac.authorization.k8s.io \"rb-ref\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"b\"}: cannot change roleRef"),
        ["Node: providerID changed"] = Refused([Node("node-provider")],
            MergePatch($"{Nodes}/node-provider", """{"spec":{"providerID":"kubeemu://elsewhere"}}"""),
            "Node \"node-provider\" is invalid: spec.providerID: Forbidden: node updates may not change providerID except from \"\" to valid"),
        ["Node: podCIDRs changed"] = Refused([Node("node-cidr")],
            MergePatch($"{Nodes}/node-cidr", """{"spec":{"podCIDR":"10.244.2.0/24","podCIDRs":["10.244.2.0/24"]}}"""),
            "Node \"node-cidr\" is invalid: spec.podCIDRs: Forbidden: node updates may not change podCIDR except from \"\" to valid"),
        ["Lease: a duration that is not positive"] = Refused([],
            Lease("lease-zero", 0),
            "Lease.coordination.k8s.io \"lease-zero\" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"),
        ["Lease: negative transitions on update"] = Refused([Lease("lease-transitions", 15)],
            MergePatch($"{Leases}/lease-transitions", """{"spec":{"leaseTransitions":-1}}"""),
            "Lease.coordination.k8s.io \"lease-transitions\" is invalid: spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"),
    };

    private static readonly Dictionary<string, AcceptedWrite> AcceptedRows = new()
    {
        ["Service: an update without clusterIP keeps the allocated one"] = Accepted([Service("svc-keep", ""","clusterIP":"10.96.0.60" """)],
            MergePatch($"{Services}/svc-keep", """{"spec":{"clusterIP":null,"clusterIPs":null,"ports":[{"port":81}]}}"""),
            ("spec.clusterIP", "\"10.96.0.60\""), ("spec.clusterIPs", """["10.96.0.60"]""")),
        ["Service: NodePort to ClusterIP drops what only node ports use"] = Accepted([Service("svc-nodeport", ""","type":"NodePort" """)],
            MergePatch($"{Services}/svc-nodeport", """{"spec":{"type":"ClusterIP"}}"""),
            ("spec.type", "\"ClusterIP\""), ("spec.ports.0.nodePort", null), ("spec.externalTrafficPolicy", null)),
        ["Service: LoadBalancer to ClusterIP drops allocateLoadBalancerNodePorts"] = Accepted([Service("svc-lb", ""","type":"LoadBalancer" """)],
            MergePatch($"{Services}/svc-lb", """{"spec":{"type":"ClusterIP"}}"""),
            ("spec.allocateLoadBalancerNodePorts", null), ("spec.ports.0.nodePort", null)),
        ["Service: ClusterIP to ExternalName drops the cluster IPs"] = Accepted([Service("svc-external")],
            MergePatch($"{Services}/svc-external", """{"spec":{"type":"ExternalName","externalName":"example.com"}}"""),
            ("spec.clusterIP", null), ("spec.clusterIPs", null), ("spec.ipFamilies", null), ("spec.ipFamilyPolicy", null)),
        ["Service: PUT of one that does not exist creates it"] = Created([],
            Put($"{Services}/svc-put", """{"apiVersion":"v1","kind":"Service","metadata":{"name":"svc-put","resourceVersion":"12345"},"spec":{"ports":[{"port":80}]}}"""),
            ("metadata.name", "\"svc-put\""), ("spec.type", "\"ClusterIP\"")),
        ["Lease: PUT of one that does not exist creates it"] = Created([],
            Put($"{Leases}/lease-put", """{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"lease-put"},"spec":{"holderIdentity":"a"}}"""),
            ("spec.holderIdentity", "\"a\"")),
        ["Node: podCIDRs set where there were none"] = Accepted(
            [Post(Nodes, """{"apiVersion":"v1","kind":"Node","metadata":{"name":"node-unassigned"}}""")],
            MergePatch($"{Nodes}/node-unassigned", """{"spec":{"podCIDR":"10.244.3.0/24","podCIDRs":["10.244.3.0/24"]}}"""),
            ("spec.podCIDRs", """["10.244.3.0/24"]""")),
        ["EndpointSlice: a new endpoint is a new generation"] = Accepted([Slice("slice-endpoints")],
            MergePatch($"{EndpointSlices}/slice-endpoints", """{"endpoints":[{"addresses":["10.0.0.2"]}]}"""),
            ("metadata.generation", "2")),
        ["EndpointSlice: a label change is a new generation"] = Accepted([Slice("slice-labels")],
            MergePatch($"{EndpointSlices}/slice-labels", """{"metadata":{"labels":{"team":"a"}}}"""),
            ("metadata.generation", "2")),
        ["EndpointSlice: an annotation change is not"] = Accepted([Slice("slice-annotations")],
            MergePatch($"{EndpointSlices}/slice-annotations", """{"metadata":{"annotations":{"team":"a"}}}"""),
            ("metadata.generation", "1")),
        ["ValidatingWebhookConfiguration: changed webhooks are a new generation"] = Accepted([Webhook("webhook-changed")],
            MergePatch($"{Webhooks}/webhook-changed", """{"webhooks":[{"name":"a.example.com","clientConfig":{"url":"https://example.com/b"},"sideEffects":"None","admissionReviewVersions":["v1"]}]}"""),
            ("metadata.generation", "2")),
        ["ValidatingWebhookConfiguration: a label change is not"] = Accepted([Webhook("webhook-labels")],
            MergePatch($"{Webhooks}/webhook-labels", """{"metadata":{"labels":{"team":"a"}}}"""),
            ("metadata.generation", "1")),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    public static TheoryData<string> Acceptances => new(AcceptedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_writes_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);

    [Theory, MemberData(nameof(Acceptances))]
    public Task Accepted_writes_store_what_the_apiserver_stores(string row) => Run(holder.Fixture.Client, AcceptedRows[row]);
}

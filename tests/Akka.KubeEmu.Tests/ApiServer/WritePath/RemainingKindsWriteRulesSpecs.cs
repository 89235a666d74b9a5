using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer.WritePath;

/// <summary>
/// The kinds the other tables leave out: what ValidateX of Endpoints, Event, PersistentVolumeClaim,
/// ReplicationController, ResourceQuota, LimitRange, ControllerRevision, PodDisruptionBudget,
/// CSIDriver, CSINode, CSIStorageCapacity, VolumeAttachment and MutatingWebhookConfiguration refuse,
/// and what their strategies store.
/// </summary>
public sealed class RemainingKindsWriteRulesSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string Endpoints = "/api/v1/namespaces/default/endpoints";
    private const string Events = "/api/v1/namespaces/default/events";
    private const string Claims = "/api/v1/namespaces/default/persistentvolumeclaims";
    private const string Controllers = "/api/v1/namespaces/default/replicationcontrollers";
    private const string Quotas = "/api/v1/namespaces/default/resourcequotas";
    private const string LimitRanges = "/api/v1/namespaces/default/limitranges";
    private const string Revisions = "/apis/apps/v1/namespaces/default/controllerrevisions";
    private const string Budgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";
    private const string CsiDrivers = "/apis/storage.k8s.io/v1/csidrivers";
    private const string CsiNodes = "/apis/storage.k8s.io/v1/csinodes";
    private const string Capacities = "/apis/storage.k8s.io/v1/namespaces/default/csistoragecapacities";
    private const string Attachments = "/apis/storage.k8s.io/v1/volumeattachments";
    private const string MutatingWebhooks = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

    private static WriteStep Endpoint(string name, string ip, int port = 80) =>
        Post(Endpoints, $$$"""{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"{{{name}}}"},"subsets":[{"addresses":[{"ip":"{{{ip}}}"}],"ports":[{"port":{{{port}}}}]}]}""");

    private static WriteStep ReplicationController(string name, string labels, int replicas = 1) =>
        Post(Controllers, """
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"NAME"},
             "spec":{"replicas":REPLICAS,"selector":{"app":"a"},"template":{"metadata":{"labels":LABELS},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """.Replace("NAME", name).Replace("REPLICAS", replicas.ToString(System.Globalization.CultureInfo.InvariantCulture)).Replace("LABELS", labels));

    private static WriteStep CsiDriver(string name) =>
        Post(CsiDrivers, $$$"""{"apiVersion":"storage.k8s.io/v1","kind":"CSIDriver","metadata":{"name":"{{{name}}}"},"spec":{"attachRequired":true}}""");

    private static WriteStep MutatingWebhook(string name, string webhooks) =>
        Post(MutatingWebhooks, $$$"""{"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"{{{name}}}"},"webhooks":{{{webhooks}}}}""");

    private static string Hook(string name, string extra = "") =>
        $$$"""{"name":"{{{name}}}","clientConfig":{"url":"https://example.com/a"},"sideEffects":"None","admissionReviewVersions":["v1"]{{{extra}}}}""";

    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["Endpoints: an address that is not an IP"] = Refused([], Endpoint("ep-not-ip", "10.0.0"),
            "Endpoints \"ep-not-ip\" is invalid: [subsets[0].addresses[0].ip: Invalid value: \"10.0.0\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), " +
            "subsets[0].addresses[0].ip: Invalid value: \"10.0.0\": must be a valid IP address]"),
        ["Endpoints: a link-local address"] = Refused([], Endpoint("ep-link-local", "169.254.1.1"),
            "Endpoints \"ep-link-local\" is invalid: subsets[0].addresses[0].ip: Invalid value: \"169.254.1.1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)"),
        ["Endpoints: a port out of range"] = Refused([], Endpoint("ep-port", "10.0.0.1", 0),
            "Endpoints \"ep-port\" is invalid: subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"),
        ["Event: involvedObject in another namespace"] = Refused([],
            Post(Events, """{"apiVersion":"v1","kind":"Event","metadata":{"name":"ev-ns"},"involvedObject":{"kind":"Pod","name":"p","namespace":"other"},"reason":"Started","message":"m"}"""),
            "Event \"ev-ns\" is invalid: involvedObject.namespace: Invalid value: \"other\": does not match event.namespace"),
        ["PersistentVolumeClaim: no access mode and no storage request"] = Refused([],
            Post(Claims, """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"pvc-empty"},"spec":{}}"""),
            "PersistentVolumeClaim \"pvc-empty\" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]"),
        ["ReplicationController: selector does not match the template"] = Refused([], ReplicationController("rc-selector", """{"app":"b"}"""),
            "ReplicationController \"rc-selector\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"b\"}: `selector` does not match template `labels`"),
        ["ReplicationController: negative replicas"] = Refused([], ReplicationController("rc-negative", """{"app":"a"}""", -1),
            "ReplicationController \"rc-negative\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        ["ResourceQuota: a negative hard limit"] = Refused([],
            Post(Quotas, """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"rq-negative"},"spec":{"hard":{"pods":"-1"}}}"""),
            "ResourceQuota \"rq-negative\" is invalid: spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0"),
        ["LimitRange: a default for the Pod type"] = Refused([],
            Post(LimitRanges, """{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"lr-pod-default"},"spec":{"limits":[{"type":"Pod","default":{"cpu":"1"}}]}}"""),
            "LimitRange \"lr-pod-default\" is invalid: spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"),
        ["ControllerRevision: a negative revision"] = Refused([],
            Post(Revisions, """{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"cr-negative"},"data":{},"revision":-1}"""),
            "ControllerRevision.apps \"cr-negative\" is invalid: revision: Invalid value: -1: must be greater than or equal to 0"),
        ["PodDisruptionBudget: a negative minAvailable"] = Refused([],
            Post(Budgets, """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb-negative"},"spec":{"minAvailable":-1,"selector":{"matchLabels":{"app":"a"}}}}"""),
            "PodDisruptionBudget.policy \"pdb-negative\" is invalid: spec.minAvailable: Invalid value: -1: must be greater than or equal to 0"),
        ["CSIDriver: attachRequired changed"] = Refused([CsiDriver("attach.csi.example.com")],
            MergePatch($"{CsiDrivers}/attach.csi.example.com", """{"spec":{"attachRequired":false}}"""),
            "CSIDriver.storage.k8s.io \"attach.csi.example.com\" is invalid: spec.attachRequired: Invalid value: false: field is immutable"),
        ["CSINode: a driver without nodeID"] = Refused([],
            Post(CsiNodes, """{"apiVersion":"storage.k8s.io/v1","kind":"CSINode","metadata":{"name":"csinode-empty"},"spec":{"drivers":[{"name":"csi.example.com","nodeID":""}]}}"""),
            "CSINode.storage.k8s.io \"csinode-empty\" is invalid: spec.drivers[0].nodeID: Required value"),
        ["CSIStorageCapacity: a negative capacity"] = Refused([],
            Post(Capacities, """{"apiVersion":"storage.k8s.io/v1","kind":"CSIStorageCapacity","metadata":{"name":"cap-negative"},"storageClassName":"standard","capacity":"-1Gi"}"""),
            "CSIStorageCapacity.storage.k8s.io \"cap-negative\" is invalid: capacity: Invalid value: \"-1Gi\": must be greater than or equal to 0"),
        ["VolumeAttachment: no source"] = Refused([],
            Post(Attachments, """{"apiVersion":"storage.k8s.io/v1","kind":"VolumeAttachment","metadata":{"name":"va-nosource"},"spec":{"attacher":"csi.example.com","nodeName":"n1","source":{}}}"""),
            "VolumeAttachment.storage.k8s.io \"va-nosource\" is invalid: spec.source: Required value: must specify exactly one of inlineVolumeSpec and persistentVolumeName"),
        ["VolumeAttachment: no attacher"] = Refused([],
            Post(Attachments, """{"apiVersion":"storage.k8s.io/v1","kind":"VolumeAttachment","metadata":{"name":"va-noattacher"},"spec":{"nodeName":"n1","source":{"persistentVolumeName":"pv1"}}}"""),
            "VolumeAttachment.storage.k8s.io \"va-noattacher\" is invalid: spec.attacher: Required value"),
        ["Endpoints: a subset without addresses"] = Refused([],
            Post(Endpoints, """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"ep-noaddress"},"subsets":[{"ports":[{"port":80}]}]}"""),
            "Endpoints \"ep-noaddress\" is invalid: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"),
        ["MutatingWebhookConfiguration: two webhooks of one name"] = Refused([],
            MutatingWebhook("mw-duplicate", $"[{Hook("a.example.com")},{Hook("a.example.com")}]"),
            "MutatingWebhookConfiguration.admissionregistration.k8s.io \"mw-duplicate\" is invalid: webhooks[1].name: Duplicate value: \"a.example.com\""),
        ["MutatingWebhookConfiguration: an unknown reinvocationPolicy"] = Refused([],
            MutatingWebhook("mw-reinvocation", $"[{Hook("a.example.com", ""","reinvocationPolicy":"Sometimes" """)}]"),
            "MutatingWebhookConfiguration.admissionregistration.k8s.io \"mw-reinvocation\" is invalid: webhooks[0].reinvocationPolicy: Unsupported value: \"Sometimes\": supported values: \"IfNeeded\", \"Never\""),
    };

    private static readonly Dictionary<string, AcceptedWrite> AcceptedRows = new()
    {
        ["Endpoints: a routable address"] = Created([], Endpoint("ep-routable", "10.0.0.7"), ("subsets.0.addresses.0.ip", "\"10.0.0.7\"")),
        ["Endpoints: a subset without ports (a headless Service's)"] = Created([],
            Post(Endpoints, """{"apiVersion":"v1","kind":"Endpoints","metadata":{"name":"ep-noports"},"subsets":[{"addresses":[{"ip":"10.0.0.8"}]}]}"""),
            ("subsets.0.ports", null)),
        ["Event: new-style about a pod in another namespace"] = Created([],
            Post(Events, """{"apiVersion":"v1","kind":"Event","metadata":{"name":"ev-new"},"eventTime":"2026-01-01T00:00:00.000000Z","involvedObject":{"kind":"Pod","name":"p","namespace":"other"},"reason":"Started","action":"Start","reportingComponent":"c","reportingInstance":"i"}"""),
            ("involvedObject.namespace", "\"other\"")),
        ["Event: about a cluster-scoped object in default"] = Created([],
            Post(Events, """{"apiVersion":"v1","kind":"Event","metadata":{"name":"ev-node"},"involvedObject":{"kind":"Node","name":"n1"},"reason":"Starting","message":"m"}"""),
            ("involvedObject.name", "\"n1\"")),
        ["MutatingWebhookConfiguration: defaults as v1 sets them"] = Created([],
            MutatingWebhook("mw-defaults", $"[{Hook("a.example.com")}]"),
            ("webhooks.0.reinvocationPolicy", "\"Never\""), ("webhooks.0.failurePolicy", "\"Fail\""), ("webhooks.0.matchPolicy", "\"Equivalent\""),
            ("webhooks.0.timeoutSeconds", "10")),
        ["MutatingWebhookConfiguration: changed webhooks are a new generation"] = Accepted([MutatingWebhook("mw-generation", $"[{Hook("a.example.com")}]")],
            MergePatch($"{MutatingWebhooks}/mw-generation", $"{{\"webhooks\":[{Hook("b.example.com")}]}}"),
            ("metadata.generation", "2")),
        ["CSIDriver: podInfoOnMount may change"] = Accepted([CsiDriver("podinfo.csi.example.com")],
            MergePatch($"{CsiDrivers}/podinfo.csi.example.com", """{"spec":{"podInfoOnMount":true}}"""),
            ("spec.podInfoOnMount", "true")),
        ["ReplicationController: the template's labels default the selector"] = Created([],
            Post(Controllers, """{"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"rc-default"},"spec":{"template":{"metadata":{"labels":{"app":"d"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""),
            ("spec.selector", """{"app":"d"}"""), ("spec.replicas", "1"), ("metadata.labels", """{"app":"d"}""")),
        ["ResourceQuota: status given on create is dropped"] = Created([],
            Post(Quotas, """{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"rq-status"},"spec":{"hard":{"pods":"2"}},"status":{"hard":{"pods":"9"}}}"""),
            ("status.hard", null)),
        ["PodDisruptionBudget: a spec change is a new generation"] = Accepted(
            [Post(Budgets, """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"pdb-generation"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"a"}}}}""")],
            MergePatch($"{Budgets}/pdb-generation", """{"spec":{"minAvailable":2}}"""),
            ("metadata.generation", "2")),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    public static TheoryData<string> Acceptances => new(AcceptedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_writes_answer_the_apiservers_status(string row) => Run(holder.Fixture.Client, RefusedRows[row]);

    [Theory, MemberData(nameof(Acceptances))]
    public Task Accepted_writes_store_what_the_apiserver_stores(string row) => Run(holder.Fixture.Client, AcceptedRows[row]);
}

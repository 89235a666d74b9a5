using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.ManagedFields;
using Akka.KubeEmu.Actors.Api.Resources;
using Xunit;

namespace Akka.KubeEmu.Tests.ManagedFields;

/// <summary>
/// The exact <c>fieldsV1</c> kube-apiserver records for typical writes, <c>".": {}</c> entries
/// included: a path is a member with children when the write made it appear (a label map, a
/// rolling update, a list item), never for what a Go object always carries (metadata, spec, a
/// pod template, a container list without omitempty). Expected values are the ones real clusters
/// answer for the same writes.
/// </summary>
public sealed class FieldsV1MemberSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    // `kubectl create deployment nginx --image=nginx` as stored once the defaults are set.
    private const string CreatedDeployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default","labels":{"app":"nginx"},"creationTimestamp":null},
         "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
          "template":{"metadata":{"labels":{"app":"nginx"},"creationTimestamp":null},
           "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{},"terminationMessagePath":"/dev/termination-log",
             "terminationMessagePolicy":"File","imagePullPolicy":"Always"}],
            "restartPolicy":"Always","terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","securityContext":{},"schedulerName":"default-scheduler"}},
          "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}},
          "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
         "status":{}}
        """;

    private const string CreatedDeploymentFields = """
        {"f:metadata":{"f:labels":{".":{},"f:app":{}}},
         "f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},
          "f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},
          "f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},
           "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},
             "f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
            "f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}
        """;

    // The manifest of `kubectl apply --server-side`: what it sets, nothing defaulted.
    private const string AppliedDeployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","labels":{"app":"nginx"},"annotations":{"team":"a"}},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
          "template":{"metadata":{"labels":{"app":"nginx"}},
           "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],
             "resources":{"limits":{"cpu":"500m"}},"env":[{"name":"A","value":"1"}]}]}}}}
        """;

    private const string AppliedDeploymentFields = """
        {"f:metadata":{"f:annotations":{"f:team":{}},"f:labels":{"f:app":{}}},
         "f:spec":{"f:replicas":{},"f:selector":{},
          "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
           "f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:env":{"k:{\"name\":\"A\"}":{".":{},"f:name":{},"f:value":{}}},
             "f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}},
             "f:resources":{"f:limits":{"f:cpu":{}}}}}}}}}
        """;

    private const string ScheduledPod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"default","uid":"u1"},
         "spec":{"nodeName":"node-1","containers":[{"name":"web","image":"nginx","resources":{}}]},
         "status":{"phase":"Pending","qosClass":"BestEffort",
          "conditions":[{"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-12-03T08:00:00Z"}]}}
        """;

    // The kubelet's status write once the containers run (PATCH of pods/status, manager "kubelet").
    private const string RunningPodStatus = """
        {"phase":"Running","qosClass":"BestEffort",
         "conditions":[
          {"type":"PodReadyToStartContainers","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-12-03T08:00:01Z"},
          {"type":"Initialized","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-12-03T08:00:00Z"},
          {"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-12-03T08:00:01Z"},
          {"type":"ContainersReady","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-12-03T08:00:01Z"},
          {"type":"PodScheduled","status":"True","lastProbeTime":null,"lastTransitionTime":"2026-12-03T08:00:00Z"}],
         "hostIP":"10.0.0.1","hostIPs":[{"ip":"10.0.0.1"}],"podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"}],
         "startTime":"2026-12-03T08:00:00Z",
         "containerStatuses":[{"name":"web","state":{"running":{"startedAt":"2026-12-03T08:00:01Z"}},"lastState":{},"ready":true,
          "restartCount":0,"image":"nginx:latest","imageID":"sha256:1","containerID":"containerd://1","started":true}]}
        """;

    private const string RunningPodStatusFields = """
        {"f:status":{"f:conditions":{
          "k:{\"type\":\"ContainersReady\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},
          "k:{\"type\":\"Initialized\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},
          "k:{\"type\":\"PodReadyToStartContainers\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},
          "k:{\"type\":\"Ready\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}}},
         "f:containerStatuses":{},"f:hostIP":{},"f:hostIPs":{},"f:phase":{},"f:podIP":{},
         "f:podIPs":{".":{},"k:{\"ip\":\"10.244.0.5\"}":{".":{},"f:ip":{}}},"f:startTime":{}}}
        """;

    public static TheoryData<string> Writes => ["kubectl create deployment", "kubectl apply --server-side deployment",
        "kubelet pod status", "kubectl create configmap", "kubectl create rolebinding", "custom resource create"];

    [Theory]
    [MemberData(nameof(Writes))]
    public void A_write_records_the_fieldsV1_a_real_apiserver_records(string write)
    {
        var (expected, actual) = write switch
        {
            "kubectl create deployment" => (CreatedDeploymentFields, Created(ResourceCatalog.Deployments, CreatedDeployment, "kubectl-create")),
            "kubectl apply --server-side deployment" => (AppliedDeploymentFields,
                Entry(FieldManager.Apply(ResourceCatalog.Deployments, null, Obj(AppliedDeployment), "kubectl", false, null, T0).Object!, "kubectl")),
            "kubelet pod status" => (RunningPodStatusFields, StatusWrite(ScheduledPod, RunningPodStatus)),
            "kubectl create configmap" => ("""{"f:data":{".":{},"f:a":{}}}""",
                Created(ResourceCatalog.ConfigMaps, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"a":"1"}}""", "kubectl-create")),
            // roleRef is a struct value every RoleBinding carries, and atomic; subjects an atomic list.
            "kubectl create rolebinding" => ("""{"f:roleRef":{},"f:subjects":{}}""",
                Created(ResourceCatalog.RoleBindings, """
                    {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb","namespace":"default"},
                     "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"alice","apiGroup":"rbac.authorization.k8s.io"}]}
                    """, "kubectl-create")),
            // A custom object is compared with an empty one: its spec appears, so it is a member.
            "custom resource create" => ("""{"f:spec":{".":{},"f:size":{},"f:source":{".":{},"f:url":{}}}}""",
                ObjectFields.Compare(new JsonObject(), Obj("""{"spec":{"size":3,"source":{"url":"https://x"}}}"""),
                    TypeSchema.CustomObject(Obj("""{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"integer"},"source":{"type":"object","properties":{"url":{"type":"string"}}}}}}}""")))
                    .Changed.ToFieldsV1()),
            _ => throw new ArgumentOutOfRangeException(nameof(write)),
        };
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString());
    }

    private static JsonNode? Created(ResourceType type, string json, string manager)
    {
        var obj = Obj(json);
        FieldManager.Update(type, null, obj, manager, null, T0);
        return Entry(obj, manager);
    }

    private static JsonNode? StatusWrite(string pod, string status)
    {
        var live = Obj(pod);
        FieldManager.Update(ResourceCatalog.Pods, null, live, "kubectl-run", null, T0);
        var next = live.DeepClone().AsObject();
        next["status"] = JsonNode.Parse(status);
        FieldManager.Update(ResourceCatalog.Pods, live, next, "kubelet", "status", T0.AddSeconds(1));
        return Entry(next, "kubelet");
    }

    private static JsonNode? Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == manager)!["fieldsV1"];
}

using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Logs;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.ConfigObjects;

/// <summary>
/// Pods that read ConfigMaps and Secrets on a node in virtual time: waiting for a missing source
/// (FailedMount, CreateContainerConfigError) and starting once it exists, files and variables seen
/// by the container's program, and a changed ConfigMap reaching mounted files at the next sync.
/// </summary>
public sealed class PodConfigObjectSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private IActorRef _host = ActorRefs.Nobody;

    private void Start() => _host = StartNodes("node-1");

    private JsonObject CreateConfigMap(string name, JsonObject data, bool immutable = false)
    {
        var cm = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" }, ["data"] = data };
        if (immutable) cm["immutable"] = true;
        return Create("configmaps", cm);
    }

    private void UpdateConfigMap(string name, JsonObject data)
    {
        var current = Get("configmaps", "default", name)!;
        current["data"] = data;
        var r = Await(Client.Update("configmaps", current));
        if (!r.Ok) throw new Xunit.Sdk.XunitException($"update failed: {r.Error}");
    }

    /// <summary>The container's log as `kubectl logs` reads it from the kubelet.</summary>
    private string Logs(string pod, string container)
    {
        var uid = KubeObject.Uid(Pod(pod)!)!;
        var kubelet = Sys.ActorSelection(_host.Path / "kubelet-node-1");
        var answer = kubelet.Ask<ContainerLogAnswer>(new ContainerLogRequest("node-1", uid, "default", pod, container), TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        return answer.Error ?? answer.Text;
    }

    private static JsonObject Shell(string name, string script, params JsonObject[] mounts)
    {
        var c = Container(name, "busybox", ["sh", "-c", script]);
        if (mounts.Length > 0) c["volumeMounts"] = new JsonArray(mounts.Select(m => (JsonNode)m).ToArray());
        return c;
    }

    private static JsonObject Mount(string volume, string path, string? subPath = null)
    {
        var m = new JsonObject { ["name"] = volume, ["mountPath"] = path };
        if (subPath is not null) m["subPath"] = subPath;
        return m;
    }

    private JsonObject CreatePodWithVolumes(string name, JsonArray containers, JsonArray volumes)
    {
        var spec = new JsonObject { ["nodeName"] = "node-1", ["containers"] = containers, ["volumes"] = volumes };
        return Create("pods", new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" }, ["spec"] = spec });
    }

    private static JsonNode Volume(string name, string configMap) =>
        new JsonObject { ["name"] = name, ["configMap"] = new JsonObject { ["name"] = configMap } };

    private IEnumerable<string> Messages(string pod, string reason) =>
        EventsAbout(pod).Where(e => KubeObject.String(e, "reason") == reason).Select(e => KubeObject.String(e, "message") ?? "");

    [Fact]
    public void A_pod_whose_configMap_volume_does_not_exist_waits_in_ContainerCreating_with_FailedMount_and_starts_once_it_is_created()
    {
        Start();
        CreatePodWithVolumes("kafka-0", new JsonArray(Shell("kafka", "cat /opt/scripts/setup.sh; ls /opt/scripts; sleep 3600", Mount("scripts", "/opt/scripts"))),
            new JsonArray(Volume("scripts", "kafka-scripts")));

        Eventually(() => Messages("kafka-0", "FailedMount").Any(), Minute, "FailedMount");
        Assert.Contains("MountVolume.SetUp failed for volume \"scripts\" : configmap \"kafka-scripts\" not found", Messages("kafka-0", "FailedMount"));
        var waiting = Pod("kafka-0")!;
        Assert.Equal("ContainerCreating", State(waiting, "kafka", "state.waiting.reason"));
        Assert.Equal("False", Condition(waiting, "PodReadyToStartContainers"));
        Assert.Null(KubeObject.ScalarAt(waiting, "status.podIP")); // no sandbox before the volumes
    }

    [Fact]
    public void A_pod_waiting_on_a_missing_configMap_volume_starts_once_it_exists_and_its_program_reads_the_files()
    {
        Start();
        var created = Time.GetUtcNow();
        CreatePodWithVolumes("kafka-0", new JsonArray(Shell("kafka", "cat /opt/scripts/setup.sh; ls /opt/scripts; ls -A /opt/scripts/..data; sleep 3600", Mount("scripts", "/opt/scripts"))),
            new JsonArray(Volume("scripts", "kafka-scripts")));
        // Retried with the volume manager's back-off (500 ms doubling): the fourth attempt comes 3.5 s after the first.
        Eventually(() => FailedMountCount("kafka-0") >= 4, Minute, "four mount attempts", TimeSpan.FromMilliseconds(100));
        Assert.InRange(Time.GetUtcNow() - created, TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(6));
        Assert.Single(Messages("kafka-0", "FailedMount")); // one event, its count bumped

        CreateConfigMap("kafka-scripts", new JsonObject { ["setup.sh"] = "echo setting up\n" });
        Eventually(() => Condition(Pod("kafka-0"), "Ready") == "True", Minute, "the pod running", TimeSpan.FromMilliseconds(250));
        Assert.Equal("echo setting up\nsetup.sh\nsetup.sh\n", Logs("kafka-0", "kafka"));
    }

    private int FailedMountCount(string pod) =>
        EventsAbout(pod).FirstOrDefault(e => KubeObject.String(e, "reason") == "FailedMount")?["count"]?.GetValue<int>() ?? 0;

    [Fact]
    public void A_missing_key_in_env_is_CreateContainerConfigError_until_the_key_is_added()
    {
        Start();
        CreateConfigMap("settings", new JsonObject { ["other"] = "x" });
        var c = Shell("app", "echo level=$LEVEL; sleep 3600");
        c["env"] = new JsonArray(new JsonObject { ["name"] = "LEVEL", ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = "settings", ["key"] = "level" } } });
        CreatePod("app", new JsonArray(c));

        var pod = Eventually(() => Pod("app") is { } p && State(p, "app", "state.waiting.reason") == "CreateContainerConfigError" ? p : null, Minute, "CreateContainerConfigError");
        Assert.Equal("couldn't find key level in ConfigMap default/settings", State(pod, "app", "state.waiting.message"));
        Assert.Contains("Error: couldn't find key level in ConfigMap default/settings", Messages("app", "Failed"));
        Assert.Equal("True", Condition(pod, "PodReadyToStartContainers")); // the sandbox runs, the container is not created

        UpdateConfigMap("settings", new JsonObject { ["level"] = "debug" });
        Eventually(() => Condition(Pod("app"), "Ready") == "True", Minute, "the container started", TimeSpan.FromMilliseconds(250));
        Assert.Equal("level=debug\n", Logs("app", "app"));
        Assert.Equal("0", State(Pod("app"), "app", "restartCount"));
    }

    [Fact]
    public void A_changed_configMap_reaches_mounted_files_within_the_sync_period_but_not_subPath_mounts_nor_env()
    {
        Start();
        CreateConfigMap("web-config", new JsonObject { ["color"] = "blue" });
        var c = Shell("web", "while true; do echo \"$(cat /etc/web/color) $(cat /etc/color-once) $COLOR\"; sleep 1; done",
            Mount("config", "/etc/web"), Mount("config", "/etc/color-once", subPath: "color"));
        c["env"] = new JsonArray(new JsonObject { ["name"] = "COLOR", ["valueFrom"] = new JsonObject { ["configMapKeyRef"] = new JsonObject { ["name"] = "web-config", ["key"] = "color" } } });
        CreatePodWithVolumes("web", new JsonArray(c), new JsonArray(Volume("config", "web-config")));
        Eventually(() => Condition(Pod("web"), "Ready") == "True", Minute, "Ready", TimeSpan.FromMilliseconds(250));
        Eventually(() => Logs("web", "web").Contains("blue blue blue"), TimeSpan.FromSeconds(5), "the first line");

        UpdateConfigMap("web-config", new JsonObject { ["color"] = "green" });
        // syncFrequency plus its jitter (fast profile: 3 s to 4.5 s), then the next line.
        Eventually(() => Logs("web", "web").Contains("green blue blue"), Timing.KubeletSyncFrequency * 1.5 + TimeSpan.FromSeconds(2), "the updated file",
            TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Pods_sharing_a_configMap_share_one_watch_and_it_ends_with_the_last_of_them()
    {
        Start();
        CreateConfigMap("shared", new JsonObject { ["k"] = "v" });
        foreach (var name in (string[])["a", "b"])
            CreatePodWithVolumes(name, new JsonArray(Shell("c", "sleep 3600", Mount("v", "/v"))), new JsonArray(Volume("v", "shared")));
        Eventually(() => Condition(Pod("a"), "Ready") == "True" && Condition(Pod("b"), "Ready") == "True", Minute, "both running", TimeSpan.FromMilliseconds(250));
        var manager = Sys.ActorSelection(_host.Path / "config-objects");
        Assert.Single(Children(manager));

        DeletePod("a", 0);
        DeletePod("b", 0);
        Eventually(() => Pod("a") is null && Pod("b") is null, Minute, "both gone", TimeSpan.FromMilliseconds(250));
        Eventually(() => Children(manager).Count == 0, TimeSpan.FromSeconds(5), "the watch stopped");
    }

    [Fact]
    public void An_immutable_configMap_is_read_once_and_not_watched_any_more()
    {
        Start();
        CreateConfigMap("frozen", new JsonObject { ["mode"] = "fixed" }, immutable: true);
        CreatePodWithVolumes("f", new JsonArray(Shell("c", "cat /etc/frozen/mode; echo; sleep 3600", Mount("v", "/etc/frozen"))), new JsonArray(Volume("v", "frozen")));
        Eventually(() => Condition(Pod("f"), "Ready") == "True", Minute, "running", TimeSpan.FromMilliseconds(250));
        Assert.Equal("fixed\n", Logs("f", "c"));
        Assert.Empty(Children(Sys.ActorSelection(_host.Path / "config-objects")));
    }

    private IReadOnlyList<IActorRef> Children(ActorSelection parent)
    {
        var probe = CreateTestProbe();
        Sys.ActorSelection(parent.PathString + "/*").Tell(new Identify("x"), probe.Ref);
        var found = new List<IActorRef>();
        while (probe.ReceiveOne(TimeSpan.FromMilliseconds(300)) is ActorIdentity { Subject: { } subject }) found.Add(subject);
        return found;
    }
}

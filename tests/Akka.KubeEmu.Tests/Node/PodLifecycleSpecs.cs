using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Shared;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

public sealed class PodLifecycleSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private JsonObject RunningAndReady(string name, string ns = "default") =>
        Eventually(() => Pod(name, ns) is { } p && KubeObject.ScalarAt(p, "status.phase") == "Running" && Condition(p, "Ready") == "True" ? p : null,
            Minute, $"{name} Running and Ready");

    [Fact]
    public void A_pod_bound_to_the_node_runs_with_ready_containers_an_IP_and_the_kubelet_events()
    {
        StartNodes("node-1");
        var created = CreatePod("web", new JsonArray(Container("nginx", "nginx")));
        var pod = RunningAndReady("web");

        Assert.StartsWith("10.244.1.", KubeObject.ScalarAt(pod, "status.podIP"));
        Assert.Equal(KubeObject.ScalarAt(pod, "status.podIP"), KubeObject.ScalarText(KubeObject.At((JsonObject)((JsonArray)KubeObject.At(pod, "status.podIPs")!)[0]!, "ip")));
        Assert.Equal("127.0.1.3", KubeObject.ScalarAt(pod, "status.hostIP"));
        Assert.NotNull(KubeObject.ScalarAt(pod, "status.startTime"));
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady"],
            ((JsonArray)KubeObject.At(pod, "status.conditions")!).OfType<JsonObject>().Select(c => KubeObject.String(c, "type")));
        Assert.Equal("true", State(pod, "nginx", "ready"));
        Assert.Equal("true", State(pod, "nginx", "started"));
        Assert.Equal("0", State(pod, "nginx", "restartCount"));
        Assert.Equal("docker.io/library/nginx:latest", State(pod, "nginx", "image"));
        Assert.Matches("^docker.io/library/nginx@sha256:[0-9a-f]{64}$", State(pod, "nginx", "imageID"));
        Assert.Matches("^containerd://[0-9a-f]{64}$", State(pod, "nginx", "containerID"));
        Assert.NotNull(State(pod, "nginx", "state.running.startedAt"));

        var events = Eventually(() => EventsAbout("web") is { Count: >= 4 } e ? e : null, Minute, "pod events");
        Assert.Equal(["Pulling", "Pulled", "Created", "Started"], Reasons(events));
        Assert.Equal("Pulling image \"nginx\"", KubeObject.String(events[0], "message"));
        var pull = GoDuration.Format(Timing.ImagePullDelay); // "300ms" in the fast profile
        Assert.Equal($"Successfully pulled image \"nginx\" in {pull} ({pull} including waiting). Image size: 72188133 bytes.", KubeObject.String(events[1], "message"));
        Assert.Equal("Created container: nginx", KubeObject.String(events[2], "message"));
        Assert.Equal("Started container nginx", KubeObject.String(events[3], "message"));
        Assert.All(events, e =>
        {
            Assert.Equal("spec.containers{nginx}", KubeObject.ScalarAt(e, "involvedObject.fieldPath"));
            Assert.Equal(KubeObject.Uid(created), KubeObject.ScalarAt(e, "involvedObject.uid"));
            Assert.Equal("kubelet", KubeObject.ScalarAt(e, "source.component"));
            Assert.Equal("node-1", KubeObject.ScalarAt(e, "source.host"));
        });
    }

    [Fact]
    public void Graceful_deletion_stops_the_containers_and_removes_the_pod()
    {
        StartNodes("node-1");
        CreatePod("web", new JsonArray(Container("nginx", "nginx")));
        RunningAndReady("web");

        DeletePod("web");
        var terminating = Pod("web");
        Assert.NotNull(KubeObject.ScalarAt(terminating, "metadata.deletionTimestamp"));
        // nginx stops on SIGTERM at once: the pod is gone long before its 30 s grace period ends.
        Eventually(() => Pod("web") is null, TimeSpan.FromSeconds(5), "the pod removed");
        var killing = EventsAbout("web").Single(e => KubeObject.String(e, "reason") == "Killing");
        Assert.Equal("Stopping container nginx", KubeObject.String(killing, "message"));
    }

    [Fact]
    public void A_sleeping_busybox_keeps_running_and_is_killed_at_the_end_of_the_grace_period()
    {
        StartNodes("node-1");
        CreatePod("sleeper", new JsonArray(Container("busybox", "busybox", ["sleep", "3600"])));
        var running = RunningAndReady("sleeper");
        var containerId = State(running, "busybox", "containerID");
        Advance(TimeSpan.FromMinutes(10));
        var later = RunningAndReady("sleeper");
        Assert.Equal(containerId, State(later, "busybox", "containerID"));
        Assert.Equal("0", State(later, "busybox", "restartCount"));

        var deletedAt = Time.GetUtcNow();
        DeletePod("sleeper", 10);
        // sleep is PID 1 without a SIGTERM handler: it dies by SIGKILL after the grace period.
        Eventually(() => Pod("sleeper") is null, Minute, "the pod removed", TimeSpan.FromMilliseconds(250));
        Assert.True(Time.GetUtcNow() - deletedAt >= TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_missing_tag_gives_ErrImagePull_then_ImagePullBackOff()
    {
        StartNodes("node-1");
        var seen = new List<string>();
        CreatePod("bad", new JsonArray(Container("nginx", "nginx:1.91")));
        Eventually(() =>
        {
            if (State(Pod("bad"), "nginx", "state.waiting.reason") is { } reason && (seen.Count == 0 || seen[^1] != reason)) seen.Add(reason);
            return seen.Contains("ImagePullBackOff");
        }, Minute, "ImagePullBackOff", TimeSpan.FromMilliseconds(20));
        Assert.Contains("ErrImagePull", seen);
        Assert.True(seen.IndexOf("ErrImagePull") < seen.IndexOf("ImagePullBackOff"));
        var pod = Pod("bad")!;
        Assert.Equal("Pending", KubeObject.ScalarAt(pod, "status.phase"));
        Assert.Equal("Back-off pulling image \"nginx:1.91\"", State(pod, "nginx", "state.waiting.message"));

        var events = EventsAbout("bad");
        var failed = events.Where(e => KubeObject.String(e, "reason") == "Failed").Select(e => KubeObject.String(e, "message")).ToArray();
        Assert.Contains("Failed to pull image \"nginx:1.91\": rpc error: code = NotFound desc = failed to pull and unpack image \"docker.io/library/nginx:1.91\": failed to resolve reference \"docker.io/library/nginx:1.91\": docker.io/library/nginx:1.91: not found", failed);
        Assert.Contains("Error: ErrImagePull", failed);
        Assert.Contains("Error: ImagePullBackOff", failed);
        Assert.Contains(events, e => KubeObject.String(e, "reason") == "BackOff" && KubeObject.String(e, "message") == "Back-off pulling image \"nginx:1.91\"");

        // The pull is tried again after the back-off (10 s, then 20 s...).
        Eventually(() => EventsAbout("bad").Any(e => KubeObject.String(e, "reason") == "Pulling" && (int)e["count"]! >= 2), Minute, "a second pull");
    }

    [Fact]
    public void RestartPolicy_Never_and_exit_1_ends_Failed_with_exit_code_1()
    {
        StartNodes("node-1");
        CreatePod("once", new JsonArray(Container("main", "busybox", ["sh", "-c", "sleep 2; exit 1"])), restartPolicy: "Never");
        var pod = Eventually(() => Pod("once") is { } p && KubeObject.ScalarAt(p, "status.phase") == "Failed" ? p : null, Minute, "phase Failed");
        Assert.Equal("1", State(pod, "main", "state.terminated.exitCode"));
        Assert.Equal("Error", State(pod, "main", "state.terminated.reason"));
        Assert.Equal("0", State(pod, "main", "restartCount"));
        Assert.Equal("False", Condition(pod, "Ready"));
        Assert.Equal("False", Condition(pod, "PodReadyToStartContainers"));
        var started = KubeObject.ParseTimestamp(State(pod, "main", "state.terminated.startedAt"));
        var finished = KubeObject.ParseTimestamp(State(pod, "main", "state.terminated.finishedAt"));
        Assert.Equal(TimeSpan.FromSeconds(2), finished - started);
    }

    [Fact]
    public void A_job_style_pod_succeeds()
    {
        StartNodes("node-1");
        CreatePod("job", new JsonArray(Container("pi", "perl", ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"])), restartPolicy: "OnFailure");
        var pod = Eventually(() => Pod("job") is { } p && KubeObject.ScalarAt(p, "status.phase") == "Succeeded" ? p : null, Minute, "phase Succeeded");
        Assert.Equal("Completed", State(pod, "pi", "state.terminated.reason"));
        Assert.Equal("PodCompleted", Condition(pod, "Ready", "reason"));
    }

    [Fact]
    public void Busybox_without_a_command_completes_at_once_and_crash_loops_under_restartPolicy_Always()
    {
        StartNodes("node-1");
        CreatePod("shell", new JsonArray(Container("busybox", "busybox")));
        var pod = Eventually(() => Pod("shell") is { } p && State(p, "busybox", "state.waiting.reason") == "CrashLoopBackOff" ? p : null,
            Minute, "CrashLoopBackOff");
        Assert.Equal("Running", KubeObject.ScalarAt(pod, "status.phase"));
        Assert.Equal("1", State(pod, "busybox", "restartCount"));
        Assert.Equal("Completed", State(pod, "busybox", "lastState.terminated.reason"));
        Assert.Equal("0", State(pod, "busybox", "lastState.terminated.exitCode"));
        var uid = KubeObject.Uid(pod);
        Assert.Equal($"back-off 10s restarting failed container=busybox pod=shell_default({uid})", State(pod, "busybox", "state.waiting.message"));
        Assert.Contains(EventsAbout("shell"), e => KubeObject.String(e, "reason") == "BackOff"
            && KubeObject.String(e, "message") == $"Back-off restarting failed container busybox in pod shell_default({uid})");

        // 10 s later it runs again, exits again, and waits twice as long.
        var next = Eventually(() => Pod("shell") is { } p && State(p, "busybox", "restartCount") == "2"
            && State(p, "busybox", "state.waiting.reason") == "CrashLoopBackOff" ? p : null, Minute, "the second back-off", TimeSpan.FromMilliseconds(200));
        Assert.StartsWith("back-off 20s", State(next, "busybox", "state.waiting.message"));
    }

    [Fact]
    public void Init_containers_run_one_by_one_before_the_app_container()
    {
        StartNodes("node-1");
        CreatePod("init", new JsonArray(Container("app", "nginx")),
            initContainers: new JsonArray(
                Container("first", "busybox", ["sh", "-c", "echo hi; sleep 3"]),
                Container("second", "busybox", ["sh", "-c", "until nslookup myservice; do echo waiting; sleep 2; done"])));
        var initializing = Eventually(() => Pod("init") is { } p && State(p, "first", "state.running.startedAt") is not null ? p : null,
            Minute, "first init container running");
        Assert.Equal("Pending", KubeObject.ScalarAt(initializing, "status.phase"));
        Assert.Equal("PodInitializing", State(initializing, "app", "state.waiting.reason"));
        Assert.Equal("containers with incomplete status: [first second]", Condition(initializing, "Initialized", "message"));

        var pod = RunningAndReady("init");
        Assert.Equal("Completed", State(pod, "first", "state.terminated.reason"));
        Assert.Equal("Completed", State(pod, "second", "state.terminated.reason"));
        Assert.Equal("True", Condition(pod, "Initialized"));
        var firstDone = KubeObject.ParseTimestamp(State(pod, "first", "state.terminated.finishedAt"))!.Value;
        var secondStarted = KubeObject.ParseTimestamp(State(pod, "second", "state.terminated.startedAt"))!.Value;
        Assert.True(secondStarted >= firstDone);
    }

    [Fact]
    public void The_kubelet_rejects_a_pod_that_does_not_fit_its_allocatable()
    {
        StartNodes("node-1");
        var big = Container("big", "nginx");
        big["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "8" } };
        CreatePod("big", new JsonArray(big));
        var pod = Eventually(() => Pod("big") is { } p && KubeObject.ScalarAt(p, "status.phase") == "Failed" ? p : null, Minute, "phase Failed");
        Assert.Equal("OutOfcpu", KubeObject.ScalarAt(pod, "status.reason"));
        Assert.Equal("Pod was rejected: Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000", KubeObject.ScalarAt(pod, "status.message"));
        var rejected = Eventually(() => EventsAbout("big").FirstOrDefault(e => KubeObject.String(e, "reason") == "OutOfcpu"), Minute, "OutOfcpu event");
        Assert.Equal("Warning", KubeObject.String(rejected, "type"));
        Assert.Equal("Node didn't have enough resource: cpu, requested: 8000, used: 0, capacity: 4000", KubeObject.String(rejected, "message"));
    }

    [Fact]
    public void A_container_over_its_memory_limit_is_OOMKilled()
    {
        StartNodes("node-1");
        var hungry = Container("hungry", "nginx");
        hungry["resources"] = new JsonObject { ["limits"] = new JsonObject { ["memory"] = "128Mi" } };
        CreatePod("hungry", new JsonArray(hungry), annotations: new JsonObject { ["kubeemu.io/memory-usage"] = "300Mi" });
        var pod = Eventually(() => Pod("hungry") is { } p && State(p, "hungry", "lastState.terminated.reason") == "OOMKilled" ? p : null,
            Minute, "OOMKilled");
        Assert.Equal("137", State(pod, "hungry", "lastState.terminated.exitCode"));
    }

    [Fact]
    public void Readiness_follows_the_ready_after_annotation()
    {
        StartNodes("node-1");
        CreatePod("slow", new JsonArray(Container("nginx", "nginx")), annotations: new JsonObject { ["kubeemu.io/ready-after"] = "20" });
        var running = Eventually(() => Pod("slow") is { } p && KubeObject.ScalarAt(p, "status.phase") == "Running" ? p : null, Minute, "Running");
        Assert.Equal("False", Condition(running, "Ready"));
        Assert.Equal("containers with unready status: [nginx]", Condition(running, "Ready", "message"));
        var startedAt = KubeObject.ParseTimestamp(State(running, "nginx", "state.running.startedAt"))!.Value;
        var ready = RunningAndReady("slow");
        Assert.True(KubeObject.ParseTimestamp(Condition(ready, "Ready", "lastTransitionTime")) >= startedAt + TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Pods_on_two_nodes_of_one_process_get_addresses_from_their_own_node()
    {
        StartNodes("node-1", "node-2");
        CreatePod("a", new JsonArray(Container("nginx", "nginx:1.7.9")), node: "node-1");
        CreatePod("b", new JsonArray(Container("nginx", "nginx:1.7.9")), node: "node-2");
        var a = RunningAndReady("a");
        var b = RunningAndReady("b");
        CreatePod("c", new JsonArray(Container("nginx", "nginx:1.7.9")), node: "node-2");
        var c = RunningAndReady("c");
        Assert.StartsWith("10.244.1.", KubeObject.ScalarAt(a, "status.podIP"));
        Assert.StartsWith("10.244.2.", KubeObject.ScalarAt(b, "status.podIP"));
        Assert.NotEqual(KubeObject.ScalarAt(b, "status.podIP"), KubeObject.ScalarAt(c, "status.podIP"));
        Assert.Equal("127.0.1.4", KubeObject.ScalarAt(b, "status.hostIP"));
        // IfNotPresent: the second pod on node-2 finds the image there.
        Assert.Contains(EventsAbout("c"), e => KubeObject.String(e, "message") == "Container image \"nginx:1.7.9\" already present on machine");
    }
}

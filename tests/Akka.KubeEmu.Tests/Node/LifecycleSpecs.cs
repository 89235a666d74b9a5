using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>Lifecycle hooks, the active deadline and termination messages, in virtual time.</summary>
public sealed class LifecycleSpecs : NodeTestBase
{
    private static readonly TimeSpan Minutes = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    private static JsonObject WithHooks(JsonObject container, JsonObject? postStart = null, JsonObject? preStop = null)
    {
        var lifecycle = new JsonObject();
        if (postStart is not null) lifecycle["postStart"] = postStart;
        if (preStop is not null) lifecycle["preStop"] = preStop;
        container["lifecycle"] = lifecycle;
        return container;
    }

    private JsonObject? Event(string pod, string reason) => EventsAbout(pod).FirstOrDefault(e => KubeObject.String(e, "reason") == reason);

    [Fact]
    public void A_postStart_hook_runs_in_the_container_as_in_the_docs_lifecycle_demo()
    {
        StartNodes("node-1");
        var c = WithHooks(Container("lifecycle-demo-container", "nginx"),
            postStart: Exec("/bin/sh", "-c", "echo Hello from the postStart handler > /usr/share/message"),
            preStop: Exec("/bin/sh", "-c", "nginx -s quit; while killall -0 nginx; do sleep 1; done"));
        // What `kubectl exec lifecycle-demo -- cat /usr/share/message` reads, seen by a probe in the container.
        c["readinessProbe"] = Exec("grep", "-q", "Hello from the postStart handler", "/usr/share/message");
        CreatePod("lifecycle-demo", new JsonArray(c));
        Eventually(() => Condition(Pod("lifecycle-demo"), "Ready") == "True", Minutes, "Ready", Step);
        Assert.Null(Event("lifecycle-demo", "FailedPostStartHook"));
        Assert.Null(Event("lifecycle-demo", "Unhealthy"));

        // The preStop hook quits nginx and waits until no nginx runs: the container ends there, well within the grace period.
        DeletePod("lifecycle-demo");
        Eventually(() => Pod("lifecycle-demo") is null, TimeSpan.FromSeconds(3), "gone", TimeSpan.FromMilliseconds(100));
        Assert.Null(Event("lifecycle-demo", "FailedPreStopHook"));
    }

    [Fact]
    public void A_failed_postStart_hook_kills_the_container_which_restarts_as_its_policy_says()
    {
        StartNodes("node-1");
        CreatePod("hooked", new JsonArray(WithHooks(Container("app", "busybox", ["sh", "-c", "sleep 3600"]), postStart: Exec("sh", "-c", "exit 1"))), grace: 2);
        Eventually(() => State(Pod("hooked"), "app", "restartCount") == "1", Minutes, "a restart", Step);
        Assert.Equal("PostStartHook failed", KubeObject.String(Event("hooked", "FailedPostStartHook"), "message"));
        Assert.Equal("Warning", KubeObject.String(Event("hooked", "FailedPostStartHook"), "type"));
        Assert.Equal("FailedPostStartHook", KubeObject.String(Event("hooked", "Killing"), "message"));
    }

    [Fact]
    public void A_preStop_hook_runs_before_SIGTERM_and_takes_its_time_out_of_the_grace_period()
    {
        StartNodes("node-1");
        // nginx stops 0.1 s after SIGTERM; the hook's 5 s sleep comes first.
        CreatePod("slow", new JsonArray(WithHooks(Container("web", "nginx"), preStop: new JsonObject { ["sleep"] = new JsonObject { ["seconds"] = 5 } })));
        CreatePod("failing", new JsonArray(WithHooks(Container("web", "nginx"), preStop: Exec("sh", "-c", "exit 3"))));
        Eventually(() => State(Pod("slow"), "web", "state.running.startedAt") is not null && State(Pod("failing"), "web", "state.running.startedAt") is not null,
            Minutes, "both running", Step);
        DeletePod("slow");
        DeletePod("failing");
        Eventually(() => Pod("failing") is null, TimeSpan.FromSeconds(3), "the pod whose hook failed gone at once", TimeSpan.FromMilliseconds(100));
        Assert.Equal("PreStopHook failed", KubeObject.String(Event("failing", "FailedPreStopHook"), "message"));
        Assert.NotNull(Pod("slow")); // about 2 s after the delete: its hook still sleeps
        Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull(Pod("slow"));
        Eventually(() => Pod("slow") is null, TimeSpan.FromSeconds(5), "gone once the hook and SIGTERM are through", TimeSpan.FromMilliseconds(100));
        Assert.Null(Event("slow", "FailedPreStopHook"));
    }

    [Fact]
    public void A_pod_past_its_active_deadline_is_killed_and_Failed_with_reason_DeadlineExceeded()
    {
        StartNodes("node-1");
        Create("pods", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "deadline", ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = "node-1",
                ["restartPolicy"] = "Never",
                ["terminationGracePeriodSeconds"] = 2,
                ["activeDeadlineSeconds"] = 10,
                ["containers"] = new JsonArray(Container("app", "busybox", ["sh", "-c", "sleep 3600"])),
            },
        });
        var running = KubeObject.ParseTimestamp(Eventually(() => State(Pod("deadline"), "app", "state.running.startedAt"), Minutes, "running", Step))!.Value;
        var failed = Eventually(() => Pod("deadline") is { } p && KubeObject.ScalarAt(p, "status.phase") == "Failed" ? p : null, Minutes, "Failed", Step);
        Assert.Equal("DeadlineExceeded", KubeObject.ScalarAt(failed, "status.reason"));
        Assert.Equal("Pod was active on the node longer than the specified deadline", KubeObject.ScalarAt(failed, "status.message"));
        var started = KubeObject.ParseTimestamp(KubeObject.ScalarAt(failed, "status.startTime"))!.Value;
        Assert.InRange(running - started, TimeSpan.Zero, TimeSpan.FromSeconds(2));
        var done = Eventually(() => Pod("deadline") is { } p && State(p, "app", "state.terminated.finishedAt") is { } f ? p : null, Minutes, "killed", Step);
        // sh as PID 1 ignores SIGTERM: SIGKILL when the 2 s grace period ends, 10 s after the start.
        Assert.Equal("137", State(done, "app", "state.terminated.exitCode"));
        Assert.InRange(KubeObject.ParseTimestamp(State(done, "app", "state.terminated.finishedAt"))!.Value - started, TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(13));
        var e = Event("deadline", "DeadlineExceeded");
        Assert.Equal("Normal", KubeObject.String(e, "type"));
        Assert.Equal("Pod was active on the node longer than the specified deadline", KubeObject.String(e, "message"));
    }

    [Fact]
    public void A_terminated_container_reports_its_termination_message_or_its_log_tail_on_error()
    {
        StartNodes("node-1");
        CreatePod("file", new JsonArray(Container("app", "busybox", ["sh", "-c", "echo 'all done' > /dev/termination-log; exit 0"])), restartPolicy: "Never");
        var fallback = Container("app", "busybox", ["sh", "-c", "echo starting; echo 'cannot open config'; exit 2"]);
        fallback["terminationMessagePolicy"] = "FallbackToLogsOnError";
        CreatePod("fallback", new JsonArray(fallback), restartPolicy: "Never");
        var quiet = Container("app", "busybox", ["sh", "-c", "echo starting; exit 2"]);
        CreatePod("quiet", new JsonArray(quiet), restartPolicy: "Never");
        var custom = Container("app", "busybox", ["sh", "-c", "mkdir -p /tmp/out; echo custom > /tmp/out/msg; exit 1"]);
        custom["terminationMessagePath"] = "/tmp/out/msg";
        custom["terminationMessagePolicy"] = "FallbackToLogsOnError";
        CreatePod("custom", new JsonArray(custom), restartPolicy: "Never");

        JsonObject Done(string name) => Eventually(() => Pod(name) is { } p && KubeObject.ScalarAt(p, "status.phase") is "Succeeded" or "Failed" ? p : null, Minutes, name + " done", Step);
        Assert.Equal("all done\n", State(Done("file"), "app", "state.terminated.message"));
        Assert.Equal("starting\ncannot open config\n", State(Done("fallback"), "app", "state.terminated.message"));
        Assert.Null(State(Done("quiet"), "app", "state.terminated.message"));
        Assert.Equal("custom\n", State(Done("custom"), "app", "state.terminated.message"));
    }

    [Fact]
    public void A_command_the_image_does_not_have_fails_with_StartError_then_backs_off()
    {
        StartNodes("node-1");
        CreatePod("myapp-pod", new JsonArray(Container("myapp-container", "busybox:1.28", ["sh", "-c", "echo The app is running! && sleep 3600"])),
            initContainers: new JsonArray(Container("init-myservice", "busybox:1.28", ["xxx"])));
        const string error = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: " +
                             "unable to start container process: exec: \"xxx\": executable file not found in $PATH: unknown";
        var failed = Eventually(() => Pod("myapp-pod") is { } p && State(p, "init-myservice", "lastState.terminated.reason") is not null
            && State(p, "init-myservice", "state.waiting.reason") == "CrashLoopBackOff" ? p : null, Minutes, "CrashLoopBackOff", Step);
        Assert.Equal("StartError", State(failed, "init-myservice", "lastState.terminated.reason"));
        Assert.Equal("128", State(failed, "init-myservice", "lastState.terminated.exitCode"));
        Assert.Equal(error, State(failed, "init-myservice", "lastState.terminated.message"));
        Assert.Equal("1970-01-01T00:00:00Z", State(failed, "init-myservice", "lastState.terminated.startedAt"));
        Assert.Equal("Pending", KubeObject.ScalarAt(failed, "status.phase"));
        Assert.Equal("Error: " + error, KubeObject.String(Event("myapp-pod", "Failed"), "message"));
        Assert.DoesNotContain(EventsAbout("myapp-pod"), e => KubeObject.String(e, "reason") == "Started");
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>Probes that act on the simulated container, in virtual time.</summary>
public sealed class ProbeSpecs : NodeTestBase
{
    private static readonly TimeSpan Minutes = TimeSpan.FromMinutes(3);

    [Fact]
    public void The_docs_liveness_exec_pod_is_restarted_after_three_failures_with_the_kubelets_events()
    {
        StartNodes("node-1");
        var c = Container("liveness", "registry.k8s.io/busybox", args: ["/bin/sh", "-c", "touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600"]);
        var probe = Exec("cat", "/tmp/healthy");
        probe["initialDelaySeconds"] = 5;
        probe["periodSeconds"] = 5;
        c["livenessProbe"] = probe;
        CreatePod("liveness-exec", new JsonArray(c));
        var started = KubeObject.ParseTimestamp(Eventually(() => State(Pod("liveness-exec"), "liveness", "state.running.startedAt"),
            Minutes, "running", TimeSpan.FromMilliseconds(100)))!.Value;
        Assert.Equal("0", State(Pod("liveness-exec"), "liveness", "restartCount"));

        var pod = Eventually(() => Pod("liveness-exec") is { } p && State(p, "liveness", "restartCount") == "1" && State(p, "liveness", "state.running.startedAt") is not null ? p : null,
            Minutes, "a restart", TimeSpan.FromMilliseconds(250));
        // Healthy until the file goes at 30 s; failures at 30, 35, 40; then SIGTERM, which the shell ignores: SIGKILL after 30 s.
        var finished = KubeObject.ParseTimestamp(State(pod, "liveness", "lastState.terminated.finishedAt"))!.Value;
        Assert.Equal(TimeSpan.FromSeconds(70), finished - started);
        Assert.Equal("137", State(pod, "liveness", "lastState.terminated.exitCode"));
        var events = EventsAbout("liveness-exec");
        var unhealthy = events.Single(e => KubeObject.String(e, "reason") == "Unhealthy");
        Assert.Equal("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory", KubeObject.String(unhealthy, "message"));
        Assert.Equal("3", KubeObject.ScalarText(unhealthy["count"]));
        Assert.Contains(events, e => KubeObject.String(e, "reason") == "Killing" && KubeObject.String(e, "message") == "Container liveness failed liveness probe, will be restarted");
    }

    [Fact]
    public void A_readiness_probe_makes_the_pod_Ready_while_it_succeeds_and_unready_when_it_fails_without_a_restart()
    {
        StartNodes("node-1");
        var c = Container("app", "busybox", ["sh", "-c", "sleep 4; touch /tmp/ready; sleep 20; rm /tmp/ready; sleep 3600"]);
        var probe = Exec("test", "-f", "/tmp/ready");
        probe["periodSeconds"] = 2;
        c["readinessProbe"] = probe;
        CreatePod("ready", new JsonArray(c));
        Eventually(() => Pod("ready") is { } p && State(p, "app", "state.running.startedAt") is not null ? p : null, Minutes, "running", TimeSpan.FromMilliseconds(100));
        Assert.Equal("False", Condition(Pod("ready"), "Ready"));
        Eventually(() => Condition(Pod("ready"), "Ready") == "True", Minutes, "Ready", TimeSpan.FromMilliseconds(250));
        Assert.Equal("true", State(Pod("ready"), "app", "ready"));
        var pod = Eventually(() => Pod("ready") is { } p && Condition(p, "Ready") == "False" ? p : null, Minutes, "unready again", TimeSpan.FromMilliseconds(250));
        Assert.Equal("ContainersNotReady", Condition(pod, "Ready", "reason"));
        Assert.Equal("0", State(pod, "app", "restartCount"));
        Assert.Contains(EventsAbout("ready"), e => KubeObject.String(e, "reason") == "Unhealthy" && KubeObject.String(e, "message") == "Readiness probe failed: ");
    }

    [Fact]
    public void Http_and_tcp_probes_see_what_the_pods_containers_listen_on()
    {
        StartNodes("node-1");
        var web = Container("web", "nginx");
        web["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/", ["port"] = 80 }, ["periodSeconds"] = 2 };
        web["livenessProbe"] = new JsonObject { ["tcpSocket"] = new JsonObject { ["port"] = 80 }, ["periodSeconds"] = 2 };
        var broken = Container("broken", "nginx");
        broken["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 8080 }, ["periodSeconds"] = 2 };
        var missing = Container("missing", "busybox", ["sleep", "infinity"]);
        missing["readinessProbe"] = new JsonObject { ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 80 }, ["periodSeconds"] = 2 };
        CreatePod("web", new JsonArray(web, broken));
        CreatePod("nf", new JsonArray(Container("web", "nginx"), missing));
        Eventually(() => State(Pod("web"), "web", "ready") == "true", Minutes, "web ready", TimeSpan.FromMilliseconds(250));
        var ip = Eventually(() => KubeObject.ScalarAt(Pod("web"), "status.podIP"), Minutes, "pod IP")!;
        Eventually(() => EventsAbout("web").Any(e => KubeObject.String(e, "message") ==
            $"Readiness probe failed: Get \"http://{ip}:8080/healthz\": dial tcp {ip}:8080: connect: connection refused"), Minutes, "connection refused", TimeSpan.FromMilliseconds(250));
        Assert.Equal("false", State(Pod("web"), "broken", "ready"));
        Assert.Equal("0", State(Pod("web"), "web", "restartCount"));
        // Another container of the pod listens on 80 (one network namespace): nginx answers 404 for /healthz.
        Eventually(() => EventsAbout("nf").Any(e => KubeObject.String(e, "message") == "Readiness probe failed: HTTP probe failed with statuscode: 404"),
            Minutes, "a 404", TimeSpan.FromMilliseconds(250));
    }
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node;
using Akka.Configuration;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>The kubeemu.io annotations and the less common paths of the pod worker.</summary>
public sealed class PodBehaviourSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Crash_loop_annotation_makes_the_container_fail_and_back_off()
    {
        StartNodes("node-1");
        CreatePod("crashy", new JsonArray(Container("nginx", "nginx")),
            annotations: new JsonObject { ["kubeemu.io/crash-loop"] = "true", ["kubeemu.io/exit-code"] = "3" });
        var pod = Eventually(() => Pod("crashy") is { } p && State(p, "nginx", "state.waiting.reason") == "CrashLoopBackOff" ? p : null, Minute, "CrashLoopBackOff");
        Assert.Equal("Error", State(pod, "nginx", "lastState.terminated.reason"));
        Assert.Equal("3", State(pod, "nginx", "lastState.terminated.exitCode"));
        Assert.Equal("False", Condition(pod, "Ready"));
    }

    [Fact]
    public void Exit_after_ends_a_container_that_would_run_forever()
    {
        StartNodes("node-1");
        CreatePod("short", new JsonArray(Container("nginx", "nginx")), restartPolicy: "Never",
            annotations: new JsonObject { ["kubeemu.io/exit-after"] = "30s" });
        var pod = Eventually(() => Pod("short") is { } p && KubeObject.ScalarAt(p, "status.phase") == "Succeeded" ? p : null, Minute, "Succeeded",
            TimeSpan.FromMilliseconds(250));
        var started = KubeObject.ParseTimestamp(State(pod, "nginx", "state.terminated.startedAt"));
        var finished = KubeObject.ParseTimestamp(State(pod, "nginx", "state.terminated.finishedAt"));
        Assert.Equal(TimeSpan.FromSeconds(30), finished - started);
    }

    [Fact]
    public void A_failing_liveness_probe_restarts_the_container()
    {
        StartNodes("node-1");
        var web = Container("web", "nginx");
        web["livenessProbe"] = new JsonObject
        {
            ["httpGet"] = new JsonObject { ["path"] = "/healthz", ["port"] = 8080 },
            ["periodSeconds"] = 3,
            ["failureThreshold"] = 2,
        };
        CreatePod("live", new JsonArray(web), annotations: new JsonObject { ["kubeemu.io/liveness-fails-after"] = "10" });
        var pod = Eventually(() => Pod("live") is { } p && State(p, "web", "restartCount") == "1" && State(p, "web", "state.running.startedAt") is not null ? p : null,
            Minute, "a restart", TimeSpan.FromMilliseconds(200));
        Assert.Equal("Completed", State(pod, "web", "lastState.terminated.reason"));
        var events = EventsAbout("live");
        Assert.Contains(events, e => KubeObject.String(e, "reason") == "Unhealthy" && KubeObject.String(e, "message") == "Liveness probe failed: HTTP probe failed with statuscode: 500");
        Assert.Contains(events, e => KubeObject.String(e, "reason") == "Killing" && KubeObject.String(e, "message") == "Container web failed liveness probe, will be restarted");
    }

    [Fact]
    public void Deleting_a_pod_whose_image_cannot_be_pulled_removes_it_at_once()
    {
        StartNodes("node-1");
        CreatePod("bad", new JsonArray(Container("nginx", "nginx:1.91")));
        Eventually(() => State(Pod("bad"), "nginx", "state.waiting.reason") is "ErrImagePull" or "ImagePullBackOff", Minute, "a failed pull");
        DeletePod("bad");
        Eventually(() => Pod("bad") is null, TimeSpan.FromSeconds(3), "the pod removed");
    }

    [Fact]
    public void Fixing_the_image_of_a_pod_in_ImagePullBackOff_starts_it_and_changing_it_again_restarts_the_container()
    {
        StartNodes("node-1");
        CreatePod("fixme", new JsonArray(Container("nginx", "nginx:1.91")));
        Eventually(() => State(Pod("fixme"), "nginx", "state.waiting.reason") == "ImagePullBackOff", Minute, "ImagePullBackOff");
        SetImage("fixme", "nginx:1.7.9");
        var running = Eventually(() => Pod("fixme") is { } p && Condition(p, "Ready") == "True" ? p : null, Minute, "Ready");
        Assert.Equal("docker.io/library/nginx:1.7.9", State(running, "nginx", "image"));
        Assert.Equal("0", State(running, "nginx", "restartCount"));

        SetImage("fixme", "nginx:1.9.1");
        var restarted = Eventually(() => Pod("fixme") is { } p && State(p, "nginx", "image") == "docker.io/library/nginx:1.9.1"
            && Condition(p, "Ready") == "True" ? p : null, Minute, "restarted with the new image");
        Assert.Equal("1", State(restarted, "nginx", "restartCount"));
        Assert.Contains(EventsAbout("fixme"), e => KubeObject.String(e, "message") == "Container nginx definition changed, will be restarted");
    }

    private void SetImage(string pod, string image)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var obj = Pod(pod)!;
            ((JsonObject)((JsonArray)KubeObject.At(obj, "spec.containers")!)[0]!)["image"] = image;
            if (Await(Client.Update("pods", obj)).Ok) return;
        }
        throw new Xunit.Sdk.XunitException("could not change the image");
    }

    [Fact]
    public void An_invalid_image_name_waits_in_InvalidImageName()
    {
        StartNodes("node-1");
        CreatePod("invalid", new JsonArray(Container("app", "Nginx:latest")));
        var pod = Eventually(() => Pod("invalid") is { } p && State(p, "app", "state.waiting.reason") == "InvalidImageName" ? p : null, Minute, "InvalidImageName");
        Assert.Equal("Failed to apply default image tag \"Nginx:latest\": couldn't parse image reference \"Nginx:latest\": invalid reference format: repository name must be lowercase",
            State(pod, "app", "state.waiting.message"));
        Advance(TimeSpan.FromSeconds(30));
        Eventually(() => EventsAbout("invalid").Any(e => KubeObject.String(e, "reason") == "InspectFailed" && (int)e["count"]! >= 2), Minute, "retried");
    }

    [Fact]
    public void A_sidecar_init_container_keeps_running_beside_the_app()
    {
        StartNodes("node-1");
        var sidecar = Container("log-shipper", "busybox", ["sh", "-c", "tail -f /var/log/app.log"]);
        sidecar["restartPolicy"] = "Always";
        CreatePod("sidecar", new JsonArray(Container("app", "nginx")), initContainers: new JsonArray(sidecar));
        var pod = Eventually(() => Pod("sidecar") is { } p && Condition(p, "Ready") == "True" ? p : null, Minute, "Ready");
        Assert.NotNull(State(pod, "log-shipper", "state.running.startedAt"));
        Assert.NotNull(State(pod, "app", "state.running.startedAt"));
        Assert.Equal("True", Condition(pod, "Initialized"));
    }

    [Fact]
    public void Pods_beyond_the_node_pod_capacity_are_rejected_OutOfpods()
    {
        var settings = Settings("node-1") with { Capacity = NodeCapacity.Default with { Pods = 2 } };
        Sys.ActorOf(NodeHost.Props(settings));
        for (var i = 0; i < 3; i++) CreatePod($"p{i}", new JsonArray(Container("nginx", "nginx")));
        var rejected = Eventually(() => Pod("p2") is { } p && KubeObject.ScalarAt(p, "status.phase") == "Failed" ? p : null, Minute, "p2 rejected");
        Assert.Equal("OutOfpods", KubeObject.ScalarAt(rejected, "status.reason"));
        Assert.Equal("Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2", KubeObject.ScalarAt(rejected, "status.message"));

        // When one finishes, the next fits.
        DeletePod("p0");
        Eventually(() => Pod("p0") is null, Minute, "p0 gone");
        CreatePod("p3", new JsonArray(Container("nginx", "nginx")));
        Eventually(() => KubeObject.ScalarAt(Pod("p3"), "status.phase") == "Running", Minute, "p3 running");
    }

    [Fact]
    public void Node_capacity_comes_from_HOCON()
    {
        var capacity = NodeCapacity.From(ConfigurationFactory.ParseString("""
            kubeemu.node { cpu = "2", memory = "4Gi", pods = 30, ephemeral-storage = "20Gi", kubelet-version = "v1.32.1" }
            """));
        Assert.Equal(2000, capacity.CpuMillis);
        Assert.Equal(4L * 1024 * 1024 * 1024, capacity.MemoryBytes);
        Assert.Equal(30, capacity.Pods);
        Assert.Equal("v1.32.1", capacity.KubeletVersion);
        Assert.Equal(NodeCapacity.Default.OsImage, capacity.OsImage);
        Assert.Equal(NodeCapacity.Default, NodeCapacity.From(ConfigurationFactory.Empty));
    }
}

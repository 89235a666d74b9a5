using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Kubelet;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.Pods;
using Akka.KubeEmu.Actors.Resources;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Resources;

/// <summary>resourcehelper.PodRequests, which the scheduler and the kubelet's admission share.</summary>
public sealed class PodRequestsSpecs
{
    private static JsonObject Container(string name, string? cpu, string? memory, string? restartPolicy = null, bool asLimits = false)
    {
        var list = new JsonObject();
        if (cpu is not null) list["cpu"] = cpu;
        if (memory is not null) list["memory"] = memory;
        var c = new JsonObject { ["name"] = name, ["image"] = "busybox", ["resources"] = new JsonObject { [asLimits ? "limits" : "requests"] = list } };
        if (restartPolicy is not null) c["restartPolicy"] = restartPolicy;
        return c;
    }

    private static JsonObject Pod(JsonArray containers, JsonArray? initContainers = null, JsonObject? overhead = null)
    {
        var spec = new JsonObject { ["containers"] = containers };
        if (initContainers is not null) spec["initContainers"] = initContainers;
        if (overhead is not null) spec["overhead"] = overhead;
        return new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "p", ["namespace"] = "default", ["uid"] = "u1" },
            ["spec"] = spec,
        };
    }

    /// <summary>The scheduler's view (typed), the kubelet's view (its pod model) and the kubelet's admission must agree.</summary>
    private static ResourceRequests Both(JsonObject pod)
    {
        var typed = PodRequests.Of(KubeModels.Decode<V1Pod>(pod));
        var kubelet = PodModel.Parse(pod).Requests;
        Assert.Equal(typed, kubelet);
        return typed;
    }

    [Fact]
    public void Regular_containers_add_up_and_overhead_comes_on_top()
    {
        var pod = Pod(new JsonArray(Container("a", "250m", "64Mi"), Container("b", "500m", "128Mi")),
            overhead: new JsonObject { ["cpu"] = "100m", ["memory"] = "32Mi" });
        Assert.Equal(new ResourceRequests(850, 224L * 1024 * 1024, 0), Both(pod));
    }

    [Fact]
    public void Sidecars_run_beside_the_app_and_beside_the_init_containers_started_after_them()
    {
        // sidecar (200m) starts, then init "migrate" (1) runs beside it, then the app (300m) beside the sidecar:
        // max(300m + 200m, 200m, 1 + 200m) = 1.2 cores; memory max(256Mi + 64Mi, 64Mi, 512Mi + 64Mi) = 576Mi.
        var pod = Pod(new JsonArray(Container("app", "300m", "256Mi")),
            new JsonArray(Container("log-shipper", "200m", "64Mi", restartPolicy: "Always"), Container("migrate", "1", "512Mi")),
            overhead: new JsonObject { ["cpu"] = "50m" });
        Assert.Equal(new ResourceRequests(1250, 576L * 1024 * 1024, 0), Both(pod));
    }

    [Fact]
    public void An_init_container_before_a_sidecar_does_not_count_the_sidecar()
    {
        // init "setup" (1) runs alone; then sidecar (500m) and app (200m): max(700m, 1, 500m) = 1.
        var pod = Pod(new JsonArray(Container("app", "200m", null)),
            new JsonArray(Container("setup", "1", null), Container("proxy", "500m", null, restartPolicy: "Always")));
        Assert.Equal(new ResourceRequests(1000, 0, 0), Both(pod));
    }

    [Fact]
    public void A_request_left_out_is_the_limit_as_defaulting_makes_it()
    {
        var pod = Pod(new JsonArray(Container("app", "2", "1Gi", asLimits: true)));
        Assert.Equal(new ResourceRequests(2000, 1024L * 1024 * 1024, 0), Both(pod));
    }

    [Fact]
    public void Kubelet_admission_counts_overhead_and_sidecars()
    {
        var admission = new PodAdmission(NodeCapacity.Default with { Cpu = "1" });
        var fits = PodModel.Parse(Pod(new JsonArray(Container("app", "600m", null)),
            new JsonArray(Container("proxy", "300m", null, restartPolicy: "Always"))));
        Assert.Null(admission.Check(fits));
        var tooBig = PodModel.Parse(Pod(new JsonArray(Container("app", "600m", null)),
            new JsonArray(Container("proxy", "300m", null, restartPolicy: "Always")), new JsonObject { ["cpu"] = "200m" }));
        Assert.Equal("OutOfcpu", admission.Check(tooBig)?.Reason);
    }
}

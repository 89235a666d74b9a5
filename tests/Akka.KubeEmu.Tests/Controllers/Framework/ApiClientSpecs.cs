using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.Framework;

/// <summary>What a controller writes goes through the same pipeline as kubectl's requests.</summary>
public sealed class ApiClientSpecs : StoreTestBase
{
    public ApiClientSpecs() : base(new TempDir()) { }

    [Fact]
    public async Task A_pod_created_in_process_is_defaulted_admitted_and_validated_like_one_from_kubectl()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var api = new ApiClient(new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(10)), new KubernetesPipeline(new AdmissionSettings(300))), "test");

        var created = await api.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { GenerateName = "web-", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx:1.14.2" }] },
        });
        var pod = created.Object;
        Assert.Matches("^web-[bcdfghjklmnpqrstvwxz2456789]{5}$", pod.Metadata.Name);
        Assert.Equal(("v1", "Pod", "Pending", "BestEffort"), (pod.ApiVersion, pod.Kind, pod.Status.Phase, pod.Status.QosClass));
        Assert.Equal("IfNotPresent", pod.Spec.Containers[0].ImagePullPolicy);
        Assert.Contains(pod.Spec.Tolerations, t => t is { Key: "node.kubernetes.io/unreachable", Effect: "NoExecute", TolerationSeconds: 300 });

        var invalid = await api.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "bad", NamespaceProperty = "default" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c" }] },
        });
        Assert.Equal(422, invalid.Error!.Code);
        Assert.Contains("spec.containers[0].image: Required value", invalid.Error.Message);
        Assert.Throws<ApiException>(() => invalid.Object);

        var stale = pod;
        pod.Metadata.Labels = new Dictionary<string, string> { ["app"] = "web" };
        Assert.True((await api.Update(pod)).Ok);
        var conflict = await api.Update(stale);
        Assert.True(conflict.IsConflict);
        Assert.True((await api.Get<V1Pod>("default", "nope")).IsNotFound);
    }

    [Fact]
    public async Task A_status_written_against_the_pod_as_last_seen_is_refused_when_the_pod_changed_since()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var api = new ApiClient(new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(10)), new KubernetesPipeline(new AdmissionSettings(300))), "kubelet");
        var seen = (await api.Create(Akka.KubeEmu.Actors.Api.Resources.ResourceCatalog.Pods, Akka.KubeEmu.Actors.Api.Objects.KubeObject.Parse("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"default"},"spec":{"nodeName":"node-1","containers":[{"name":"c","image":"nginx"}]}}
            """u8))).Object;

        System.Text.Json.Nodes.JsonObject Status(string phase) => new()
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "p", ["namespace"] = "default", ["resourceVersion"] = seen["metadata"]!["resourceVersion"]!.GetValue<string>() },
            ["status"] = new System.Text.Json.Nodes.JsonObject { ["phase"] = phase },
        };
        var running = await api.Update(Akka.KubeEmu.Actors.Api.Resources.ResourceCatalog.Pods, Status("Running"), "status", seen);
        Assert.True(running.Ok, running.Error?.Message);
        Assert.Equal("Running", running.Object["status"]!["phase"]!.GetValue<string>());

        // The same view again: the pod has moved on (our own write), so the write is refused, not applied blindly.
        var stale = await api.Update(Akka.KubeEmu.Actors.Api.Resources.ResourceCatalog.Pods, Status("Failed"), "status", seen);
        Assert.True(stale.IsConflict);
        Assert.Contains(Akka.KubeEmu.Actors.Api.ApiStatus.ObjectModifiedReason, stale.Error!.Message);
        Assert.Equal("Running", (await api.Get<V1Pod>("default", "p")).Object.Status.Phase);
    }
}

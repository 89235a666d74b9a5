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
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class BootstrapControllersSpecs : StoreTestBase
{
    public BootstrapControllersSpecs() : base(new TempDir()) { }

    [Fact]
    public void The_system_namespaces_and_the_kubernetes_service_are_created_through_the_API_and_kept()
    {
        var store = StartStore();
        var context = ControllerTestKit.Context(Sys, store, Time);
        Sys.ActorOf(KubernetesService.Props(context, 6443));
        Sys.ActorOf(SystemNamespaces.Props(context));

        JsonObject endpoints = null!;
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100)); // the Service waits for the default namespace: back-off
            foreach (var name in SystemNamespaces.Names)
            {
                var ns = Ok(store, new GetObject("namespaces", "", name));
                // Defaulted as kube-apiserver defaults what its loopback client creates.
                Assert.Equal(name, KubeObject.Labels(ns)["kubernetes.io/metadata.name"]);
                Assert.Equal("Active", KubeObject.ScalarAt(ns, "status.phase"));
            }
            var service = Ok(store, new GetObject("services", "default", "kubernetes"));
            Assert.Equal(KubernetesService.ClusterIp, KubeObject.ScalarAt(service, "spec.clusterIP"));
            endpoints = Ok(store, new GetObject("endpoints", "default", "kubernetes"));
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        Assert.Equal("6443", KubeObject.ScalarText(endpoints["subsets"]![0]!["ports"]![0]!["port"]));

        // Someone points the endpoints elsewhere, and deletes the service: both come back.
        endpoints["subsets"]![0]!["ports"]![0]!["port"] = 1234;
        Ok(store, new UpdateObject("endpoints", new(KubeObject.ToBytes(endpoints))));
        Ok(store, new DeleteObject("services", "default", "kubernetes"));
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Equal(KubernetesService.ClusterIp, KubeObject.ScalarAt(Ok(store, new GetObject("services", "default", "kubernetes")), "spec.clusterIP"));
            Assert.Equal("6443", KubeObject.ScalarText(Ok(store, new GetObject("endpoints", "default", "kubernetes"))["subsets"]![0]!["ports"]![0]!["port"]));
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
    }
}

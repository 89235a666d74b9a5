using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Store.Allocation;
using Akka.KubeEmu.Tests.Controllers;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Services;

public sealed class KubeDnsServiceSpecs : StoreTestBase
{
    public KubeDnsServiceSpecs() : base(new TempDir()) { }

    [Fact]
    public void Kube_dns_is_created_in_kube_system_at_the_tenth_address_once_the_namespace_exists()
    {
        var store = StartStore();
        var context = ControllerTestKit.Context(Sys, store, Time);
        Sys.ActorOf(KubeDnsService.Props(context, new ServiceNetworkSettings()));
        Sys.ActorOf(SystemNamespaces.Props(context));
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100)); // kube-system first: the create backs off until it exists
            var service = Ok(store, new GetObject("services", "kube-system", "kube-dns"));
            Assert.Equal("10.96.0.10", KubeObject.ScalarAt(service, "spec.clusterIP"));
            Assert.Equal("""[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},{"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53},{"name":"metrics","port":9153,"protocol":"TCP","targetPort":9153}]""",
                KubeObject.At(service, "spec.ports")!.ToJsonString());
            Assert.Equal("kube-dns", KubeObject.Labels(service)["k8s-app"]);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
    }
}

using Akka.KubeEmu.Actors.Controllers.RootCaPublisher;
using Akka.KubeEmu.Actors.Controllers.ServiceAccount;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class PerNamespaceControllersSpecs : StoreTestBase
{
    public PerNamespaceControllersSpecs() : base(new TempDir()) { }

    [Fact]
    public void Every_namespace_gets_a_default_service_account_and_the_root_ca_configmap()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Sys.ActorOf(ServiceAccountsController.Props(store));
        Sys.ActorOf(RootCaCertPublisher.Props(store, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"));
        Ok(store, new CreateObject("namespaces", Namespace("team-a")));

        AwaitAssert(() =>
        {
            foreach (var ns in new[] { "default", "team-a" })
            {
                Ok(store, new GetObject("serviceaccounts", ns, "default"));
                var ca = Ok(store, new GetObject("configmaps", ns, RootCaCertPublisher.ConfigMapName));
                Assert.StartsWith("-----BEGIN CERTIFICATE-----", ca["data"]!["ca.crt"]!.GetValue<string>());
            }
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(200));
    }
}

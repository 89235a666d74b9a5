using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.RootCaPublisher;
using Akka.KubeEmu.Actors.Controllers.ServiceAccount;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class PerNamespaceControllersSpecs : StoreTestBase
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    public PerNamespaceControllersSpecs() : base(new TempDir()) { }

    [Fact]
    public void Every_namespace_gets_a_default_service_account_and_the_root_ca_configmap()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var context = ControllerTestKit.Context(Sys, store, Time);
        Sys.ActorOf(ServiceAccountsController.Props(context));
        Sys.ActorOf(RootCaCertPublisher.Props(context, Ca));
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

    [Fact]
    public void A_deleted_default_service_account_comes_back_and_a_changed_ca_configmap_is_put_back()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var context = ControllerTestKit.Context(Sys, store, Time);
        Sys.ActorOf(ServiceAccountsController.Props(context));
        Sys.ActorOf(RootCaCertPublisher.Props(context, Ca));
        System.Text.Json.Nodes.JsonObject sa = null!, ca = null!;
        AwaitAssert(() =>
        {
            sa = Ok(store, new GetObject("serviceaccounts", "default", "default"));
            ca = Ok(store, new GetObject("configmaps", "default", RootCaCertPublisher.ConfigMapName));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        Ok(store, new DeleteObject("serviceaccounts", "default", "default"));
        ca["data"]!["ca.crt"] = "tampered";
        Ok(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(ca))));

        AwaitAssert(() =>
        {
            Assert.NotEqual(KubeObject.Uid(sa), KubeObject.Uid(Ok(store, new GetObject("serviceaccounts", "default", "default"))));
            Assert.Equal(Ca, Ok(store, new GetObject("configmaps", "default", RootCaCertPublisher.ConfigMapName))["data"]!["ca.crt"]!.GetValue<string>());
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }
}

using Akka.Configuration;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Messages;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Persistence;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Persistence;

/// <summary>The Store journaled in a real PostgreSQL server keeps acknowledged objects across restarts.</summary>
public sealed class PostgresStoreSpecs() : Akka.TestKit.Xunit2.TestKit(Config(), "kubeemu")
{
    private static Config Config() => KubeEmuConfig.Build(new ClusterNodeOptions
    {
        Roles = [ClusterRoles.ControlPlane],
        Persistence = new PostgresPersistence(TestPostgres.WithFreshSchema(out _)),
        Overrides = ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING"),
    }, typeof(ActorsMessageCatalog));

    [Fact]
    public void Objects_survive_a_store_restart()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
        var store = Sys.ActorOf(StoreActor.Props(new StoreSettings(), time), "pg-store-1");
        store.Tell(new CreateObject("namespaces", RawJson.FromString("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""")), TestActor);
        ExpectMsg<StoreObject>(TimeSpan.FromSeconds(20));
        store.Tell(new CreateObject("configmaps", RawJson.FromString("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"default"},"data":{"k":"v"}}""")), TestActor);
        var created = KubeObject.Parse(ExpectMsg<StoreObject>().Object.Utf8);
        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);

        var again = Sys.ActorOf(StoreActor.Props(new StoreSettings(), time), "pg-store-2");
        again.Tell(new GetObject("configmaps", "default", "a"), TestActor);
        var got = KubeObject.Parse(ExpectMsg<StoreObject>(TimeSpan.FromSeconds(20)).Object.Utf8);
        Assert.Equal(KubeObject.Uid(created), KubeObject.Uid(got));
        Assert.Equal(KubeObject.ResourceVersion(created), KubeObject.ResourceVersion(got));
    }
}

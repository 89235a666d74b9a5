using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Persistence;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Persistence;

/// <summary>The Store journaled in a real PostgreSQL server keeps acknowledged objects across restarts.</summary>
public sealed class PostgresStoreSpecs : Akka.TestKit.Xunit2.TestKit
{
    private readonly string _connectionString;

    public PostgresStoreSpecs() : this(TestPostgres.WithFreshSchema(out _)) { }

    private PostgresStoreSpecs(string connectionString) : base(Setup(new PostgresPersistence(connectionString)), "kubeemu") =>
        _connectionString = connectionString;

    private static ActorSystemSetup Setup(PostgresPersistence persistence) => TestConfigs.WithPersistence(KubeEmuConfig.Build(new ClusterNodeOptions
    {
        Roles = [ClusterRoles.ControlPlane],
        Persistence = persistence,
        Overrides = ConfigurationFactory.ParseString("akka.actor.provider = local\nakka.loglevel = WARNING"),
    }, typeof(ActorsMessageCatalog)), persistence);

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

    [Fact]
    public void After_snapshots_the_journal_is_trimmed_in_steps_through_the_trimming_index()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
        var settings = new StoreSettings(SnapshotEvery: 10, JournalTrimStep: 7);
        var store = Sys.ActorOf(StoreActor.Props(settings, time), "pg-store-1");
        store.Tell(new CreateObject("namespaces", RawJson.FromString("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""")), TestActor);
        ExpectMsg<StoreObject>(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 60; i++)
        {
            store.Tell(new CreateObject("configmaps", RawJson.FromString($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-{{{i}}}","namespace":"default"}}""")), TestActor);
            ExpectMsg<StoreObject>();
        }

        // Checkpoint cycles of 10, 10 and 20 writes (each as long as the store had objects when it
        // started): the third starts near the 20th write and completes at the 40th; the rows before
        // its start go, in steps of 7. The fourth (40 writes) is still running at the 61st.
        AwaitAssert(() =>
        {
            var (rows, lowest) = Scalar2("SELECT count(*), coalesce(min(sequence_number), 0) FROM journal WHERE NOT deleted");
            Assert.True(lowest >= 15 && rows <= 50, $"journal has {rows} rows from sequence number {lowest}");
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        Assert.Equal(1L, Scalar2("SELECT count(*), 0 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'kubeemu_journal_deleted_idx'").A);

        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);
        var again = Sys.ActorOf(StoreActor.Props(settings, time), "pg-store-2");
        again.Tell(new ListObjects("configmaps", "default"), TestActor);
        Assert.Equal(60, ExpectMsg<StoreList>(TimeSpan.FromSeconds(20)).Items.Count);
    }

    private (long A, long B) Scalar2(string sql)
    {
        using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1)));
    }
}

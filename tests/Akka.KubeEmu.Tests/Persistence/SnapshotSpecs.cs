using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Akka.KubeEmu.Tests.Persistence;

public sealed class SnapshotSpecs : StoreTestBase
{
    public SnapshotSpecs() : base(new TempDir()) { }

    [Fact]
    public void After_a_snapshot_the_journal_is_trimmed_and_recovery_still_has_every_object()
    {
        var settings = new StoreSettings(SnapshotEvery: 20);
        var store = StartStore("s1", settings);
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        for (var i = 0; i < 60; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"cm-{i:D3}")));

        AwaitAssert(() => Assert.True(SnapshotCount() > 0), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);

        var again = StartStore("s2", settings);
        again.Tell(new ListObjects("configmaps", "default"), TestActor);
        var list = ExpectMsg<StoreList>();
        Assert.Equal(60, list.Items.Count);
        var next = Ok(again, new CreateObject("configmaps", ConfigMap("later")));
        Assert.Equal(62, long.Parse(KubeObject.ResourceVersion(next)!));
    }

    [Fact]
    public void The_journal_is_trimmed_to_the_latest_checkpoint_in_steps()
    {
        var settings = new StoreSettings(SnapshotEvery: 10, JournalTrimStep: 7);
        var store = StartStore("s1", settings);
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        for (var i = 0; i < 60; i++) Ok(store, new CreateObject("configmaps", ConfigMap($"cm-{i:D3}")));

        // Checkpoint cycles of 10, 10 and 20 writes (each as long as the store had objects when it
        // started): the third starts near the 20th write and completes at the 40th; the rows before
        // its start go, in steps of 7. The fourth (40 writes) is still running at the 61st.
        AwaitAssert(() =>
        {
            var (rows, lowest) = JournalRows();
            Assert.True(lowest >= 15 && rows <= 50, $"journal has {rows} rows from sequence number {lowest}");
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.True(HasTrimmingIndex(), "the journal has no kubeemu_journal_deleted_idx");

        Watch(store);
        Sys.Stop(store);
        ExpectTerminated(store);
        var again = StartStore("s2", settings);
        again.Tell(new ListObjects("configmaps", "default"), TestActor);
        Assert.Equal(60, ExpectMsg<StoreList>().Items.Count);
    }

    private bool HasTrimmingIndex()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Dir.Path, "journal.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'kubeemu_journal_deleted_idx'";
        return (long)command.ExecuteScalar()! == 1;
    }

    private (long Rows, long Lowest) JournalRows()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Dir.Path, "journal.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(min(sequence_number), 0) FROM journal WHERE deleted = 0";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private long SnapshotCount()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Dir.Path, "snapshots.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='snapshot'";
        if ((long)command.ExecuteScalar()! == 0) return 0;
        command.CommandText = "SELECT count(*) FROM snapshot";
        return (long)command.ExecuteScalar()!;
    }
}

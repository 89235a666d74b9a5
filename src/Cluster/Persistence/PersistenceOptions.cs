using System.Data.Common;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace Akka.KubeEmu.Cluster.Persistence;

/// <summary>Where the Store's journal and snapshots live (Akka.Persistence.Sql through linq2db).</summary>
public abstract record PersistenceOptions
{
    public abstract Config ToConfig();

    /// <summary>An ActorSystem setup the plugins need beyond HOCON (linq2db options), if any.</summary>
    public virtual Setup? ToSetup() => null;

    /// <summary>Creates what must exist before the journal opens (files, WAL mode).</summary>
    public virtual void Prepare()
    {
    }

    protected static Config SqlPlugins(string journalConnection, string snapshotConnection, string provider, int parallelism) =>
        ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal.sql {
                class = "Akka.KubeEmu.Cluster.Persistence.StoreJournal, Akka.KubeEmu.Cluster"
                connection-string = "{{Escape(journalConnection)}}"
                provider-name = "{{provider}}"
                parallelism = {{parallelism}}
                auto-initialize = true
                tag-write-mode = Csv
                batch-size = 400
                # Bind a batch's payloads as parameters: as SQL literals they were hex-encoded by
                # linq2db and parsed back by the database (SQLite: ~60% more events/s from 64 writers).
                prefer-parameters-on-multirow-insert = true
              }
              snapshot-store.sql {
                class = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql"
                connection-string = "{{Escape(snapshotConnection)}}"
                provider-name = "{{provider}}"
                auto-initialize = true
              }
              query.journal.sql {
                class = "Akka.Persistence.Sql.Query.SqlReadJournalProvider, Akka.Persistence.Sql"
                connection-string = "{{Escape(journalConnection)}}"
                provider-name = "{{provider}}"
              }
            }
            """).WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);

    protected const string JournalPlugin = "akka.persistence.journal.sql";
    protected const string SnapshotPlugin = "akka.persistence.snapshot-store.sql";
    protected const string QueryPlugin = "akka.persistence.query.journal.sql";

    /// <summary>
    /// linq2db options for a plugin whose connections run <paramref name="opened"/> as they open.
    /// linq2db takes a synchronous and an asynchronous hook; both run the same synchronous code:
    /// a few statements (SQLite has no asynchronous I/O anyway), and on PostgreSQL only until the
    /// journal's index exists.
    /// </summary>
    protected static DataOptions OnOpen(string provider, string connectionString, Action<DbConnection> opened) => new DataOptions()
        .UseConnectionString(provider, connectionString)
        .UseAfterConnectionOpened(opened, (c, _) =>
        {
            opened(c);
            return Task.CompletedTask;
        });

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}

/// <summary>How SQLite commits: "full" fsyncs the write-ahead log on every commit (survives power
/// loss); "normal" leaves that to checkpoints (survives kill -9 and process crashes, the failures
/// an emulator is for, at a fraction of the latency).</summary>
public enum SqliteSynchronous { Normal, Full }

/// <summary>
/// Embedded SQLite in the state directory. Journal and snapshots are separate files so a large
/// snapshot write never holds the journal's lock; one writer (parallelism 1) as SQLite wants.
/// </summary>
public sealed record SqlitePersistence(string Directory, SqliteSynchronous Synchronous = SqliteSynchronous.Normal) : PersistenceOptions
{
    public string JournalPath => Path.Combine(Directory, "journal.db");
    public string SnapshotPath => Path.Combine(Directory, "snapshots.db");

    public override Config ToConfig() =>
        SqlPlugins($"Data Source={JournalPath}", $"Data Source={SnapshotPath}", "SQLite.MS", 1);

    /// <summary>
    /// Applied as each of the plugins' linq2db connections opens: SQLite's synchronous setting
    /// is per connection, not per file; and the journal gets its trimming index (see
    /// <see cref="JournalTrimIndex"/>) once the plugin has created the table.
    /// </summary>
    public override Setup? ToSetup()
    {
        var setup = new MultiDataOptionsSetup();
        setup.AddDataOptions(JournalPlugin, Options(JournalPath, _journalIndex));
        setup.AddDataOptions(SnapshotPlugin, Options(SnapshotPath, null));
        setup.AddDataOptions(QueryPlugin, Options(JournalPath, _journalIndex));
        return setup;
    }

    private readonly JournalTrimIndex _journalIndex = JournalTrimIndex.Sqlite();

    private DataOptions Options(string path, JournalTrimIndex? index) =>
        OnOpen(ProviderName.SQLiteMS, $"Data Source={path}", c => Opened(c, index));

    private void Opened(DbConnection connection, JournalTrimIndex? index)
    {
        using (var command = connection.CreateCommand())
        {
            // busy_timeout: when the journal's deletes and inserts meet, SQLite's own busy handler
            // retries within a millisecond or two; without it Microsoft.Data.Sqlite sees SQLITE_BUSY
            // and retries after sleeping 150 ms, and every create waiting behind it took that long.
            command.CommandText = $"PRAGMA synchronous={Synchronous.ToString().ToUpperInvariant()}; PRAGMA busy_timeout=30000;";
            command.ExecuteNonQuery();
        }
        index?.EnsureOn(connection);
    }

    public override void Prepare()
    {
        System.IO.Directory.CreateDirectory(Directory);
        foreach (var path in new[] { JournalPath, SnapshotPath })
        {
            // WAL mode persists in the file: readers never block the writer, and a committed
            // write is in the log before it is acknowledged, so it survives kill -9.
            using var connection = new SqliteConnection($"Data Source={path}");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            command.ExecuteNonQuery();
        }
    }
}

/// <summary>A PostgreSQL database, for control planes on several machines.</summary>
public sealed record PostgresPersistence(string ConnectionString) : PersistenceOptions
{
    public override Config ToConfig() => SqlPlugins(ConnectionString, ConnectionString, ProviderName.PostgreSQL15, 4);

    private readonly JournalTrimIndex _journalIndex = JournalTrimIndex.Postgres();

    /// <summary>The journal's trimming index (see <see cref="JournalTrimIndex"/>), once the plugin has created the table.</summary>
    public override Setup? ToSetup()
    {
        var setup = new MultiDataOptionsSetup();
        setup.AddDataOptions(JournalPlugin, OnOpen(ProviderName.PostgreSQL15, ConnectionString, _journalIndex.EnsureOn));
        setup.AddDataOptions(QueryPlugin, OnOpen(ProviderName.PostgreSQL15, ConnectionString, _journalIndex.EnsureOn));
        return setup;
    }
}

using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Akka.KubeEmu.Cluster.Persistence;

/// <summary>
/// A partial index over the journal rows marked deleted. Akka.Persistence.Sql deletes events in
/// one transaction that marks rows, then looks up the highest marked sequence number
/// (<c>WHERE persistence_id = ? AND deleted ORDER BY sequence_number DESC LIMIT 1</c>). With only
/// the plugin's (persistence_id, sequence_number) index, SQLite walks every live row from the top
/// to find it: about 100 ms for 160,000 rows, holding the single write lock while creates wait.
/// Only deleted rows enter this index (inserts never do), so it costs writes nothing and turns
/// that lookup into a seek. The plugin creates the table lazily, so the index is created on
/// the first connection that finds the table.
/// </summary>
public sealed class JournalTrimIndex
{
    private const string Create =
        "CREATE INDEX IF NOT EXISTS kubeemu_journal_deleted_idx ON journal (persistence_id, sequence_number) WHERE deleted = 1";

    private volatile bool _ready;

    public void EnsureOn(DbConnection connection)
    {
        if (_ready) return;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
            if (Convert.ToInt64(command.ExecuteScalar()) == 0) return;
            command.CommandText = Create;
            command.ExecuteNonQuery();
            _ready = true;
        }
        catch (SqliteException)
        {
            // Busy with another connection's write: the next connection tries again.
        }
    }
}

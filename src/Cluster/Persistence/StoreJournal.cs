using System.Collections.Immutable;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Sql.Journal;

namespace Akka.KubeEmu.Cluster.Persistence;

/// <summary>
/// Akka.Persistence.Sql's journal, except for a batch without a single event. Akka.Persistence hands
/// the journal such a batch when a persistent actor's <c>DeferAsync</c> calls are flushed on their own
/// (the Store defers its answers until earlier writes are durable), and the plugin (1.5.73) takes the
/// first write's persistence id from it: "Sequence contains no elements", a failure its circuit breaker
/// counts. Enough of them in a row (reads answered while a slow write is in flight) opened the breaker,
/// the Store's next write failed and the Store stopped (akkadotnet/Akka.Persistence.Sql#430). Nothing
/// to write is written: an empty answer, as the batch has no write to answer for.
/// </summary>
public sealed class StoreJournal(Config journalConfig) : SqlWriteJournal(journalConfig)
{
    private static readonly Task<IImmutableList<Exception>> NothingToWrite =
        Task.FromResult<IImmutableList<Exception>>(ImmutableList<Exception>.Empty);

    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyCollection<AtomicWrite> ?? messages.ToList();
        return writes.Count == 0 ? NothingToWrite : base.WriteMessagesAsync(writes, cancellationToken);
    }
}

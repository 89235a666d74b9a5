using Akka.Actor;
using Akka.Persistence;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Persistence;

/// <summary>
/// The journal takes batches without a single event, as Akka.Persistence sends them when a persistent
/// actor's deferred handlers are flushed on their own, without a failure its circuit breaker would count.
/// </summary>
public sealed class StoreJournalSpecs : StoreTestBase
{
    public StoreJournalSpecs() : base(new TempDir()) { }

    [Fact]
    public void A_batch_without_events_succeeds_and_many_in_a_row_leave_the_journal_writing()
    {
        var journal = Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);
        // More than the breaker's max-failures (10): failures in a row would open it.
        for (var i = 0; i < 12; i++)
        {
            journal.Tell(new WriteMessages([], TestActor, 1));
            ExpectMsg<WriteMessagesSuccessful>();
        }

        // The Store still writes through it.
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", ConfigMap("after")));
    }
}

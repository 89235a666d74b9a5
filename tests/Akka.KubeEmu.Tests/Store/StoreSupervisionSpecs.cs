using System.Diagnostics;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Akka.Pattern;
using Xunit;

namespace Akka.KubeEmu.Tests.Store;

/// <summary>The Store under its singleton's back-off supervisor: stopped by its termination message, restarted after failures.</summary>
public sealed class StoreSupervisionSpecs : StoreTestBase
{
    public StoreSupervisionSpecs() : base(new TempDir()) { }

    [Fact]
    public void Stopped_by_its_termination_message_the_store_answers_every_write_sent_before_it_refuses_later_ones_and_recovers_them_all()
    {
        var supervisor = Supervised("store-1");
        Watch(supervisor);
        Ok(supervisor, new CreateObject("namespaces", Namespace("default")));

        const int writes = 100;
        for (var i = 0; i < writes; i++) supervisor.Tell(new CreateObject("configmaps", ConfigMap($"cm-{i:D3}")), TestActor);
        supervisor.Tell(StoreActor.Shutdown.Instance, TestActor);
        supervisor.Tell(new CreateObject("configmaps", ConfigMap("too-late")), TestActor);

        // A PoisonPill here would stop the store with writes in flight, and leave their senders without an answer.
        // (The refusal is not held back behind the writes in flight, so it may come first.)
        var replies = ReceiveN(writes + 1);
        var acknowledged = replies.OfType<StoreObject>().Select(r => KubeObject.Name(Obj(r.Object))).ToList();
        Assert.Equal(writes, acknowledged.Count);
        Assert.Equal(503, replies.OfType<StoreFailure>().Single().Status.Code);
        // The supervisor stops with its child: what completes a singleton's hand-over.
        ExpectTerminated(supervisor);

        var again = Supervised("store-2");
        again.Tell(new ListObjects("configmaps", "default"), TestActor);
        var names = ExpectMsg<StoreList>().Items.Select(i => KubeObject.Name(Obj(i))).ToList();
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), names);
        Assert.DoesNotContain("too-late", names);
    }

    [Fact]
    public void A_store_that_fails_is_started_again_after_a_back_off_and_keeps_its_data()
    {
        var backoff = TimeSpan.FromSeconds(1);
        var supervisor = Supervised("store-1", backoff);
        Ok(supervisor, new CreateObject("namespaces", Namespace("default")));
        var created = Ok(supervisor, new CreateObject("configmaps", ConfigMap("kept")));
        var repliedBy = LastSender;
        var first = CurrentChild(supervisor);
        Assert.Equal(first, repliedBy);
        Watch(first!);

        first!.Tell(Kill.Instance);
        ExpectTerminated(first);
        var stopwatch = Stopwatch.StartNew();
        IActorRef? second = null;
        AwaitAssert(() =>
        {
            second = CurrentChild(supervisor);
            Assert.NotNull(second);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        // Not at once: the back-off is at least its minimum (less what the test's Terminated lagged behind the supervisor's).
        Assert.True(stopwatch.Elapsed > backoff * 0.8, $"restarted after {stopwatch.Elapsed}");
        Assert.NotEqual(first, second);

        var kept = Ok(supervisor, new GetObject("configmaps", "default", "kept"));
        Assert.Equal(KubeObject.Uid(created), KubeObject.Uid(kept));
        // Replies come from the store itself, not the supervisor: watchers death-watch that sender.
        Assert.Equal(second, LastSender);
    }

    private IActorRef Supervised(string name, TimeSpan? minBackoff = null) =>
        Sys.ActorOf(SingletonSupervision.Props(StoreActor.Props(new StoreSettings(), Time), "store", StoreActor.Shutdown.Instance, minBackoff), name);

    private IActorRef? CurrentChild(IActorRef supervisor)
    {
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        return ExpectMsg<BackoffSupervisor.CurrentChild>().Ref;
    }
}

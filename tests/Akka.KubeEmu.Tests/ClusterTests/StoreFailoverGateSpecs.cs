using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

/// <summary>
/// The API server's gate to the Store singleton against a scripted proxy (a probe), told by hand
/// where the Store runs, as its <see cref="StoreHostTracker"/> would from cluster membership.
/// </summary>
public sealed class StoreFailoverGateSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly UniqueAddress First = new(new Address("akka.tcp", "kubeemu", "127.0.0.1", 1001), 1);
    private static readonly UniqueAddress Second = new(new Address("akka.tcp", "kubeemu", "127.0.0.1", 1002), 2);
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(50);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-02T20:00:00Z"));
    private readonly TestKit.TestProbe _store;
    private readonly IActorRef _gate;

    public StoreFailoverGateSpecs()
    {
        _store = CreateTestProbe();
        _gate = Sys.ActorOf(StoreFailoverGate.Props(_store, TimeSpan.FromSeconds(30), _time, Props.Empty, Settle));
    }

    private static StoreObject Cm(string name) =>
        new(RawJson.FromString($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default"}}"""));

    private static CreateObject Create(string name) => new("configmaps", Cm(name).Object);

    [Fact]
    public void A_read_lost_with_a_killed_store_is_asked_again_of_the_store_that_took_over()
    {
        _gate.Tell(new StoreHost(First, true));
        _gate.Tell(new GetObject("configmaps", "default", "a"), TestActor);
        _store.ExpectMsg<GetObject>();
        // No answer: the process running the Store was killed; membership finds it, then moves the singleton.
        _gate.Tell(new StoreHost(First, false));
        _store.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        ExpectNoMsg(TimeSpan.Zero);
        _gate.Tell(new StoreHost(Second, true));

        _store.ExpectMsg<GetObject>(g => g.Name == "a");
        _store.Reply(Cm("a"));
        ExpectMsg<StoreObject>();
    }

    [Fact]
    public void A_write_in_doubt_when_its_store_failed_over_is_answered_504_at_once_and_never_applied_twice()
    {
        _gate.Tell(new StoreHost(First, true));
        _gate.Tell(Create("a"), TestActor);
        _store.ExpectMsg<CreateObject>();
        _gate.Tell(new StoreHost(First, false));
        _gate.Tell(new StoreHost(Second, true));

        var failure = ExpectMsg<StoreFailure>(TimeSpan.FromSeconds(1));
        Assert.Equal(504, failure.Status.Code);
        Assert.Contains("may still be applied", failure.Status.Message);
        _store.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Requests_made_while_the_store_is_unreachable_wait_for_it_instead_of_being_lost()
    {
        _gate.Tell(new StoreHost(First, true));
        _gate.Tell(new StoreHost(First, false));
        _gate.Tell(new ListObjects("configmaps"), TestActor);
        _gate.Tell(Create("b"), TestActor);
        _store.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _gate.Tell(new StoreHost(Second, true));
        _store.ExpectMsg<ListObjects>();
        _store.Reply(new StoreList([], "12", null, null));
        ExpectMsg<StoreList>();
        // Never sent before the move, so not in doubt: it goes to the new Store.
        _store.ExpectMsg<CreateObject>();
        _store.Reply(Cm("b"));
        ExpectMsg<StoreObject>();
    }

    [Fact]
    public void A_store_that_was_only_paused_gets_what_waited_for_it_and_answers_what_it_was_sent()
    {
        _gate.Tell(new StoreHost(First, true));
        _gate.Tell(Create("a"), TestActor);
        _store.ExpectMsg<CreateObject>();
        var storeAsker = _store.LastSender;
        _gate.Tell(new StoreHost(First, false));
        _gate.Tell(new GetObject("configmaps", "default", "a"), TestActor);
        _store.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _gate.Tell(new StoreHost(First, true));
        _store.ExpectMsg<GetObject>();
        _store.Reply(Cm("a"));
        storeAsker.Tell(Cm("a"), _store);
        Assert.Equal(2, ReceiveN(2).OfType<StoreObject>().Count());
    }

    [Fact]
    public void A_request_whose_caller_gave_up_while_it_waited_is_never_sent()
    {
        _gate.Tell(new StoreHost(First, true));
        _gate.Tell(new StoreHost(First, false));
        _gate.Tell(Create("late"), TestActor);
        _store.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        _time.Advance(TimeSpan.FromSeconds(31));

        _gate.Tell(new StoreHost(Second, true));
        _store.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Other_store_messages_pass_straight_through()
    {
        _gate.Tell(new CancelWatch("configmaps", "w1"), TestActor);
        _store.ExpectMsg<CancelWatch>();
        Assert.Equal(TestActor, _store.LastSender);
    }
}

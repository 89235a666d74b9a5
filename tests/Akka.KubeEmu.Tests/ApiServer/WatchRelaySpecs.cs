using Akka.Actor;
using System.Threading.Channels;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Host.ApiServer.Watch;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// An HTTP watch acknowledges a batch only once it is written, so a client that stops reading
/// stops acknowledging; it outlives the Store's move and relays the Store's bookmarks.
/// </summary>
public sealed class WatchRelaySpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly WatchObjects Request = new("configmaps", "w-1", "default");

    [Fact]
    public void A_batch_is_acknowledged_to_the_store_only_after_the_handler_wrote_it()
    {
        var store = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(10);
        var relay = Relay(store, channel);
        store.ExpectMsg<WatchObjects>();
        store.Reply(new WatchAccepted("w-1", "5"));
        store.Reply(new WatchEvents("w-1", [Event("a"), Event("b")]));

        AwaitAssert(() => Assert.Equal(2, channel.Reader.Count));
        store.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        relay.Tell(new WatchRelay.Written(2));
        var ack = store.ExpectMsg<WatchAck>();
        Assert.Equal(new WatchAck("configmaps", "w-1", 2), ack);
    }

    [Fact]
    public async Task A_watch_the_store_lets_go_of_ends_the_stream_after_what_was_relayed()
    {
        var store = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(10);
        Relay(store, channel);
        store.ExpectMsg<WatchObjects>();
        store.Reply(new WatchAccepted("w-1", "5"));
        store.Reply(new WatchEvents("w-1", [Event("a")]));
        store.Reply(new WatchEnded("w-1", Akka.KubeEmu.Actors.Api.ApiStatus.TooManyRequests("too slow")));

        Assert.Equal([typeof(WatchAccepted), typeof(WatchEvents)], (await ReadToEnd(channel)).Select(i => i.GetType()));
    }

    [Fact]
    public async Task A_watch_whose_buffer_fills_is_given_up()
    {
        var store = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(2);
        Relay(store, channel);
        store.ExpectMsg<WatchObjects>();
        store.Reply(new WatchAccepted("w-1", "5"));
        store.Reply(new WatchEvents("w-1", [Event("a")]));
        store.Reply(new WatchEvents("w-1", [Event("b")]));

        // Nothing was read: the second batch does not fit, so the relay cancels the watch and ends the stream.
        Assert.Equal("w-1", store.ExpectMsg<CancelWatch>().WatchId);
        Assert.Equal(2, (await ReadToEnd(channel)).Count);
    }

    [Fact]
    public async Task When_the_store_goes_away_the_watch_resumes_on_the_next_one_after_the_last_event_relayed()
    {
        var proxy = CreateTestProbe();
        var first = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(10);
        var relay = Relay(proxy, channel);
        proxy.ExpectMsg<WatchObjects>();
        first.Send(relay, new WatchAccepted("w-1", "5"));
        first.Send(relay, new WatchEvents("w-1", [Event("a", "6"), Event("b", "8")]));
        Sys.Stop(first.Ref);

        var resumed = proxy.ExpectMsg<WatchObjects>();
        Assert.Equal("8", resumed.ResourceVersion);
        Assert.NotEqual(Request.WatchId, resumed.WatchId);
        proxy.Reply(new WatchAccepted(resumed.WatchId, "9"));
        proxy.Reply(new WatchEvents(resumed.WatchId, [Event("c", "9")]));
        // One WatchAccepted for the client, then every event, in order, on the same stream.
        await AwaitAssertAsync(() => Assert.Equal(3, channel.Reader.Count));
        var items = new List<object>();
        while (channel.Reader.TryRead(out var item)) items.Add(item);
        Assert.Equal(["accepted", "a", "b", "c"],
            items.SelectMany(i => i is WatchEvents e ? e.Events.Select(ev => Akka.KubeEmu.Actors.Api.Objects.KubeObject.Parse(ev.Object.Utf8)["metadata"]!["name"]!.GetValue<string>()) : ["accepted"]));
    }

    [Fact]
    public async Task A_resumed_watch_the_next_store_does_not_answer_asks_again_instead_of_ending()
    {
        var proxy = CreateTestProbe();
        var first = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(10);
        var relay = Relay(proxy, channel);
        proxy.ExpectMsg<WatchObjects>();
        first.Send(relay, new WatchAccepted("w-1", "5"));
        Sys.Stop(first.Ref);

        // The proxy still sent the first resumed request to the Store that died: nobody answers it.
        var lost = proxy.ExpectMsg<WatchObjects>();
        Assert.Equal(lost.WatchId, proxy.ExpectMsg<CancelWatch>(WatchRelay.ResumeRetry + TimeSpan.FromSeconds(3)).WatchId);
        var again = proxy.ExpectMsg<WatchObjects>();
        Assert.NotEqual(lost.WatchId, again.WatchId);
        Assert.Equal("5", again.ResourceVersion);
        proxy.Reply(new WatchAccepted(again.WatchId, "6"));
        proxy.Reply(new WatchEvents(again.WatchId, [Event("a", "7")]));

        // The stream stayed open throughout and carries the new events.
        await AwaitAssertAsync(() => Assert.Equal(2, channel.Reader.Count), TimeSpan.FromSeconds(3));
        Assert.False(channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void A_watch_that_allows_bookmarks_asks_the_store_for_its_progress_and_relays_it_as_a_bookmark()
    {
        var store = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(10);
        Relay(store, channel, new WatchOptions(Bookmarks: true, SendInitialEvents: false), TimeSpan.FromMilliseconds(200));
        store.ExpectMsg<WatchObjects>();
        store.Reply(new WatchAccepted("w-1", "5"));

        Assert.Equal("w-1", store.ExpectMsg<RequestWatchProgress>(TimeSpan.FromSeconds(3)).WatchId);
        store.Reply(new WatchProgress("w-1", "12"));
        AwaitAssert(() => Assert.Contains(new WatchRelay.Bookmark("12", false), Drain(channel)));
    }

    [Fact]
    public void A_watch_list_gets_the_initial_events_end_bookmark_once_then_plain_ones()
    {
        var store = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(10);
        Relay(store, channel, new WatchOptions(Bookmarks: true, SendInitialEvents: true), TimeSpan.FromMinutes(1));
        store.ExpectMsg<WatchObjects>();
        store.Reply(new WatchAccepted("w-1", "5"));
        store.ExpectMsg<RequestWatchProgress>();
        store.Reply(new WatchProgress("w-1", "5"));
        store.Reply(new WatchProgress("w-1", "7"));
        var seen = new List<object>();
        AwaitAssert(() =>
        {
            seen.AddRange(Drain(channel));
            Assert.Equal([new WatchRelay.Bookmark("5", true), new WatchRelay.Bookmark("7", false)], seen.OfType<WatchRelay.Bookmark>());
        });
    }

    private IActorRef Relay(IActorRef store, Channel<object> channel, WatchOptions? options = null, TimeSpan? bookmarkEvery = null) =>
        Sys.ActorOf(WatchRelay.Props(store, Request, options ?? new WatchOptions(false, false),
            new WatchRelay.BookmarkSchedule(bookmarkEvery ?? TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(30)), channel.Writer, TimeSpan.FromSeconds(5)));

    private static List<object> Drain(Channel<object> channel)
    {
        var items = new List<object>();
        while (channel.Reader.TryRead(out var item)) items.Add(item);
        return items;
    }

    private static async Task<List<object>> ReadToEnd(Channel<object> channel)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var items = new List<object>();
        await foreach (var item in channel.Reader.ReadAllAsync(timeout.Token)) items.Add(item);
        return items;
    }

    private static WatchEvent Event(string name, string resourceVersion = "6") =>
        new("ADDED", RawJson.FromString($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default","resourceVersion":"{{{resourceVersion}}}"}}"""));
}

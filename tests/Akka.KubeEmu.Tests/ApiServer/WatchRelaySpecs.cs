using Akka.Actor;
using System.Threading.Channels;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Host.ApiServer.Watch;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>An HTTP watch acknowledges a batch only once it is written, so a client that stops reading stops acknowledging.</summary>
public sealed class WatchRelaySpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly WatchObjects Request = new("configmaps", "w-1", "default");

    [Fact]
    public void A_batch_is_acknowledged_to_the_store_only_after_the_handler_wrote_it()
    {
        var store = CreateTestProbe();
        var channel = Channel.CreateBounded<object>(10);
        var relay = Sys.ActorOf(WatchRelay.Props(store, Request, channel.Writer, TimeSpan.FromSeconds(5)));
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
        Sys.ActorOf(WatchRelay.Props(store, Request, channel.Writer, TimeSpan.FromSeconds(5)));
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
        Sys.ActorOf(WatchRelay.Props(store, Request, channel.Writer, TimeSpan.FromSeconds(5)));
        store.ExpectMsg<WatchObjects>();
        store.Reply(new WatchAccepted("w-1", "5"));
        store.Reply(new WatchEvents("w-1", [Event("a")]));
        store.Reply(new WatchEvents("w-1", [Event("b")]));

        // Nothing was read: the second batch does not fit, so the relay cancels the watch and ends the stream.
        Assert.Equal("w-1", store.ExpectMsg<CancelWatch>().WatchId);
        Assert.Equal(2, (await ReadToEnd(channel)).Count);
    }

    private static async Task<List<object>> ReadToEnd(Channel<object> channel)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var items = new List<object>();
        await foreach (var item in channel.Reader.ReadAllAsync(timeout.Token)) items.Add(item);
        return items;
    }

    private static WatchEvent Event(string name) =>
        new("ADDED", RawJson.FromString($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default"}}"""));
}

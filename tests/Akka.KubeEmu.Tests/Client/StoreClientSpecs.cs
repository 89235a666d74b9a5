using Akka.Actor;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Client;

public sealed class StoreClientSpecs : Akka.TestKit.Xunit2.TestKit
{
    [Fact]
    public void Deadlines_expire_in_order_once_their_timeout_has_passed_and_not_before()
    {
        var time = new FakeTimeProvider();
        var deadlines = new AskDeadlines(TimeSpan.FromSeconds(30), time);
        var first = deadlines.Start();
        var sameMoment = deadlines.Start();
        time.Advance(TimeSpan.FromSeconds(10));
        var second = deadlines.Start();
        Assert.Equal(2, deadlines.Pending); // requests of one moment share their deadline

        time.Advance(TimeSpan.FromSeconds(19.99));
        Assert.False(first.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(0.01) + 2 * deadlines.Resolution);
        Assert.True(first.IsCancellationRequested);
        Assert.True(sameMoment.IsCancellationRequested);
        Assert.False(second.IsCancellationRequested);
        Assert.Equal(1, deadlines.Pending);

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(second.IsCancellationRequested);
        Assert.Equal(0, deadlines.Pending);
    }

    /// <summary>A store that never answers: the caller gets Kubernetes' 504 Timeout status, not an exception.</summary>
    [Fact]
    public async Task A_store_that_does_not_answer_in_time_gives_a_timeout_status()
    {
        var silent = CreateTestProbe();
        var client = new StoreClient(silent.Ref, TimeSpan.FromMilliseconds(300));
        var result = await client.Get("configmaps", "default", "a").WaitAsync(TimeSpan.FromSeconds(10));
        silent.ExpectMsg<GetObject>();
        Assert.False(result.Ok);
        Assert.Equal(504, result.Error!.Code);
        Assert.Equal("Timeout", result.Error.Reason);
    }

    [Fact]
    public async Task An_answer_in_time_is_returned()
    {
        var store = CreateTestProbe();
        var client = new StoreClient(store.Ref, TimeSpan.FromSeconds(5));
        var pending = client.Get("configmaps", "default", "a");
        store.ExpectMsg<GetObject>();
        store.Reply(new StoreFailure(Akka.KubeEmu.Actors.Api.ApiStatus.NotFound("configmaps \"a\" not found")));
        var result = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(404, result.Error!.Code);
    }
}

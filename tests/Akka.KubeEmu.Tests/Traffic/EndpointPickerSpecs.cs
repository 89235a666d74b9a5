using Akka.KubeEmu.Actors.Node.Proxy;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

public sealed class EndpointPickerSpecs
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero));

    private static readonly Backend A = new("10.244.1.2", 80, "node-1");
    private static readonly Backend B = new("10.244.2.2", 80, "node-2");
    private static readonly Backend C = new("10.244.3.2", 80, "node-3");

    [Fact]
    public void Without_affinity_connections_spread_over_every_ready_endpoint()
    {
        var picker = new EndpointPicker(_time, new Random(7));
        var seen = Enumerable.Range(0, 300).Select(_ => picker.Pick("default/web", "", [A, B, C], "127.0.0.1", null)!).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, seen.Count);
        Assert.All(seen.Values, n => Assert.InRange(n, 60, 140));
    }

    [Fact]
    public void No_endpoint_means_no_choice()
    {
        var picker = new EndpointPicker(_time);
        Assert.Null(picker.Pick("default/web", "", [], "127.0.0.1", null));
        Assert.Null(picker.Pick("default/web", "", [], "127.0.0.1", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void ClientIP_affinity_keeps_a_client_on_its_endpoint_until_the_timeout_passes_without_connections()
    {
        var picker = new EndpointPicker(_time, new Random(1));
        var timeout = TimeSpan.FromSeconds(30);
        var first = picker.Pick("default/web", "", [A, B, C], "127.0.0.5", timeout)!;
        for (var i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(20)); // each connection renews the affinity
            Assert.Equal(first, picker.Pick("default/web", "", [A, B, C], "127.0.0.5", timeout));
        }
        // Another client is free to land elsewhere; after a silence longer than the timeout the choice is new.
        var others = Enumerable.Range(0, 40).Select(i => picker.Pick("default/web", "", [A, B, C], $"127.0.0.{10 + i}", timeout)).Distinct().Count();
        Assert.True(others > 1);
        var afterSilence = Enumerable.Range(0, 40).Select(_ =>
        {
            _time.Advance(TimeSpan.FromSeconds(31));
            return picker.Pick("default/web", "", [A, B, C], "127.0.0.5", timeout);
        }).Distinct().Count();
        Assert.True(afterSilence > 1);
    }

    [Fact]
    public void An_affine_client_moves_when_its_endpoint_is_no_longer_ready()
    {
        var picker = new EndpointPicker(_time, new Random(3));
        var timeout = TimeSpan.FromHours(3);
        var first = picker.Pick("default/web", "", [A, B], "127.0.0.5", timeout)!;
        var other = first == A ? B : A;
        Assert.Equal(other, picker.Pick("default/web", "", [other], "127.0.0.5", timeout));
        // and it stays on the new one when the old one comes back
        Assert.Equal(other, picker.Pick("default/web", "", [A, B], "127.0.0.5", timeout));
    }

    [Fact]
    public void Affinity_is_per_service_port()
    {
        var picker = new EndpointPicker(_time, new Random(5));
        var timeout = TimeSpan.FromHours(3);
        Assert.Equal(A, picker.Pick("default/web", "http", [A], "127.0.0.5", timeout));
        Assert.Equal(B, picker.Pick("default/web", "https", [B], "127.0.0.5", timeout));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(A, picker.Pick("default/web", "http", [A, B, C], "127.0.0.5", timeout));
            Assert.Equal(B, picker.Pick("default/web", "https", [A, B, C], "127.0.0.5", timeout));
        }
    }
}

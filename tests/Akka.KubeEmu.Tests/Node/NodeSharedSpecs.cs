using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.Shared;
using Akka.KubeEmu.Actors.Api.Objects;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

public sealed class NodeSharedSpecs
{
    [Theory]
    [InlineData(300, "300ms")]
    [InlineData(1500, "1.5s")]
    [InlineData(2000, "2s")]
    [InlineData(10_000, "10s")]
    [InlineData(80_000, "1m20s")]
    [InlineData(160_000, "2m40s")]
    [InlineData(300_000, "5m0s")]
    [InlineData(3_723_000, "1h2m3s")]
    public void Durations_print_as_Go_prints_them(int milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Node_networks_follow_the_index()
    {
        var n1 = new NodeNetwork(1);
        Assert.Equal("10.244.1.0/24", n1.PodCidr);
        Assert.Equal("127.0.1.3", n1.InternalIp);
        Assert.Equal("172.18.0.3", new NodeNetwork(1, "172.18.0.0").InternalIp);
        Assert.Equal("10.244.1.7", n1.PodIp(7));
        Assert.Equal(7, n1.PodHost("10.244.1.7"));
        Assert.Null(n1.PodHost("10.244.2.7"));
        var n300 = new NodeNetwork(300);
        Assert.Equal("10.245.44.0/24", n300.PodCidr);
        Assert.Equal("127.0.2.46", n300.InternalIp);
        Assert.Equal(new NodeSpec("node-12", 12), NodeSpec.For("node-12"));
        Assert.Equal(NodeSpec.For("worker-a").Index, NodeSpec.For("worker-a").Index);
    }
}

using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.KubeEmu.Cluster.Downing;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

public sealed class ProcessProbeSpecs
{
    private static Address At(int port) => new("akka.tcp", "kubeemu", "127.0.0.1", port);

    [Fact]
    public async Task A_port_something_listens_on_is_a_live_process_and_a_closed_one_a_gone_process()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        try
        {
            // Nobody accepts: the kernel completes the handshake from the backlog, as for a frozen process.
            Assert.Equal(ProcessProbeResult.Listening, await ProcessProbe.Probe(At(port), TimeSpan.FromSeconds(2)));
        }
        finally
        {
            listener.Stop();
        }
        Assert.Equal(ProcessProbeResult.Gone, await ProcessProbe.Probe(At(port), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task An_address_without_host_and_port_is_unknown_not_gone() =>
        Assert.Equal(ProcessProbeResult.Unknown, await ProcessProbe.Probe(new Address("akka", "kubeemu"), TimeSpan.FromSeconds(1)));
}

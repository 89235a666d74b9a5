using System.Net;
using System.Net.Sockets;
using Akka.KubeEmu.Host.Startup;
using Akka.Remote;
using Xunit;

namespace Akka.KubeEmu.Tests.Host;

public sealed class LocalPortsSpecs
{
    [Fact]
    public void Ports_handed_out_for_clusters_are_free_and_never_handed_out_twice()
    {
        // The kernel often gives a just-closed ephemeral port again: a cluster must never get one port for two uses.
        var ports = Enumerable.Range(0, 300).Select(_ => LocalPorts.Unused()).ToArray();
        Assert.Equal(ports.Length, ports.Distinct().Count());
        Assert.True(LocalPorts.IsFree(IPAddress.Loopback, ports[^1]));
    }

    [Fact]
    public void A_port_someone_listens_on_fails_at_once_naming_the_port_and_the_option()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            Assert.False(LocalPorts.IsFree(IPAddress.Loopback, port));

            var failure = Assert.Throws<StartupFailure>(() => LocalPorts.EnsureFree("127.0.0.1", port, "Akka", "--akka-port"));
            Assert.Equal($"Akka port {port} on 127.0.0.1 is in use (another KubeEmu cluster, or another program, listens there): choose a free one with --akka-port",
                failure.Message);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Port_zero_and_host_names_are_left_to_the_bind_itself()
    {
        LocalPorts.EnsureFree("127.0.0.1", 0, "Akka", "--akka-port");
        LocalPorts.EnsureFree("localhost", 1, "Akka", "--akka-port");
    }

    [Fact]
    public void A_bind_that_fails_later_is_told_apart_by_who_wrapped_it()
    {
        var inUse = new SocketException((int)SocketError.AddressAlreadyInUse);
        var akka = new AggregateException(new AggregateException(new RemoteTransportException("Failed to bind to [127.0.0.1:4053].", inUse)));
        var kestrel = new IOException("Failed to bind to address https://127.0.0.1:6443: address already in use.", new InvalidOperationException("in use", inUse));

        Assert.StartsWith("Akka port 4053 on 127.0.0.1 is in use", LocalPorts.DescribeBindFailure(akka, ("127.0.0.1", 4053), ("127.0.0.1", 6443)));
        Assert.StartsWith("API port 6443 on 127.0.0.1 is in use", LocalPorts.DescribeBindFailure(kestrel, ("127.0.0.1", 4053), ("127.0.0.1", 6443)));
        Assert.Null(LocalPorts.DescribeBindFailure(new InvalidOperationException("something else"), ("127.0.0.1", 4053)));
    }
}

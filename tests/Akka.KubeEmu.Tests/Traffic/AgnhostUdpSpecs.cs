using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Node.Network.Udp;
using Akka.KubeEmu.Tests.Node;
using System.Text;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

/// <summary>agnhost's netexec and serve-hostname as a container runs them: where they listen, what their UDP servers answer.</summary>
public sealed class AgnhostUdpSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly ImageCatalog Catalog = ImageCatalog.Load(File.ReadAllText(NodeTestBase.RepoFile("config/images.yaml")));

    private static (ContainerProcess Process, ContainerLog Log) Run(string[] argv)
    {
        var image = Catalog.Describe(ImageReference.Parse("registry.k8s.io/e2e-test-images/agnhost:2.52", out _)!);
        var log = new ContainerLog(ContainerLogSettings.Default, "agnhost");
        var spec = new ProcessSpec(argv, image, new Dictionary<string, string>(), "udp-a", false, false, []) { ImageName = "agnhost", ImageTag = "2.52" };
        var process = new ContainerProcess(spec, ContainerFileSystem.Empty(), log, T0);
        process.Advance(T0);
        return (process, log);
    }

    [Fact]
    public void Netexec_serves_http_on_its_http_port_and_udp_on_its_udp_port_and_logs_both()
    {
        var (process, log) = Run(["netexec", "--http-port=8080", "--udp-port=8081"]);
        Assert.False(process.Exited);
        Assert.True(process.Ports[8080]);
        Assert.Equal(UdpServer.Netexec, process.UdpPorts[8081]);
        Assert.Equal(["2026/12/03 09:00:00 Started HTTP server on port 8080", "2026/12/03 09:00:00 Started UDP server on port  8081"],
            log.Lines.Select(l => l.Text));

        var (defaults, _) = Run(["/agnhost", "netexec", "--http-port", "9000"]);
        Assert.True(defaults.Ports[9000]);
        Assert.Equal([8081], defaults.UdpPorts.Keys);
        Assert.Empty(Run(["netexec", "--udp-port=-1"]).Process.UdpPorts);
    }

    [Fact]
    public void Serve_hostname_listens_on_udp_only_when_asked()
    {
        var (udp, _) = Run(["serve-hostname", "--udp", "--http=false", "--port=9376"]);
        Assert.Equal(UdpServer.ServeHostname, udp.UdpPorts[9376]);
        Assert.Empty(udp.Ports);
        var (http, _) = Run(["serve-hostname"]);
        Assert.True(http.Ports[9376]);
        Assert.Empty(http.UdpPorts);
    }

    [Theory]
    [InlineData("hostname", "udp-a")]
    [InlineData(" HOSTNAME\n", "udp-a")]
    [InlineData("echo Hello World", "hello world")]
    [InlineData("clientip", "127.0.1.3:40000")]
    [InlineData("what", null)]
    [InlineData("", null)]
    public void Netexec_answers_its_udp_commands_as_agnhost_does(string datagram, string? answer)
    {
        var reply = SimulatedUdpServer.Respond(UdpServer.Netexec, "udp-a", Encoding.UTF8.GetBytes(datagram), "127.0.1.3:40000");
        Assert.Equal(answer, reply is null ? null : Encoding.UTF8.GetString(reply));
        Assert.Equal("udp-a", Encoding.UTF8.GetString(SimulatedUdpServer.Respond(UdpServer.ServeHostname, "udp-a", Encoding.UTF8.GetBytes(datagram), "x")!));
    }
}

using System.Net.Sockets;
using Akka.KubeEmu.Host.Launcher;
using Xunit;

namespace Akka.KubeEmu.Tests.Host;

public sealed class PortChoiceSpecs
{
    private static readonly HashSet<int> Taken = [6443, 4053, 5000];

    [Fact]
    public void Free_ports_are_used_as_asked()
    {
        var choice = Choose(new UpOptions { ApiPort = 7443, AkkaPort = 7053, ApiPortGiven = true, AkkaPortGiven = true });

        Assert.Equal((7443, 7053, null), (choice.ApiPort, choice.AkkaPort, choice.Error));
        Assert.Empty(choice.Notes);
    }

    [Fact]
    public void Taken_defaults_are_replaced_by_free_ports_and_said_so()
    {
        var choice = Choose(new UpOptions());

        Assert.Null(choice.Error);
        Assert.Equal(30000, choice.ApiPort);
        Assert.Equal(30001, choice.AkkaPort);
        Assert.Equal(["API port 6443 is in use; using 30000 (--api-port to choose)", "Akka port 4053 is in use; using 30001 (--akka-port to choose)"], choice.Notes);
    }

    [Fact]
    public void A_taken_port_the_user_gave_fails_naming_the_port_and_the_option()
    {
        var choice = Choose(new UpOptions { AkkaPort = 5000, AkkaPortGiven = true });

        Assert.NotNull(choice.Error);
        Assert.StartsWith("Akka port 5000 on 127.0.0.1 is in use", choice.Error);
        Assert.EndsWith("choose a free one with --akka-port", choice.Error);
    }

    [Fact]
    public void A_default_never_takes_the_port_the_user_gave_to_the_other_option()
    {
        var choice = Choose(new UpOptions { AkkaPort = 7443, AkkaPortGiven = true, ApiPort = 7443 });
        Assert.Equal((30000, 7443), (choice.ApiPort, choice.AkkaPort));

        var both = Choose(new UpOptions { AkkaPort = 7443, AkkaPortGiven = true, ApiPort = 7443, ApiPortGiven = true });
        Assert.Equal("--api-port and --akka-port are both 7443: give them different ports", both.Error);
    }

    [Fact]
    public void More_control_planes_take_the_next_ports_or_free_ones_when_those_are_taken()
    {
        var choice = Choose(new UpOptions { ControlPlanes = 3, ApiPort = 4999, AkkaPort = 7053, ApiPortGiven = true, AkkaPortGiven = true });

        Assert.Null(choice.Error);
        // 5000 (the second control plane's API port) is taken: a free one instead, said so.
        Assert.Equal([(4999, 7053), (30000, 7054), (5001, 7055)], choice.ControlPlanes);
        Assert.Equal(["API port 5000 for control-plane-2 is in use; using 30000"], choice.Notes);
    }

    private static PortChoice Choose(UpOptions options) =>
        PortChoice.For(options, port => Taken.Contains(port) ? SocketError.AddressAlreadyInUse : null,
            besides => Enumerable.Range(30000, 100).First(p => !besides.Contains(p)));
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>Two clusters on one machine (two state directories) do not cross: ports, and who may join whom.</summary>
[Collection("clusters")]
public sealed class ClusterIdentitySpecs
{
    [Fact]
    public async Task Ports_of_a_running_cluster_given_again_fail_at_once_naming_the_port_and_the_option()
    {
        await using var first = await KubeEmuCluster.Up(nodes: 1);
        var dir = Directory.CreateTempSubdirectory("kubeemu-it-").FullName;
        try
        {
            var watch = Stopwatch.StartNew();
            var akka = await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromMinutes(2),
                "up", "--detach", "--nodes", "1", "--state-dir", dir, "--api-port", FreePorts.Next().ToString(), "--akka-port", first.AkkaPort.ToString());
            var api = await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromMinutes(2),
                "up", "--detach", "--nodes", "1", "--state-dir", dir, "--api-port", first.ApiPort.ToString(), "--akka-port", FreePorts.Next().ToString());
            // Started by hand, a control plane fails the same way before it starts anything.
            var controlPlane = await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromMinutes(2),
                "control-plane", "--state-dir", dir, "--api-port", FreePorts.Next().ToString(), "--akka-port", first.AkkaPort.ToString());

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(45), $"three refusals took {watch.Elapsed}: `up` waited instead of failing");
            Assert.Equal(1, akka.ExitCode);
            Assert.Contains($"Akka port {first.AkkaPort} on 127.0.0.1 is in use (another KubeEmu cluster, or another program, listens there): choose a free one with --akka-port", akka.Stdout);
            Assert.Equal(1, api.ExitCode);
            Assert.Contains($"API port {first.ApiPort} on 127.0.0.1 is in use (another KubeEmu cluster, or another program, listens there): choose a free one with --api-port", api.Stdout);
            Assert.Equal(1, controlPlane.ExitCode);
            Assert.Equal($"error: Akka port {first.AkkaPort} on 127.0.0.1 is in use (another KubeEmu cluster, or another program, listens there): choose a free one with --akka-port",
                controlPlane.Stderr.Trim());
            Assert.False(Directory.Exists(Path.Combine(dir, "run")), "nothing was started for the refused `up`");
            Assert.Equal("True", await first.Kubectl.NodeReady("node-1"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Up_on_taken_default_ports_picks_free_ones_and_says_which()
    {
        // The defaults are held here (or by whatever else already listens there): taken either way,
        // and no cluster of this test ever binds them.
        using var api = Hold(6443);
        using var akka = Hold(4053);

        await using var cluster = await KubeEmuCluster.UpWith([], nodes: 1);

        Assert.Contains($"API port 6443 is in use; using {cluster.ApiPort} (--api-port to choose)", cluster.UpOutput);
        Assert.Contains($"Akka port 4053 is in use; using {cluster.AkkaPort} (--akka-port to choose)", cluster.UpOutput);
        Assert.DoesNotContain(cluster.ApiPort, new[] { 6443, 4053 });
        Assert.DoesNotContain(cluster.AkkaPort, new[] { 6443, 4053 });
        Assert.Equal("True", await cluster.Kubectl.NodeReady("node-1"));
    }

    [Fact]
    public async Task A_node_of_one_cluster_pointed_at_the_seed_of_another_is_refused_and_never_becomes_its_node()
    {
        await using var a = await KubeEmuCluster.Up(nodes: 1);
        await using var b = await KubeEmuCluster.Up(nodes: 1);
        Assert.NotEqual(a.ClusterId, b.ClusterId);
        var bNodeAddress = b.Process("node-1")["akkaAddress"]!.GetValue<string>();

        // node-1 of A started again by hand, as a user would, but with B's Akka port as its seed.
        var stranger = await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromMinutes(2),
            "node", "--name", "node-1", "--state-dir", a.StateDir, "--seed", $"127.0.0.1:{b.AkkaPort}");

        Assert.Equal(1, stranger.ExitCode);
        Assert.Contains($"error: node-1 is not joining through seed 127.0.0.1:{b.AkkaPort}: that is control-plane of another cluster "
                        + $"(cluster id {b.ClusterId}, ours {a.ClusterId}): its state directory is {b.StateDir}, ours {a.StateDir}.", stranger.Stderr);
        await Eventually.Until(() => Task.FromResult(File.ReadAllText(Path.Combine(b.StateDir, "logs", "control-plane.log"))),
            log => log.Contains($"Refusing node-1 at akka.trttl.tcp://kubeemu@127.0.0.1:", StringComparison.Ordinal)
                   && log.Contains($"of another cluster (cluster id {a.ClusterId}, ours {b.ClusterId}): its state directory is {a.StateDir}, ours {b.StateDir}", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "B's control plane logging the refusal");

        // B's node-1 is still B's own process, Ready; A's node-1 runs on, untouched.
        var nodes = (await b.Kubectl.Run("get", "nodes", "-o", "json")).Ok().Json()["items"]!.AsArray();
        var node = Assert.Single(nodes)!;
        Assert.Equal("node-1", node["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(bNodeAddress, node["metadata"]!["annotations"]![NodeObject.AkkaAddressAnnotation]!.GetValue<string>());
        Assert.Equal("True", await b.Kubectl.NodeReady("node-1"));
        Assert.Equal("True", await a.Kubectl.NodeReady("node-1"));
        Assert.False(System.Diagnostics.Process.GetProcessById(a.Pid("node-1")).HasExited);
    }

    private static TcpListener? Hold(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

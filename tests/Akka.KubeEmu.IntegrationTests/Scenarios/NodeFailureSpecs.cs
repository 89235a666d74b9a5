using System.Diagnostics;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>Issue E1 step 4: kill -9 of a node process is a node failure, detected through cluster membership.</summary>
[Collection("clusters")]
public sealed class NodeFailureSpecs
{
    [Fact]
    public async Task A_killed_node_process_turns_its_node_Unknown_within_seconds_and_a_restart_brings_it_back()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 3);
        var kubectl = cluster.Kubectl;
        Assert.Equal("True", await kubectl.NodeReady("node-2"));

        var watch = Stopwatch.StartNew();
        cluster.Kill("node-2");
        await kubectl.AwaitNodeReady("node-2", "Unknown", TimeSpan.FromSeconds(15));
        var detected = watch.Elapsed;
        var message = (await kubectl.Run("get", "node", "node-2", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}")).Ok().Stdout;
        Assert.Equal("Kubelet stopped posting node status.", message);
        Assert.Equal("True", await kubectl.NodeReady("node-1"));
        Assert.True(detected < TimeSpan.FromSeconds(10), $"detected after {detected}");

        cluster.Restart("node-2");
        await kubectl.AwaitNodeReady("node-2", "True", TimeSpan.FromSeconds(30));
        await Eventually.Until(async () => (await kubectl.Run("get", "node", "node-2", "-o", "jsonpath={.spec.taints}")).Ok().Stdout,
            taints => taints.Length == 0, TimeSpan.FromSeconds(15), "unreachable taints removed");
    }
}

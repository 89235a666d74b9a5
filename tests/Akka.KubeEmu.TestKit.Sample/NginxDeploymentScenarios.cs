using Akka.KubeEmu.TestKit;
using k8s;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace Akka.KubeEmu.Samples;

/// <summary>
/// The README's example: a Deployment of 3 nginx replicas on a 3-node cluster (fast profile),
/// and what becomes of it when the node process hosting most of them is killed.
/// </summary>
public sealed class NginxDeploymentScenarios(ITestOutputHelper output) : KubeEmuScenarioTest(output)
{
    private static readonly string Manifest = Path.Combine(AppContext.BaseDirectory, "nginx-deployment.yaml");

    protected override EmulatedClusterOptions ClusterOptions => new() { Nodes = 3, Profile = "fast" };

    [Fact]
    public async Task The_deployment_comes_up_with_three_available_replicas()
    {
        await Cluster.ApplyFileAsync(Manifest);

        var deployment = await Cluster.WaitForAsync<V1Deployment>("default", "nginx-deployment",
            d => d.Status?.AvailableReplicas == 3, TimeSpan.FromSeconds(90));

        Assert.Equal(3, deployment.Status.ReadyReplicas);
        var pods = await Kubernetes.CoreV1.ListNamespacedPodAsync("default", labelSelector: "app=nginx");
        Assert.Equal(3, pods.Items.Count(p => p.IsRunningAndReady()));
    }

    [Fact]
    public async Task Killing_the_node_with_the_most_replicas_gives_three_available_replicas_on_the_other_nodes()
    {
        await Cluster.ApplyFileAsync(Manifest);
        var pods = await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady()) == 3, TimeSpan.FromSeconds(90));
        var victim = pods.GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First().Key;

        await Cluster.KillNodeAsync(victim);

        // The fast profile finds the node lost in ~3 s and evicts its pods 2 s later: a minute is generous.
        await Cluster.WaitForNodeReadyAsync(victim, "Unknown", TimeSpan.FromSeconds(30));
        await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady() && p.Spec.NodeName != victim) == 3, TimeSpan.FromSeconds(60));
        await Cluster.WaitForAsync<V1Deployment>("default", "nginx-deployment",
            d => d.Status?.AvailableReplicas == 3, TimeSpan.FromSeconds(30));
    }
}

using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>Issue E3: a Deployment keeps its pods through a control-plane kill -9 and restart; no pod is created twice.</summary>
[Collection("clusters")]
public sealed class DeploymentRestartSpecs
{
    [Fact]
    public async Task A_deployment_keeps_its_pods_through_a_control_plane_kill_and_its_controllers_resume()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 2);
        var kubectl = cluster.Kubectl;
        (await kubectl.Run("create", "deployment", "web", "--image=nginx:1.14.2", "--replicas=4")).Ok();
        (await kubectl.Run("rollout", "status", "deployment/web", "--timeout=90s")).Ok();
        var before = await PodUids(kubectl);
        Assert.Equal(4, before.Count);

        cluster.Kill("control-plane");
        cluster.Restart("control-plane");
        await Eventually.Until(async () => (await kubectl.Run("get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}")).Stdout.Trim(),
            s => s == "4", TimeSpan.FromSeconds(90), "the API answering with 4 available replicas");

        // The controllers are back (a scale-up is served) and kept every pod they had: one more pod, not four.
        (await kubectl.Run("scale", "deployment/web", "--replicas=5")).Ok();
        (await kubectl.Run("rollout", "status", "deployment/web", "--timeout=90s")).Ok();
        var after = await PodUids(kubectl);
        Assert.Equal(5, after.Count);
        Assert.Subset(after.ToHashSet(), before.ToHashSet());

        var creates = (await kubectl.Run("get", "events", "--field-selector", "reason=SuccessfulCreate", "-o", "json")).Json()["items"]!.AsArray()
            .Where(e => e!["involvedObject"]!["kind"]!.GetValue<string>() == "ReplicaSet")
            .Sum(e => e!["count"]?.GetValue<int>() ?? 1);
        Assert.Equal(5, creates);
    }

    private static async Task<List<string>> PodUids(Kubectl kubectl) =>
        (await kubectl.Run("get", "pods", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.uid}")).Ok().Stdout
        .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
}

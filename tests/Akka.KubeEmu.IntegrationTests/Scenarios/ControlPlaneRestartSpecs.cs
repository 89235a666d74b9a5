using System.Text.Json.Nodes;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>Issue E1 step 5: kill -9 of the control plane loses nothing acknowledged; nodes reconnect by themselves.</summary>
[Collection("clusters")]
public sealed class ControlPlaneRestartSpecs
{
    [Fact]
    public async Task Objects_keep_uid_and_resource_version_and_node_processes_reconnect_without_restart()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 2);
        var kubectl = cluster.Kubectl;
        var manifest = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: keep\n" + string.Concat(Enumerable.Range(0, 5).Select(i =>
            $"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: keep\ndata:\n  i: \"{i}\"\n"));
        (await kubectl.RunWithInput(manifest, "create", "-f", "-")).Ok();
        var before = Snapshot(await kubectl.Run("get", "configmaps,namespaces", "-A", "-o", "json"));
        var nodePids = new[] { cluster.Pid("node-1"), cluster.Pid("node-2") };

        cluster.Kill("control-plane");
        cluster.Restart("control-plane");

        var after = await Eventually.Until(async () => Snapshot(await kubectl.Run("get", "configmaps,namespaces", "-A", "-o", "json")),
            s => s.Count >= before.Count, TimeSpan.FromSeconds(60), "the API answering again");
        foreach (var (key, (uid, rv)) in before)
        {
            Assert.True(after.TryGetValue(key, out var now), $"{key} is missing after the restart");
            Assert.Equal(uid, now.Uid);
            Assert.Equal(rv, now.ResourceVersion);
        }

        (await kubectl.RunWithInput("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n  namespace: keep\n", "create", "-f", "-")).Ok();
        var later = long.Parse((await kubectl.Run("get", "configmap", "later", "-n", "keep", "-o", "jsonpath={.metadata.resourceVersion}")).Ok().Stdout);
        Assert.True(later > before.Values.Max(v => long.Parse(v.ResourceVersion)), "resourceVersions keep growing after a restart");

        await kubectl.AwaitNodeReady("node-1", "True", TimeSpan.FromSeconds(30));
        await kubectl.AwaitNodeReady("node-2", "True", TimeSpan.FromSeconds(30));
        Assert.Equal(nodePids, new[] { cluster.Pid("node-1"), cluster.Pid("node-2") });
        Assert.All(nodePids, pid => Assert.False(System.Diagnostics.Process.GetProcessById(pid).HasExited));
    }

    private static Dictionary<string, (string Uid, string ResourceVersion)> Snapshot(KubectlResult result)
    {
        if (result.ExitCode != 0) return [];
        return result.Json()["items"]!.AsArray().Select(i => i!.AsObject()).ToDictionary(
            i => $"{i["kind"]}/{i["metadata"]!["namespace"]}/{i["metadata"]!["name"]}",
            i => (i["metadata"]!["uid"]!.GetValue<string>(), i["metadata"]!["resourceVersion"]!.GetValue<string>()));
    }
}

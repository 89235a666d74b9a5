using System.Text.Json.Nodes;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E1 step 5: kill -9 of the control plane loses nothing acknowledged; nodes reconnect by
/// themselves. Issue E5: with three control planes the Store, scheduler and controllers move.
/// </summary>
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

    [Fact]
    public async Task With_three_control_planes_a_kill_of_the_one_running_the_singletons_moves_them_and_the_others_keep_serving()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 1, extra: ["--control-planes", "3"]);
        var urls = new[] { "control-plane", "control-plane-2", "control-plane-3" }
            .Select(name => cluster.Process(name)["apiUrl"]!.GetValue<string>()).ToArray();
        Assert.Equal(3, urls.Distinct().Count());
        Assert.All(urls, url => Assert.Contains(url, cluster.UpOutput));
        var kubectl = cluster.Kubectl;
        Assert.Contains(urls[0], (await kubectl.Run("config", "view", "-o", "jsonpath={.clusters[0].cluster.server}")).Ok().Stdout);
        (await kubectl.Run("create", "deployment", "web", "--image=nginx:1.27", "--replicas=1")).Ok();
        await AwaitAvailable(kubectl, [], 1);
        var uid = (await kubectl.Run("get", "deployment", "web", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;

        string[] second = ["--server", urls[1]];
        // A watch through control-plane-3 outlives the Store's move: its API server watches the next Store.
        var watched = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var watch = kubectl.Start("--server", urls[2], "get", "deployment", "web", "-w", "-o", "jsonpath={.spec.replicas}{\"\\n\"}");
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        watch.OutputDataReceived += (_, e) => { if (e.Data is { } line) watched.Enqueue(line); };
        watch.ErrorDataReceived += (_, e) => { if (e.Data is { } line) errors.Enqueue(line); };
        watch.BeginOutputReadLine();
        watch.BeginErrorReadLine();
        try
        {
            await Eventually.Until(() => Task.FromResult(watched.ToArray()), lines => lines.Contains("1"), TimeSpan.FromSeconds(20), "the watch through control-plane-3 started");

            // The oldest control plane runs the singletons; the next oldest takes them over.
            cluster.Kill("control-plane");
            await Eventually.Until(async () => await kubectl.Run([.. second, "--request-timeout=3s", "scale", "deployment", "web", "--replicas=2"]),
                r => r.ExitCode == 0, TimeSpan.FromSeconds(45), "a scale accepted through control-plane-2");
            await AwaitAvailable(kubectl, second, 2);
            try
            {
                await Eventually.Until(() => Task.FromResult(watched.ToArray()), lines => lines.Contains("2"), TimeSpan.FromSeconds(20),
                    "the scale seen by the watch started before the kill");
            }
            catch (TimeoutException e)
            {
                // What kubectl printed and whether it ended, for the failure to say why.
                throw new TimeoutException($"{e.Message} (watch lines: {string.Join(",", watched)}; exited: {watch.HasExited}; stderr: {string.Join(" | ", errors)})", e);
            }
            Assert.False(watch.HasExited, "kubectl get -w ended with the Store's move");
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
        Assert.Equal(uid, (await kubectl.Run([.. second, "get", "deployment", "web", "-o", "jsonpath={.metadata.uid}"])).Ok().Stdout);
        Assert.Equal("2", (await kubectl.Run(["--server", urls[2], "get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}"])).Ok().Stdout);

        // Started again, the first control plane rejoins as the youngest and serves the kubeconfig's API.
        cluster.Restart("control-plane");
        await Eventually.Until(async () => await kubectl.Run("--request-timeout=3s", "get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}"),
            r => r.ExitCode == 0 && r.Stdout == "2", TimeSpan.FromSeconds(45), "the restarted control plane serving again");
        await kubectl.AwaitNodeReady("node-1", "True", TimeSpan.FromSeconds(30));
    }

    private static Task AwaitAvailable(Kubectl kubectl, string[] server, int replicas) =>
        Eventually.Until(async () => await kubectl.Run([.. server, "--request-timeout=3s", "get", "deployment", "web", "-o", "jsonpath={.status.availableReplicas}"]),
            r => r.ExitCode == 0 && r.Stdout == replicas.ToString(System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromSeconds(45),
            $"{replicas} available replica(s)");

    private static Dictionary<string, (string Uid, string ResourceVersion)> Snapshot(KubectlResult result)
    {
        if (result.ExitCode != 0) return [];
        return result.Json()["items"]!.AsArray().Select(i => i!.AsObject()).ToDictionary(
            i => $"{i["kind"]}/{i["metadata"]!["namespace"]}/{i["metadata"]!["name"]}",
            i => (i["metadata"]!["uid"]!.GetValue<string>(), i["metadata"]!["resourceVersion"]!.GetValue<string>()));
    }
}

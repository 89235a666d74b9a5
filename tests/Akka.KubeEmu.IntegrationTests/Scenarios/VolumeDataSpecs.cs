using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E6, volumes with data: the storage demo of the web StatefulSet with the real kubectl.
/// What web-0 writes into its claim's volume is still there (and served by its nginx through a
/// Service) after the pod is deleted, after the node process that ran it is killed and the pod
/// is rescheduled, and after `kubeemu down` and `up` on the same state directory. A second pod
/// on another node waits with the Multi-Attach error while web-0 holds the ReadWriteOnce volume.
/// </summary>
[Collection("clusters")]
public sealed class VolumeDataSpecs
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);
    private const string IndexHtml = "/usr/share/nginx/html/index.html";

    [Fact]
    public async Task What_web_0_writes_survives_a_pod_deletion_a_killed_node_process_and_a_restart_of_every_process()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 3);
        var kubectl = cluster.Kubectl;
        (await kubectl.Run("apply", "-f", Path.Combine(Examples, "web-statefulset.yaml"))).Ok();
        await RunningAndReady(kubectl, null);
        (await kubectl.Run("exec", "web-0", "--", "sh", "-c", $"echo \"hello web-0\" > {IndexHtml}")).Ok();
        var volume = (await kubectl.Run("get", "pvc", "www-web-0", "-o", "jsonpath={.spec.volumeName}")).Ok().Stdout;
        Assert.Equal("hello web-0\n", await File.ReadAllTextAsync(Path.Combine(cluster.StateDir, "volumes", volume, "index.html")));

        // The volume is attached to web-0's node only: a pod elsewhere waits for it.
        var node = await NodeOf(kubectl, "web-0");
        var elsewhere = node == "node-1" ? "node-2" : "node-1";
        (await kubectl.RunWithInput($$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: reader}
            spec:
              nodeName: {{elsewhere}}
              containers: [{name: c, image: nginx, volumeMounts: [{name: d, mountPath: /d}]}]
              volumes:
              - name: d
                persistentVolumeClaim: {claimName: www-web-0}
            """, "apply", "-f", "-")).Ok();
        var attach = await Eventually.Until(() => kubectl.Run("get", "events", "--field-selector", "involvedObject.name=reader,reason=FailedAttachVolume",
            "-o", "jsonpath={.items[*].message}"), r => r.Stdout.Length > 0, Wait, "the reader's FailedAttachVolume event");
        Assert.Equal($"Multi-Attach error for volume \"{volume}\" Volume is already used by pod(s) web-0", attach.Stdout);
        await Eventually.Until(() => kubectl.Run("get", "pod", "reader", "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"),
            r => r.Stdout == "ContainerCreating", Wait, "the reader waiting in ContainerCreating");
        (await kubectl.Run("delete", "pod", "reader", "--grace-period=0", "--force")).Ok();

        // Deleted: the recreated web-0 reads the file, and its nginx serves it through a NodePort Service.
        var uid = (await kubectl.Run("get", "pod", "web-0", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;
        (await kubectl.Run("delete", "pod", "web-0")).Ok();
        await RunningAndReady(kubectl, uid);
        Assert.Equal("hello web-0\n", (await kubectl.Run("exec", "web-0", "--", "cat", IndexHtml)).Ok().Stdout);
        (await kubectl.RunWithInput("""
            apiVersion: v1
            kind: Service
            metadata: {name: web-0}
            spec:
              type: NodePort
              selector: {statefulset.kubernetes.io/pod-name: web-0}
              ports: [{port: 80}]
            """, "apply", "-f", "-")).Ok();
        Assert.Equal("hello web-0\n", await Served(kubectl));

        // Its node process killed: web-0 comes back on another node with the same file.
        node = await NodeOf(kubectl, "web-0");
        uid = (await kubectl.Run("get", "pod", "web-0", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;
        cluster.Kill(node);
        await RunningAndReady(kubectl, uid);
        Assert.NotEqual(node, await NodeOf(kubectl, "web-0"));
        Assert.Equal("hello web-0\n", (await kubectl.Run("exec", "web-0", "--", "cat", IndexHtml)).Ok().Stdout);
        Assert.Equal("hello web-0\n", await Served(kubectl));

        // Every process stopped and started again on the same state directory (and ports: `down` forgets them).
        var (apiPort, akkaPort) = (cluster.ApiPort.ToString(), cluster.AkkaPort.ToString());
        (await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromMinutes(1), "down", "--state-dir", cluster.StateDir)).Ok();
        (await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromMinutes(2), "up", "--detach", "--nodes", "3", "--state-dir", cluster.StateDir,
            "--api-port", apiPort, "--akka-port", akkaPort)).Ok();
        await Eventually.Until(() => kubectl.Run("exec", "web-0", "--", "cat", IndexHtml), r => r.ExitCode == 0, Wait, "web-0 answering exec after the restart");
        Assert.Equal("hello web-0\n", (await kubectl.Run("exec", "web-0", "--", "cat", IndexHtml)).Ok().Stdout);
    }

    /// <summary>web-0 Running and Ready (a new one when <paramref name="replacing"/> is the old uid).</summary>
    private static Task RunningAndReady(Kubectl kubectl, string? replacing) =>
        Eventually.Until(() => kubectl.Run("get", "pod", "web-0", "-o", "jsonpath={.metadata.uid} {.status.phase} {.status.conditions[?(@.type==\"Ready\")].status}"),
            r => r.ExitCode == 0 && (replacing is null || !r.Stdout.StartsWith(replacing, StringComparison.Ordinal)) && r.Stdout.EndsWith(" Running True", StringComparison.Ordinal),
            Wait, "web-0 Running and Ready");

    private static async Task<string> NodeOf(Kubectl kubectl, string pod) =>
        (await kubectl.Run("get", "pod", pod, "-o", "jsonpath={.spec.nodeName}")).Ok().Stdout;

    /// <summary>GET / on the NodePort of Service web-0, at the address of a node that is Ready.</summary>
    private static async Task<string> Served(Kubectl kubectl)
    {
        var port = (await kubectl.Run("get", "svc", "web-0", "-o", "jsonpath={.spec.ports[0].nodePort}")).Ok().Stdout;
        var node = await NodeOf(kubectl, "web-0");
        var ip = (await kubectl.Run("get", "node", node, "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}")).Ok().Stdout;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await Eventually.Until(async () =>
        {
            try { return await http.GetStringAsync($"http://{ip}:{port}/"); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { return ""; }
        }, body => body.Length > 0, Wait, "nginx of web-0 answering through its NodePort");
    }
}

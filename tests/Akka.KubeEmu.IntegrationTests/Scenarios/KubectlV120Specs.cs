using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>Issue E1 step 2 with Debian's kubectl v1.20: OpenAPI v2 as protobuf, legacy discovery, tables.</summary>
[Collection("shared cluster")]
public sealed class KubectlV120Specs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("kubectl-v120", Kubectl.V120);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Kubectl_1_20_gets_applies_describes_and_deletes()
    {
        Assert.Contains("GitVersion:\"v1.20", (await Kubectl.Run("version", "--client")).Ok().Stdout);
        var nodes = TableOutput.Parse((await Kubectl.Run("get", "nodes")).Ok().Stdout);
        Assert.Equal(["NAME", "STATUS", "ROLES", "AGE", "VERSION"], nodes.Headers);
        Assert.Equal(3, nodes.Rows.Count(r => r["STATUS"] == "Ready"));

        Assert.Contains("pod/simple-webapp created", (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "simple-webapp-pod.yaml"))).Ok().Stdout);
        await Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", "pods")).Ok().Stdout).Row("simple-webapp"),
            r => r["STATUS"] == "Running" && r["READY"] == "2/2", TimeSpan.FromSeconds(30), "simple-webapp Running with kubectl v1.20");
        Assert.Contains("Started container sidecar-container", (await Kubectl.Run("describe", "pod", "simple-webapp")).Ok().Stdout);

        // v1.20 validates on the client, against the protobuf OpenAPI document.
        var typo = await Kubectl.RunWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: typo\nspec:\n  containers:\n  - name: c\n    image: nginx\n    imagePullPolizy: Always\n", "apply", "-f", "-");
        Assert.Contains("unknown field \"imagePullPolizy\" in io.k8s.api.core.v1.Container", typo.Stderr);

        // Typed subcommands send protobuf bodies.
        (await Kubectl.Run("create", "namespace", "legacy")).Ok();
        Assert.Contains("configmap/old created", (await Kubectl.Run("create", "configmap", "old", "-n", "legacy", "--from-literal=a=b")).Ok().Stdout);
        Assert.Equal("b", (await Kubectl.Run("get", "configmap", "old", "-n", "legacy", "-o", "jsonpath={.data.a}")).Ok().Stdout);

        // The sidecar's shell ignores SIGTERM as PID 1: a short grace period keeps the wait short.
        Assert.Contains("pod \"simple-webapp\" deleted", (await Kubectl.Run("delete", "pod", "simple-webapp", "--grace-period=1")).Ok().Stdout);
        Assert.Contains("NotFound", (await Kubectl.Run("get", "pod", "simple-webapp")).Stderr);
    }

    [Fact]
    public async Task Kubectl_1_20_execs_and_copies_over_SPDY()
    {
        (await Kubectl.RunWithInput("apiVersion: v1\nkind: Pod\nmetadata:\n  name: spdy-shell\nspec:\n  containers:\n  - name: shell\n    image: busybox\n    command: [\"sleep\", \"3600\"]\n",
            "apply", "-f", "-")).Ok();
        await Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", "pods")).Ok().Stdout).Row("spdy-shell"),
            r => r["STATUS"] == "Running", TimeSpan.FromSeconds(30), "spdy-shell Running");

        Assert.Equal("hello\n", (await Kubectl.Run("exec", "spdy-shell", "--", "echo", "hello")).Ok().Stdout);
        var failed = await Kubectl.Run("exec", "spdy-shell", "--", "sh", "-c", "echo out; echo err >&2; exit 3");
        Assert.Equal((3, "out\n"), (failed.ExitCode, failed.Stdout));
        Assert.Equal("err\ncommand terminated with exit code 3", failed.Stderr.Trim());
        Assert.Equal("line 1\nline 2\n", (await Kubectl.RunWithInput("line 1\nline 2\n", "exec", "-i", "spdy-shell", "--", "cat")).Ok().Stdout);
        Assert.Contains("executable file not found in $PATH", (await Kubectl.Run("exec", "spdy-shell", "--", "nosuch")).Stderr);

        // kubectl cp is tar over exec: in and back out.
        var local = Path.Combine(Path.GetTempPath(), $"spdy-{Guid.NewGuid():N}.txt");
        try
        {
            await File.WriteAllTextAsync(local, "from kubectl 1.20\n");
            (await Kubectl.Run("cp", local, "spdy-shell:/tmp/in.txt")).Ok();
            Assert.Equal("from kubectl 1.20\n", (await Kubectl.Run("exec", "spdy-shell", "--", "cat", "/tmp/in.txt")).Ok().Stdout);
            File.Delete(local);
            (await Kubectl.Run("cp", "spdy-shell:/tmp/in.txt", local)).Ok();
            Assert.Equal("from kubectl 1.20\n", await File.ReadAllTextAsync(local));
        }
        finally
        {
            File.Delete(local);
        }
        (await Kubectl.Run("delete", "pod", "spdy-shell", "--grace-period=1", "--wait=false")).Ok();
    }
}

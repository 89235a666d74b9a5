using System.Diagnostics;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E4 (StatefulSet) with the real kubectl against three node processes: the documentation's
/// web StatefulSet (headless Service nginx, a www volumeClaimTemplate) created in order, a pod
/// replaced with its claim, scaled, rolled with a partition, and rolled back.
/// </summary>
[Collection("shared cluster")]
public sealed class StatefulSetSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(60);
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("statefulsets");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_web_statefulset_starts_in_order_keeps_its_claims_scales_rolls_a_partition_and_rolls_back()
    {
        // name phase ready, one line per watch event.
        using var watch = Kubectl.Start("get", "pods", "-l", "app=nginx", "-w", "-o",
            "jsonpath={.metadata.name} {.status.phase} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}");
        var seen = new List<string>();
        try
        {
            (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "web-statefulset.yaml"))).Ok();
            await Eventually.Until(async () =>
            {
                var line = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                if (line is not null) seen.Add(line.Trim());
                return seen;
            }, l => l.Contains("web-1 Running True"), Rollout, "the watch showing web-1 Running and Ready");
        }
        finally
        {
            Stop(watch);
        }
        var firstWeb1 = seen.FindIndex(l => l.StartsWith("web-1 ", StringComparison.Ordinal));
        var web0Ready = seen.FindIndex(l => l == "web-0 Running True");
        Assert.True(web0Ready >= 0 && web0Ready < firstWeb1, "web-1 appeared before web-0 was Running and Ready: " + string.Join(" | ", seen));

        var sts = TableOutput.Parse((await Kubectl.Run("get", "sts", "web")).Ok().Stdout);
        Assert.Equal(["NAME", "READY", "AGE"], sts.Headers);
        await Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", "sts", "web")).Ok().Stdout).Row("web")["READY"],
            r => r == "2/2", Rollout, "READY 2/2");
        var wide = TableOutput.Parse((await Kubectl.Run("get", "sts", "web", "-o", "wide")).Ok().Stdout);
        Assert.Equal(["NAME", "READY", "AGE", "CONTAINERS", "IMAGES"], wide.Headers);
        Assert.Equal(("nginx", "nginx:1.9.1"), (wide.Row("web")["CONTAINERS"], wide.Row("web")["IMAGES"]));
        // The claims exist, bound to volumes the default class provisioned.
        Assert.Equal("www-web-0 www-web-1", (await Kubectl.Run("get", "pvc", "-l", "app=nginx", "-o", "jsonpath={.items[*].metadata.name}")).Ok().Stdout);
        Assert.Equal("Bound Bound", (await Kubectl.Run("get", "pvc", "-l", "app=nginx", "-o", "jsonpath={.items[*].status.phase}")).Ok().Stdout);
        Assert.Equal("web-0.nginx", (await Kubectl.Run("get", "pod", "web-0", "-o", "jsonpath={.spec.hostname}.{.spec.subdomain}")).Ok().Stdout);

        // A deleted pod comes back under its name, with its claim.
        var claimUid = (await Kubectl.Run("get", "pvc", "www-web-0", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;
        var podUid = (await Kubectl.Run("get", "pod", "web-0", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;
        (await Kubectl.Run("delete", "pod", "web-0")).Ok();
        await Eventually.Until(() => Kubectl.Run("get", "pod", "web-0", "-o", "jsonpath={.metadata.uid} {.status.phase}"),
            r => r.ExitCode == 0 && !r.Stdout.StartsWith(podUid, StringComparison.Ordinal) && r.Stdout.EndsWith("Running", StringComparison.Ordinal),
            Rollout, "web-0 recreated and Running");
        Assert.Equal("www-web-0", (await Kubectl.Run("get", "pod", "web-0", "-o", "jsonpath={.spec.volumes[?(@.name==\"www\")].persistentVolumeClaim.claimName}")).Ok().Stdout);
        Assert.Equal(claimUid, (await Kubectl.Run("get", "pvc", "www-web-0", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout);

        // Scaled to 3 and back to 2: web-2 goes, its claim stays.
        (await Kubectl.Run("scale", "sts", "web", "--replicas=3")).Ok();
        await Eventually.Until(() => Phase("web-2"), p => p == "Running", Rollout, "web-2 Running");
        (await Kubectl.Run("scale", "sts", "web", "--replicas=2")).Ok();
        await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "web-2")).ExitCode, c => c != 0, Rollout, "web-2 gone");
        Assert.Equal("Bound", (await Kubectl.Run("get", "pvc", "www-web-2", "-o", "jsonpath={.status.phase}")).Ok().Stdout);

        // A partitioned rolling update: only ordinals >= 1 get the new image.
        (await Kubectl.Run("patch", "statefulset", "web", "-p", "{\"spec\":{\"updateStrategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{\"partition\":1}}}}")).Ok();
        (await Kubectl.Run("patch", "statefulset", "web", "--type=json",
            "-p=[{\"op\": \"replace\", \"path\": \"/spec/template/spec/containers/0/image\", \"value\":\"registry.k8s.io/nginx-slim:0.24\"}]")).Ok();
        await Eventually.Until(() => Image("web-1"), i => i == "registry.k8s.io/nginx-slim:0.24 Running", Rollout, "web-1 updated and Running");
        var status = await Eventually.Until(() => Kubectl.Run("rollout", "status", "sts/web", "--timeout=10s"), r => r.ExitCode == 0, Rollout, "rollout status");
        Assert.Contains("partitioned roll out complete: 1 new pods have been updated...", status.Stdout);
        Assert.Equal("nginx:1.9.1 Running", await Image("web-0"));

        var history = TableOutput.Parse(string.Join('\n', (await Kubectl.Run("rollout", "history", "sts/web")).Ok().Stdout.Split('\n').Skip(1)));
        Assert.Equal(["REVISION", "CHANGE-CAUSE"], history.Headers);
        Assert.Equal(["1", "2"], history.Rows.Select(r => r["REVISION"]));
        Assert.Contains("registry.k8s.io/nginx-slim:0.24", (await Kubectl.Run("rollout", "history", "sts/web", "--revision=2")).Ok().Stdout);

        // Undo: the set's template is revision 1's again, and web-1 goes back to it.
        Assert.Contains("rolled back", (await Kubectl.Run("rollout", "undo", "sts/web")).Ok().Stdout);
        Assert.Equal("nginx:1.9.1", (await Kubectl.Run("get", "sts", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Ok().Stdout);
        await Eventually.Until(() => Image("web-1"), i => i == "nginx:1.9.1 Running", Rollout, "web-1 back on nginx:1.9.1");
        Assert.Equal(["2", "3"], TableOutput.Parse(string.Join('\n', (await Kubectl.Run("rollout", "history", "sts/web")).Ok().Stdout.Split('\n').Skip(1)))
            .Rows.Select(r => r["REVISION"]));
        // The revision's patch is byte for byte kubectl's own encoding of the template: it sees there is nothing to do.
        Assert.Contains("skipped rollback (current template already matches revision 3)",
            (await Kubectl.Run("rollout", "undo", "sts/web", "--to-revision=3")).Ok().Stdout);
    }

    [Fact]
    public async Task Invalid_statefulsets_and_forbidden_updates_are_refused_with_the_api_servers_422()
    {
        const string manifest = """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: mismatched
            spec:
              selector:
                matchLabels:
                  app: one
              template:
                metadata:
                  labels:
                    app: other
                spec:
                  containers:
                  - name: c
                    image: nginx
            """;
        var refused = await Kubectl.RunWithInput(manifest, "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The StatefulSet \"mismatched\" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`", refused.Stderr);

        (await Kubectl.RunWithInput(manifest.Replace("app: other", "app: one"), "apply", "-f", "-")).Ok();
        var forbidden = await Kubectl.Run("patch", "sts", "mismatched", "-p", "{\"spec\":{\"serviceName\":\"changed\"}}");
        Assert.NotEqual(0, forbidden.ExitCode);
        Assert.Contains("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            forbidden.Stderr);
        (await Kubectl.Run("delete", "sts", "mismatched")).Ok();
    }

    private async Task<string> Phase(string pod) =>
        (await Kubectl.Run("get", "pod", pod, "-o", "jsonpath={.status.phase}")).Stdout;

    private async Task<string> Image(string pod) =>
        (await Kubectl.Run("get", "pod", pod, "-o", "jsonpath={.spec.containers[0].image} {.status.phase}")).Stdout;

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}

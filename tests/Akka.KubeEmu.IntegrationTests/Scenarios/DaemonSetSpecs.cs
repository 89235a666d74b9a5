using System.Text.Json.Nodes;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E4 (DaemonSet) with the real kubectl against node processes: the documentation's
/// fluentd-elasticsearch DaemonSet on every node, on a node process started later, rolled node by
/// node, its history listed and rolled back, and a bad DaemonSet refused.
/// </summary>
[Collection("clusters")]
public sealed class DaemonSetSpecs(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private const string Name = "fluentd-elasticsearch";
    private const string Ds = "daemonset/" + Name;
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(90);
    private Kubectl Kubectl => fixture.Cluster.Kubectl;

    [Fact]
    public async Task The_fluentd_daemon_set_runs_on_every_node_joins_a_new_one_rolls_node_by_node_and_rolls_back()
    {
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "fluentd-elasticsearch-daemonset.yaml"))).Ok();
        var table = await Columns("3");
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"], table.Headers);
        Assert.Equal("<none>", table.Row(Name)["NODE SELECTOR"]);
        var wide = TableOutput.Parse((await Kubectl.Run("get", "ds", "-n", "kube-system", Name, "-o", "wide")).Ok().Stdout);
        Assert.Equal(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"], wide.Headers);
        Assert.Equal(("fluentd-elasticsearch", "quay.io/fluentd_elasticsearch/fluentd:v2.5.2", "name=fluentd-elasticsearch"),
            (wide.Row(Name)["CONTAINERS"], wide.Row(Name)["IMAGES"], wide.Row(Name)["SELECTOR"]));
        Assert.Equal(["node-1", "node-2", "node-3"], (await PodNodes()).Order());

        // A node process started after the DaemonSet gets its pod.
        fixture.Cluster.StartNode("node-4");
        await Columns("4");
        Assert.Equal(["node-1", "node-2", "node-3", "node-4"], (await PodNodes()).Order());

        // kubectl set image: one node at a time (maxUnavailable 1), each old pod deleted before its successor is created.
        var before = (await DaemonSetEvents()).Count;
        (await Kubectl.Run("set", "image", "-n", "kube-system", Ds, "fluentd-elasticsearch=quay.io/fluentd_elasticsearch/fluentd:v2.6.0")).Ok();
        var status = (await Kubectl.Run("rollout", "status", "-n", "kube-system", Ds, "--timeout=90s")).Ok().Stdout;
        Assert.EndsWith($"daemon set \"{Name}\" successfully rolled out\n", status);
        await Columns("4");
        var rolled = (await DaemonSetEvents()).Skip(before).ToArray();
        Assert.Equal(8, rolled.Length);
        for (var i = 0; i < rolled.Length; i += 2)
        {
            Assert.StartsWith("SuccessfulDelete Deleted pod: " + Name + "-", rolled[i]);
            Assert.StartsWith("SuccessfulCreate Created pod: " + Name + "-", rolled[i + 1]);
        }
        var labels = (await Kubectl.Run("get", "pods", "-n", "kube-system", "-l", "name=" + Name, "-o", "json")).Json()["items"]!.AsArray()
            .Select(p => p!["metadata"]!["labels"]!.AsObject()).ToArray();
        Assert.All(labels, l => Assert.Equal("2", l["pod-template-generation"]!.GetValue<string>()));
        Assert.Single(labels.Select(l => l["controller-revision-hash"]!.GetValue<string>()).Distinct());

        var history = TableOutput.Parse(string.Join('\n', (await Kubectl.Run("rollout", "history", "-n", "kube-system", Ds)).Ok().Stdout.Split('\n').Skip(1)));
        Assert.Equal(["REVISION", "CHANGE-CAUSE"], history.Headers);
        Assert.Equal(["1", "2"], history.Rows.Select(r => r["REVISION"]));
        Assert.Contains("Image:\tquay.io/fluentd_elasticsearch/fluentd:v2.5.2",
            (await Kubectl.Run("rollout", "history", "-n", "kube-system", Ds, "--revision=1")).Ok().Stdout);

        Assert.Contains("rolled back", (await Kubectl.Run("rollout", "undo", "-n", "kube-system", Ds)).Ok().Stdout);
        (await Kubectl.Run("rollout", "status", "-n", "kube-system", Ds, "--timeout=90s")).Ok();
        await Columns("4");
        Assert.Equal("quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
            (await Kubectl.Run("get", "ds", "-n", "kube-system", Name, "-o", "jsonpath={.spec.template.spec.containers[0].image}")).Ok().Stdout);
        history = TableOutput.Parse(string.Join('\n', (await Kubectl.Run("rollout", "history", "-n", "kube-system", Ds)).Ok().Stdout.Split('\n').Skip(1)));
        Assert.Equal(["2", "3"], history.Rows.Select(r => r["REVISION"]));
        Assert.Contains("skipped rollback (current template already matches revision 3)",
            (await Kubectl.Run("rollout", "undo", "-n", "kube-system", Ds, "--to-revision=3")).Ok().Stdout);
    }

    [Fact]
    public async Task A_daemon_set_whose_pods_would_not_restart_is_refused_with_the_api_servers_422()
    {
        const string manifest = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: once
            spec:
              selector:
                matchLabels:
                  app: once
              updateStrategy:
                rollingUpdate:
                  maxSurge: 1
              template:
                metadata:
                  labels:
                    app: once
                spec:
                  restartPolicy: Never
                  containers:
                  - name: c
                    image: busybox
            """;
        var refused = await Kubectl.RunWithInput(manifest, "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("The DaemonSet \"once\" is invalid: \n* spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"\n"
                        + "* spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero",
            refused.Stderr);
    }

    /// <summary>Waits until `kubectl get ds` shows every count at <paramref name="count"/>, and returns the table.</summary>
    private Task<TableOutput> Columns(string count) =>
        Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", "ds", "-n", "kube-system", Name)).Ok().Stdout),
            t => t.Rows.Count == 1 && new[] { "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE" }.All(c => t.Row(Name)[c] == count),
            Rollout, $"{Name} showing {count} {count} {count} {count} {count}");

    /// <summary>The nodes of the DaemonSet's pods that are not being deleted (`kubectl get pods -o wide`'s NODE).</summary>
    private async Task<IReadOnlyList<string>> PodNodes()
    {
        var pods = (await Kubectl.Run("get", "pods", "-n", "kube-system", "-l", "name=" + Name, "-o", "json")).Json()["items"]!.AsArray();
        return pods.Select(p => p!.AsObject()).Where(p => p["metadata"]!["deletionTimestamp"] is null)
            .Select(p => p["spec"]!["nodeName"]?.GetValue<string>() ?? "").ToArray();
    }

    /// <summary>The DaemonSet's SuccessfulCreate and SuccessfulDelete events in the order they happened, as "Reason Message".</summary>
    private async Task<IReadOnlyList<string>> DaemonSetEvents()
    {
        var events = (await Kubectl.Run("get", "events", "-n", "kube-system", "--field-selector", "involvedObject.name=" + Name, "-o", "json")).Json()["items"]!.AsArray();
        return events.Select(e => e!.AsObject())
            .Where(e => e["reason"]!.GetValue<string>() is "SuccessfulCreate" or "SuccessfulDelete")
            .OrderBy(e => long.Parse(e["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
            .Select(e => $"{e["reason"]!.GetValue<string>()} {e["message"]!.GetValue<string>()}")
            .ToArray();
    }
}

using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E2 (scheduler) with the real kubectl on one 3-node cluster: the system PriorityClasses,
/// kube-scheduler's FailedScheduling wording for a tainted node and nodes too small, and a
/// higher-priority pod preempting a lower one.
/// </summary>
[Collection("clusters")]
public sealed class SchedulerSpecs
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    private static string Pod(string name, string cpu, string? priorityClass = null) => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
        spec:
          terminationGracePeriodSeconds: 1
          {(priorityClass is null ? "" : "priorityClassName: " + priorityClass)}
          containers:
          - name: app
            image: nginx:1.27
            resources:
              requests:
                cpu: "{cpu}"
        """;

    [Fact]
    public async Task Taints_and_sizes_are_explained_as_kube_scheduler_does_and_a_high_priority_pod_preempts()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 3);
        var kubectl = cluster.Kubectl;

        var classes = TableOutput.Parse((await kubectl.Run("get", "priorityclasses")).Ok().Stdout);
        Assert.Equal(["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"], classes.Headers);
        Assert.Equal(("2000001000", "false", "PreemptLowerPriority"),
            (classes.Row("system-node-critical")["VALUE"], classes.Row("system-node-critical")["GLOBAL-DEFAULT"], classes.Row("system-node-critical")["PREEMPTIONPOLICY"]));
        Assert.Equal("2000000000", classes.Row("system-cluster-critical")["VALUE"]);

        // An unknown class is refused at admission, as kube-apiserver refuses it.
        var refused = await kubectl.RunWithInput(Pod("nope", "100m", "foo"), "apply", "-f", "-");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("pods \"nope\" is forbidden: no PriorityClass with name foo was found", refused.Stderr);

        // One node tainted, every node too small: one reason per node, sorted, then the preemption part.
        var nodes = (await kubectl.Run("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).Ok().Stdout.Split(' ');
        (await kubectl.Run("taint", "nodes", nodes[0], "node-role=infra:NoSchedule")).Ok();
        (await kubectl.RunWithInput(Pod("big", "5"), "apply", "-f", "-")).Ok();
        const string expected = "0/3 nodes are available: 1 node(s) had untolerated taint {node-role: infra}, 2 Insufficient cpu. " +
                                "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.";
        // The scheduler may see the pod before the taint (then it says "3 Insufficient cpu" first, and again once the taint arrives).
        // The event and the PodScheduled condition are two writes: describe may show the one before the other.
        var describe = await Eventually.Until(async () => (await kubectl.Run("describe", "pod", "big")).Ok().Stdout,
            d => d.Contains(expected) && d.Contains("PodScheduled   False"), Settle, "the FailedScheduling event naming the taint, and the condition");
        Assert.Contains("FailedScheduling", describe);
        Assert.Contains("PodScheduled   False", describe);
        await Eventually.Until(
            async () => (await kubectl.Run("get", "pod", "big", "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}")).Ok().Stdout,
            m => m == expected, Settle, "the PodScheduled condition with the same message");
        (await kubectl.Run("delete", "pod", "big", "--wait=false")).Ok();
        (await kubectl.Run("taint", "nodes", nodes[0], "node-role-")).Ok();

        // Three pods fill the three nodes; a higher-priority one takes a victim's place.
        foreach (var name in new[] { "low-1", "low-2", "low-3" }) (await kubectl.RunWithInput(Pod(name, "3"), "apply", "-f", "-")).Ok();
        await Eventually.Until(async () => TableOutput.Parse((await kubectl.Run("get", "pods")).Ok().Stdout),
            t => t.Rows.Count(r => r["NAME"].StartsWith("low-") && r["STATUS"] == "Running") == 3, Settle, "three low pods Running");
        (await kubectl.Run("create", "priorityclass", "high", "--value=1000")).Ok();
        (await kubectl.RunWithInput(Pod("urgent", "3", "high"), "apply", "-f", "-")).Ok();
        Assert.Equal("1000", (await kubectl.Run("get", "pod", "urgent", "-o", "jsonpath={.spec.priority}")).Ok().Stdout);

        var node = await Eventually.Until(async () => (await kubectl.Run("get", "pod", "urgent", "-o", "jsonpath={.spec.nodeName}")).Ok().Stdout,
            n => n.Length > 0, Settle, "the urgent pod bound");
        var uid = (await kubectl.Run("get", "pod", "urgent", "-o", "jsonpath={.metadata.uid}")).Ok().Stdout;
        var events = TableOutput.Parse((await kubectl.Run("get", "events", "--field-selector", "reason=Preempted")).Ok().Stdout);
        var preempted = Assert.Single(events.Rows);
        Assert.Equal($"Preempted by pod {uid} on node {node}", preempted["MESSAGE"]);
        var lows = TableOutput.Parse((await kubectl.Run("get", "pods", "-o", "wide")).Ok().Stdout).Rows.Where(r => r["NAME"].StartsWith("low-")).ToArray();
        Assert.DoesNotContain(lows, r => r["NODE"] == node && r["STATUS"] == "Running");
        await Eventually.Until(() => kubectl.PodPhase("urgent"), p => p == "Running", Settle, "the urgent pod Running");
    }
}

using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>Issue E5: `kubeemu chaos kill|freeze|thaw|leave|restart`, as a user scripts an experiment.</summary>
[Collection("clusters")]
public sealed class ChaosSpecs
{
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Chaos_kills_freezes_thaws_restarts_and_makes_node_processes_leave()
    {
        // The freeze below must not outlast downing's stable-after, whatever the machine's load.
        await using var cluster = await KubeEmuCluster.UpWithConfig(KubeEmuCluster.SlowDowning, nodes: 2);
        var kubectl = cluster.Kubectl;
        Task<KubectlResult> Chaos(params string[] args) =>
            KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromSeconds(90), ["chaos", .. args, "--state-dir", cluster.StateDir]);

        // A crash, then a restart with the recorded command line: a new process, the same Node back.
        var crashed = cluster.Pid("node-1");
        Assert.Contains($"killed node-1 (pid {crashed}, SIGKILL)", (await Chaos("kill", "node-1")).Ok().Stdout);
        await kubectl.AwaitNodeReady("node-1", "Unknown", Detection);
        Assert.Contains("restarted node-1", (await Chaos("restart", "node-1")).Ok().Stdout);
        await kubectl.AwaitNodeReady("node-1", "True", Recovery);
        Assert.NotEqual(crashed, cluster.Pid("node-1"));

        // A freeze is a failure too, and a thaw heals it: the same process, no restart.
        var frozen = cluster.Pid("node-2");
        (await Chaos("freeze", "node-2")).Ok();
        await kubectl.AwaitNodeReady("node-2", "Unknown", Detection);
        (await Chaos("thaw", "node-2")).Ok();
        await kubectl.AwaitNodeReady("node-2", "True", Recovery);
        Assert.Equal(frozen, cluster.Pid("node-2"));

        // A graceful leave: the process exits; restart finds its command line all the same.
        Assert.Contains($"node-2 (pid {frozen}) left the cluster and exited", (await Chaos("leave", "node-2")).Ok().Stdout);
        await kubectl.AwaitNodeReady("node-2", "Unknown", Detection);
        (await Chaos("restart", "node-2")).Ok();
        await kubectl.AwaitNodeReady("node-2", "True", Recovery);

        var unknown = await Chaos("kill", "no-such-node");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no process or Node named no-such-node", unknown.Stdout);
        Assert.Contains("node-1", unknown.Stdout); // it lists what there is
    }

    [Fact]
    public async Task A_partitioned_node_is_unreachable_while_it_runs_heals_in_place_or_leaves_once_downed()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 2);
        var kubectl = cluster.Kubectl;
        Task<KubectlResult> Chaos(params string[] args) =>
            KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromSeconds(90), ["chaos", .. args, "--state-dir", cluster.StateDir]);

        // Healed before the downing stable-after: the same process, Ready again.
        var pid = cluster.Pid("node-2");
        Assert.Contains("partitioned node-2", (await Chaos("partition", "node-2")).Ok().Stdout);
        await kubectl.AwaitNodeReady("node-2", "Unknown", Detection);
        Assert.True(Akka.KubeEmu.Host.Launcher.Signals.IsKubeEmu(pid), "a partitioned process keeps running");
        Assert.Contains("healed node-2", (await Chaos("heal", "node-2")).Ok().Stdout);
        await kubectl.AwaitNodeReady("node-2", "True", Recovery);
        Assert.Equal(pid, cluster.Pid("node-2"));

        // Longer than the stable-after (5 s in fast): the control plane's side downs it; healed, it leaves, and a restart brings it back.
        var cutOff = cluster.Pid("node-1");
        Assert.Contains("for 12 s", (await Chaos("partition", "node-1", "--heal-after", "12s")).Ok().Stdout);
        await kubectl.AwaitNodeReady("node-1", "Unknown", Detection);
        await Eventually.Until(() => Task.FromResult(Akka.KubeEmu.Host.Launcher.Signals.IsKubeEmu(cutOff)), running => !running,
            TimeSpan.FromSeconds(60), "the downed process leaving once healed");
        (await Chaos("restart", "node-1")).Ok();
        await kubectl.AwaitNodeReady("node-1", "True", Recovery);
    }

    [Fact]
    public async Task An_experiment_measures_a_node_kill_and_fails_on_the_invariant_it_breaks()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 2);
        var manifest = Path.Combine(AppContext.BaseDirectory, "config", "examples", "nginx-deployment.yaml");
        var experiment = Path.Combine(cluster.StateDir, "experiment.yaml");
        var report = Path.Combine(cluster.StateDir, "report.json");
        await File.WriteAllTextAsync(experiment, $"""
            name: kill-one
            setup:
              - apply: {manifest}
              - wait: deployment/nginx-deployment available 3
                within: 60s
            steps:
              - kill: node-with-most-pods app=nginx
              - wait: node/victim ready Unknown
                within: 20s
              - wait: deployment/nginx-deployment available 3
                within: 60s
            invariants:
              - applied-objects-kept
              - pods app=nginx ready 3
            """);

        var run = await KubeEmuCluster.Run(KubeEmuCluster.Executable, TimeSpan.FromMinutes(3),
            ["chaos", "run", experiment, "--state-dir", cluster.StateDir, "--json", report]);

        // The replicas came back, but "3 ready at every sample" cannot hold through a kill: the dead node's pods turn NotReady first. Exit 1.
        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains("held    applied-objects-kept", run.Stdout);
        Assert.Contains("BROKEN  pods app=nginx ready 3", run.Stdout);
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(report))!;
        Assert.False(json["passed"]!.GetValue<bool>());
        var fault = json["faults"]!.AsArray().Single()!;
        Assert.Equal("kill", fault["fault"]!.GetValue<string>());
        var detected = fault["detectedAfterSeconds"]!.GetValue<double>();
        var evicted = fault["evictedAfterSeconds"]!.GetValue<double>();
        var recovered = fault["recoveredAfterSeconds"]!.GetValue<double>();
        // Recovery follows detection; it may come a few milliseconds before the last of the dead node's pods is
        // marked for deletion (the taint manager evicts them one by one, and replacements start as each goes).
        Assert.True(detected > 0 && detected <= evicted && detected <= recovered && recovered < 60, $"{detected} {evicted} {recovered}");
        Assert.True(fault["podsLost"]!.GetValue<int>() >= 2);
        Assert.Equal(fault["podsLost"]!.GetValue<int>(), fault["podsRecreated"]!.GetValue<int>());
    }
}

using System.Diagnostics;
using static Akka.KubeEmu.Host.Bench.FailoverConditions;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// One run's figures, each from the SIGKILL (<see cref="Rejoin"/>: from the restart). <see cref="Tainted"/>,
/// <see cref="Created"/> and <see cref="Scheduled"/> are steps in between, to show where the time goes.
/// </summary>
public sealed record FailoverResult(int Run, string Node, int Pods, TimeSpan Detection, TimeSpan Tainted, TimeSpan Eviction,
    TimeSpan Created, TimeSpan Scheduled, TimeSpan Recovery, TimeSpan PodGc, TimeSpan Rejoin);

/// <summary>
/// Kills the node process hosting the most pods and times what follows until its pods run
/// elsewhere and are collected, then starts it again and waits until it is back. Every phase is
/// watched from just before the kill, all at once, each against the same deadline (--timeout).
/// </summary>
public sealed class FailoverRun(BenchCluster cluster, ClusterView view, IReadOnlyList<BenchDeployment> deployments, TimeSpan timeout)
{
    /// <summary>Waits, up to the phase timeout, until <paramref name="condition"/> holds.</summary>
    public Task Wait(Func<ClusterState, bool> condition, string what, CancellationToken ct) =>
        Phase(view.When(condition), Stopwatch.GetTimestamp(), what, ct);

    /// <summary>Waits until every node is Ready and untainted and every replica Running, as a run needs to start from.</summary>
    public async Task Settle(CancellationToken ct)
    {
        var from = Stopwatch.GetTimestamp();
        await Phase(view.When(Settled(deployments, cluster.NodeNames)), from, "the cluster settled (every node Ready and untainted, every replica Running and Ready)", ct);
        // A restarted process's pid reaches processes.json when it joins the cluster, which its Node being Ready does not prove.
        while (!cluster.ProcessesFileCurrent())
        {
            if (Stopwatch.GetElapsedTime(from) > timeout) throw new TimeoutException($"processes.json not current within {timeout.TotalSeconds:F0} s");
            cluster.ThrowIfAnyExited();
            await Task.Delay(100, ct);
        }
    }

    public async Task<FailoverResult> Measure(int run, CancellationToken ct)
    {
        await Settle(ct);
        var (victim, lost) = view.Read(s => PodsByNode(s).MaxBy(n => n.Value.Count));
        var detected = view.When(NotReady(victim));
        var tainted = view.When(Tainted(victim));
        var evicted = view.When(Evicted(lost));
        var created = view.When(Created(deployments, victim));
        var scheduled = view.When(Scheduled(deployments, victim));
        var replaced = view.When(Replaced(deployments, victim));
        var collected = view.When(Collected(lost));

        var killedAt = cluster.Kill(victim);
        var detection = await Phase(detected, killedAt, $"{victim} NotReady", ct);
        var taint = await Phase(tainted, killedAt, $"{victim} tainted NoExecute", ct);
        var eviction = await Phase(evicted, killedAt, $"the {lost.Count} pods of {victim} evicted", ct);
        var creation = await Phase(created, killedAt, "every replacement created", ct);
        var scheduling = await Phase(scheduled, killedAt, "every replacement scheduled", ct);
        var recovery = await Phase(replaced, killedAt, "every replica Running and Ready on the other nodes", ct);
        var podGc = await Phase(collected, killedAt, $"the {lost.Count} pods of {victim} collected", ct);

        var restartedAt = Stopwatch.GetTimestamp();
        cluster.Restart(victim);
        var rejoin = await Phase(view.When(Rejoined(victim)), restartedAt, $"{victim} Ready and untainted after its restart", ct);
        return new FailoverResult(run, victim, lost.Count, detection, taint, eviction, creation, scheduling, recovery, podGc, rejoin);
    }

    /// <summary>
    /// Waits for a phase's event. The loop only checks the deadline and that no other process died;
    /// the time comes from the event itself (<see cref="ClusterView.When"/>).
    /// </summary>
    private async Task<TimeSpan> Phase(Task<long> done, long from, string what, CancellationToken ct)
    {
        while (!done.IsCompleted)
        {
            cluster.ThrowIfAnyExited();
            if (Stopwatch.GetElapsedTime(from) > timeout)
                throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:F0} s. Last seen:\n{view.Read(Describe)}");
            await Task.WhenAny(done, Task.Delay(200, ct));
            ct.ThrowIfCancellationRequested();
        }
        var at = await done;
        return at > from ? Stopwatch.GetElapsedTime(from, at) : TimeSpan.Zero;
    }

    private static string Describe(ClusterState s) => string.Join('\n',
        s.Nodes.Values.Select(n => $"  node {n.Metadata.Name}: Ready={n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status ?? "?"}, taints [{string.Join(", ", n.Spec?.Taints?.Select(t => $"{t.Key}:{t.Effect}") ?? [])}]")
            .Concat(s.Pods.Values.GroupBy(p => (p.Spec.NodeName, p.Status?.Phase, Terminating: p.Metadata.DeletionTimestamp is not null))
                .OrderBy(g => g.Key.NodeName)
                .Select(g => $"  {g.Count()} pod(s) on {g.Key.NodeName ?? "(none)"}: {g.Key.Phase}{(g.Key.Terminating ? ", Terminating" : "")}")));
}

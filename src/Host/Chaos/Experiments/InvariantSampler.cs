namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>
/// Samples the cluster every interval while the experiment runs: judges each invariant, and fills
/// in the detection and eviction times of the fault under way.
/// </summary>
public sealed class InvariantSampler(ClusterView view, ExperimentReport report, IReadOnlyList<Invariant> invariants, ExperimentState state, TimeProvider time)
{
    private readonly Dictionary<Invariant, InvariantResult> _results =
        invariants.ToDictionary(i => i, i => report.Invariants.Single(r => r.Invariant == i.Text));

    public async Task Run(TimeSpan interval, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await SampleOnce();
            try
            {
                await Task.Delay(interval, time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task SampleOnce()
    {
        report.Samples++;
        try
        {
            await Measure();
            foreach (var invariant in invariants)
            {
                var (held, observed) = await Judge(invariant);
                if (held) continue;
                var result = _results[invariant];
                result.Violations++;
                if (result.FirstViolationSeconds is null)
                {
                    result.FirstViolationSeconds = state.Elapsed.TotalSeconds;
                    result.Observed = observed;
                }
            }
        }
        catch (ApiUnavailable)
        {
            report.SamplesApiUnavailable++;
        }
    }

    private async Task Measure()
    {
        if (state.OpenFault is not { } fault) return;
        var since = (time.GetUtcNow() - fault.At).TotalSeconds;
        if (fault.DetectedAfterSeconds is null && fault.Nodes.Count > 0)
        {
            foreach (var node in fault.Nodes)
            {
                var (ready, _) = await view.Evaluate(Condition.Parse($"node/{node} ready True"), []);
                if (ready) continue;
                fault.DetectedAfterSeconds = since;
                break;
            }
        }
        if (fault.EvictedAfterSeconds is null && fault.PodsOnNodes.Count > 0)
        {
            var live = (await view.Pods()).Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Uid).ToHashSet();
            if (fault.PodsOnNodes.Any(uid => !live.Contains(uid))) fault.EvictedAfterSeconds = since;
        }
    }

    private async Task<(bool Held, string Observed)> Judge(Invariant invariant)
    {
        switch (invariant.BuiltIn)
        {
            case BuiltInInvariant.AppliedObjectsKept:
            {
                foreach (var (obj, uid) in state.Applied())
                {
                    var now = await view.Uid(obj);
                    if (now != uid) return (false, now is null ? $"{obj} is gone" : $"{obj} was replaced (uid {uid} -> {now})");
                }
                return (true, "");
            }
            case BuiltInInvariant.OnePodPerOrdinal:
            {
                var pods = await view.Pods("default");
                var byOrdinal = pods
                    .Where(p => p.Metadata.OwnerReferences?.Any(o => o.Kind == "StatefulSet" && o.Name == invariant.Subject) == true)
                    .GroupBy(p => p.Metadata.Labels is { } l && l.TryGetValue("apps.kubernetes.io/pod-index", out var index) ? index : p.Metadata.Name)
                    .FirstOrDefault(g => g.Count() > 1);
                return byOrdinal is null ? (true, "") : (false, $"ordinal {byOrdinal.Key}: {string.Join(", ", byOrdinal.Select(p => p.Metadata.Name))}");
            }
            default:
                return await view.Evaluate(invariant.Condition!, state.VictimNodes);
        }
    }
}

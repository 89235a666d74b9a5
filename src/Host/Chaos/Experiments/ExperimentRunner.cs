using CliWrap;
using CliWrap.Buffered;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>
/// `kubeemu chaos run`: runs an experiment against the cluster of a state directory: the set-up,
/// then the steps <see cref="Experiment.Repeat"/> times while a sampler judges the invariants,
/// then the tear-down; manifests go through the real kubectl, as a user applies them.
/// </summary>
public sealed class ExperimentRunner(Experiment experiment, string stateDir, TextWriter output, TimeProvider time)
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly ChaosActions _chaos = new(stateDir, output);
    private readonly ExperimentState _state = new(time);

    public string Kubectl { get; init; } = Environment.GetEnvironmentVariable("KUBECTL") ?? "kubectl";

    public async Task<ExperimentReport> Run(CancellationToken ct = default)
    {
        var report = new ExperimentReport
        {
            Experiment = experiment.Name,
            Repeat = experiment.Repeat,
            Invariants = experiment.Invariants.Select(i => new InvariantResult { Invariant = i.Text }).ToList(),
        };
        using var view = ClusterView.ForStateDir(stateDir);
        output.WriteLine($"Experiment {experiment.Name}{(experiment.Description is null ? "" : ": " + experiment.Description)}");
        try
        {
            foreach (var step in experiment.Setup) await Execute(view, report, step, 0, ct);
            var sampler = new InvariantSampler(view, report, experiment.Invariants, _state, time);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var sampling = sampler.Run(experiment.SampleInterval, stop.Token);
            try
            {
                for (var run = 1; run <= experiment.Repeat; run++)
                {
                    output.WriteLine($"-- run {run} of {experiment.Repeat}");
                    foreach (var step in experiment.Steps) await Execute(view, report, step, run, ct);
                }
            }
            finally
            {
                await stop.CancelAsync();
                await sampling;
            }
            await sampler.SampleOnce();
        }
        catch (StepFailed e)
        {
            report.Failure = e.Message;
        }
        foreach (var step in experiment.Teardown)
        {
            try
            {
                await Execute(view, report, step, 0, ct);
            }
            catch (StepFailed e)
            {
                output.WriteLine($"tear-down: {e.Message}");
            }
        }
        report.DurationSeconds = _state.Elapsed.TotalSeconds;
        return report;
    }

    private async Task Execute(ClusterView view, ExperimentReport report, ExperimentStep step, int run, CancellationToken ct)
    {
        output.WriteLine($"[{_state.Elapsed.TotalSeconds,6:0.0} s] {step}");
        switch (step.Verb)
        {
            case "apply":
            case "delete":
                await Manifest(view, step);
                break;
            case "wait":
                await Wait(view, step, ct);
                break;
            case "hold":
                ExperimentDuration.TryParse(step.Argument, out var hold);
                await Task.Delay(hold, time, ct);
                break;
            default:
                await Fault(view, report, step, run);
                break;
        }
    }

    private async Task Manifest(ClusterView view, ExperimentStep step)
    {
        var path = Path.IsPathRooted(step.Argument) ? step.Argument : Path.Combine(experiment.Directory, step.Argument);
        if (!File.Exists(path)) throw new StepFailed(step, $"no manifest {path}");
        string[] args = step.Verb == "apply"
            ? ["--kubeconfig", Path.Combine(stateDir, "kubeconfig"), "apply", "-f", path]
            : ["--kubeconfig", Path.Combine(stateDir, "kubeconfig"), "delete", "-f", path, "--ignore-not-found", "--wait=false"];
        var result = await CliWrap.Cli.Wrap(Kubectl).WithArguments(args).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        output.Write(result.StandardOutput);
        if (result.ExitCode != 0) throw new StepFailed(step, $"kubectl {step.Verb} failed: {result.StandardError.Trim()}");
        foreach (var obj in ManifestObjects.Read(path))
        {
            if (step.Verb == "delete")
            {
                _state.Forget(obj);
                continue;
            }
            if (await view.Uid(obj) is { } uid) _state.Remember(obj, uid);
        }
    }

    /// <summary>
    /// Right after a kill, a workload's status still counts the dead node's pods as available until
    /// the control plane marks them (as on a real cluster): a recovery wait then holds only once
    /// those pods are deleted or being deleted, so that it measures their replacement.
    /// </summary>
    private async Task<string?> StaleAfterKill(ClusterView view, Condition condition)
    {
        if (_state.OpenFault is not { Fault: "kill", PodsOnNodes.Count: > 0 } fault || condition.Subject == ConditionSubject.Node) return null;
        var live = (await view.Pods()).Where(p => p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Uid).ToHashSet();
        var left = fault.PodsOnNodes.Count(live.Contains);
        return left == 0 ? null : $"{left} pod(s) of the killed node(s) not evicted yet";
    }

    private async Task Wait(ClusterView view, ExperimentStep step, CancellationToken ct)
    {
        var condition = Condition.Parse(step.Argument);
        var within = step.Within ?? DefaultWait;
        var deadline = time.GetUtcNow() + within;
        var observed = "";
        while (true)
        {
            try
            {
                var (held, seen) = await view.Evaluate(condition, _state.VictimNodes);
                observed = seen;
                if (held && await StaleAfterKill(view, condition) is { } stale) (held, observed) = (false, $"{seen}; {stale}");
                if (held) break;
            }
            catch (ApiUnavailable e)
            {
                observed = "API server not answering: " + e.Message;
            }
            if (time.GetUtcNow() >= deadline) throw new StepFailed(step, $"not within {ExperimentDuration.Format(within)} (last seen: {observed})");
            await Task.Delay(Poll, time, ct);
        }
        if (_state.OpenFault is not { } fault) return;
        var since = (time.GetUtcNow() - fault.At).TotalSeconds;
        if (condition.Subject == ConditionSubject.Node)
        {
            // "node/victim ready Unknown" is the detection, not the recovery.
            if (condition.Expected != "True") fault.DetectedAfterSeconds ??= since;
            return;
        }
        fault.RecoveredAfterSeconds = since;
        try
        {
            var live = (await view.Pods()).Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            fault.PodsRecreated = live.Count(p => !fault.PodsBefore.Contains(p.Metadata.Uid));
            // A loaded machine may take no sample between the eviction and the recovery: the
            // eviction then happened no later than now, which is what the report says.
            var liveUids = live.Select(p => p.Metadata.Uid).ToHashSet();
            if (fault.EvictedAfterSeconds is null && fault.PodsOnNodes.Any(uid => !liveUids.Contains(uid))) fault.EvictedAfterSeconds = since;
        }
        catch (ApiUnavailable)
        {
            // counted only when the API answers
        }
        _state.OpenFault = null;
    }

    private async Task Fault(ClusterView view, ExperimentReport report, ExperimentStep step, int run)
    {
        var target = await Target(view, step);
        var nodes = await Safe(() => view.NodesOf(target.AkkaAddress), []);
        var nodeNames = nodes.Select(n => n.Metadata.Name).ToList();
        if (step.IsFault)
        {
            var pods = await Safe(async () => await view.Pods(), []);
            _state.Victim = target;
            _state.VictimNodes = nodeNames;
            var measurement = new FaultMeasurement
            {
                Run = run,
                Fault = step.Verb,
                Process = target.Name,
                Nodes = nodeNames,
                At = time.GetUtcNow(),
                PodsOnNodes = pods.Where(p => nodeNames.Contains(p.Spec.NodeName) && p.Metadata.DeletionTimestamp is null).Select(p => p.Metadata.Uid).ToHashSet(),
                PodsBefore = pods.Select(p => p.Metadata.Uid).ToHashSet(),
                PodsLost = pods.Count(p => nodeNames.Contains(p.Spec.NodeName) && p.Metadata.DeletionTimestamp is null),
            };
            report.Faults.Add(measurement);
            _state.OpenFault = measurement;
        }
        var code = step.Verb switch
        {
            "kill" => _chaos.Kill(target),
            "freeze" => _chaos.Freeze(target),
            "thaw" => _chaos.Thaw(target),
            "leave" => await _chaos.Leave(target),
            "partition" => _chaos.Partition(target, [], null, time),
            "heal" => _chaos.Heal(target),
            _ => await _chaos.Restart(target),
        };
        if (code != 0) throw new StepFailed(step, $"{step.Verb} {target.Name} did not succeed");
    }

    /// <summary>A process or Node name; `victim` (the last fault's process); `node-with-most-pods SELECTOR`.</summary>
    private async Task<StateDirectory.ProcessRecord> Target(ClusterView view, ExperimentStep step)
    {
        var words = step.Argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words is ["victim"]) return _state.Victim ?? throw new StepFailed(step, "no fault has picked a victim yet");
        var name = words[0];
        if (words is ["node-with-most-pods", var selector])
            name = await Safe(() => view.NodeWithMostPods(selector), null) ?? throw new StepFailed(step, $"no running pod matches {selector}");
        else if (words.Length != 1)
            throw new StepFailed(step, "the target is a process or Node name, victim, or node-with-most-pods SELECTOR");
        return await ChaosTarget.Resolve(stateDir, name, output) ?? throw new StepFailed(step, $"no process or Node {name}");
    }

    private static async Task<T> Safe<T>(Func<Task<T>> call, T fallback)
    {
        try
        {
            return await call();
        }
        catch (ApiUnavailable)
        {
            return fallback;
        }
    }

    private sealed class StepFailed(ExperimentStep step, string message) : Exception($"line {step.Line}: {step}: {message}");
}

using System.CommandLine;
using Akka.KubeEmu.Host.Chaos;
using Akka.KubeEmu.Host.Chaos.Experiments;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Cli;

public static class ChaosCommand
{
    public static Command Create()
    {
        var chaos = new Command("chaos", "Inject faults into a running cluster's processes: a process name from processes.json, or a Node name (its hosting process).");
        chaos.Subcommands.Add(Verb("kill", "SIGKILL: the process crashes (a node failure).", (a, p) => Task.FromResult(a.Kill(p))));
        chaos.Subcommands.Add(Verb("freeze", "SIGSTOP: the process stops answering but lives (unreachable).", (a, p) => Task.FromResult(a.Freeze(p))));
        chaos.Subcommands.Add(Verb("thaw", "SIGCONT: a frozen process runs again (reachable again if it was not downed meanwhile).", (a, p) => Task.FromResult(a.Thaw(p))));
        chaos.Subcommands.Add(Verb("leave", "SIGTERM: the process leaves the cluster gracefully and exits.", (a, p) => a.Leave(p)));
        chaos.Subcommands.Add(Verb("restart", "Start the process again with its recorded command line (killing it first if it runs).", (a, p) => a.Restart(p)));
        chaos.Subcommands.Add(Partition());
        chaos.Subcommands.Add(Verb("heal", "End a partition: the process reaches the others again (if it was not downed meanwhile).", (a, p) => Task.FromResult(a.Heal(p))));
        chaos.Subcommands.Add(RunExperiment());
        return chaos;
    }

    private static Command Partition()
    {
        var target = new Argument<string>("process-or-node") { Description = "A process (node-2, control-plane) or a Node name." };
        var stateDir = CommonOptions.StateDir();
        var from = new Option<string[]>("--from") { Description = "Cut off from these processes only (default: from every other process).", AllowMultipleArgumentsPerToken = true };
        var healAfter = new Option<string?>("--heal-after") { Description = "Heal by itself after this long (30s, 2m); default: at `kubeemu chaos heal`." };
        var command = new Command("partition", "Cut a process off from the others without stopping it (both directions, heartbeats included): Unreachable, then downed after the stable-after unless healed.")
        {
            target, stateDir, from, healAfter,
        };
        command.SetAction(async (r, _) =>
        {
            TimeSpan? after = null;
            if (r.GetValue(healAfter) is { } text)
            {
                if (!ExperimentDuration.TryParse(text, out var d) || d <= TimeSpan.Zero)
                {
                    Console.Error.WriteLine($"--heal-after {text}: not a duration (30s, 2m)");
                    return 2;
                }
                after = d;
            }
            var dir = Path.GetFullPath(r.GetValue(stateDir)!);
            var record = await ChaosTarget.Resolve(dir, r.GetValue(target)!, Console.Out);
            return record is null ? 2 : new ChaosActions(dir, Console.Out).Partition(record, r.GetValue(from) ?? [], after, TimeProvider.System);
        });
        return command;
    }

    private static Command RunExperiment()
    {
        var file = new Argument<string>("experiment") { Description = "An experiment file (YAML; see docs/chaos-experiments.md and config/experiments/)." };
        var stateDir = CommonOptions.StateDir();
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file." };
        var command = new Command("run", "Run a chaos experiment: apply, inject faults, wait for conditions, check invariants at every sample; exits 1 when one broke.")
        {
            file, stateDir, json,
        };
        command.SetAction(async (r, ct) =>
        {
            Experiment experiment;
            try
            {
                experiment = ExperimentFile.Load(r.GetValue(file)!);
            }
            catch (ExperimentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }
            var dir = Path.GetFullPath(r.GetValue(stateDir)!);
            if (!File.Exists(Path.Combine(dir, "kubeconfig")))
            {
                Console.Error.WriteLine($"no cluster in {dir} (no kubeconfig): start one with `kubeemu up --detach --state-dir {dir}`");
                return 2;
            }
            var report = await new ExperimentRunner(experiment, dir, Console.Out, TimeProvider.System).Run(ct);
            report.Print(Console.Out);
            if (r.GetValue(json) is { } path) await File.WriteAllTextAsync(path, report.ToJson(), ct);
            return report.Passed ? 0 : 1;
        });
        return command;
    }

    private static Command Verb(string name, string description, Func<ChaosActions, ProcessRecord, Task<int>> act)
    {
        var target = new Argument<string>("process-or-node") { Description = "A process (node-2, control-plane) or a Node name." };
        var stateDir = CommonOptions.StateDir();
        var command = new Command(name, description) { target, stateDir };
        command.SetAction(async (r, _) =>
        {
            var dir = Path.GetFullPath(r.GetValue(stateDir)!);
            var record = await ChaosTarget.Resolve(dir, r.GetValue(target)!, Console.Out);
            return record is null ? 2 : await act(new ChaosActions(dir, Console.Out), record);
        });
        return command;
    }
}

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>
/// A chaos experiment as its YAML file describes it (see docs/chaos-experiments.md): set-up steps,
/// steps repeated <see cref="Repeat"/> times, tear-down steps, and invariants checked at every sample
/// from the end of the set-up to the end of the last repetition.
/// </summary>
public sealed record Experiment(
    string Name,
    string? Description,
    int Repeat,
    TimeSpan SampleInterval,
    IReadOnlyList<ExperimentStep> Setup,
    IReadOnlyList<ExperimentStep> Steps,
    IReadOnlyList<ExperimentStep> Teardown,
    IReadOnlyList<Invariant> Invariants,
    string Directory);

/// <summary>One step: a verb (apply, delete, wait, hold, kill, freeze, thaw, leave, partition, heal, restart) and its argument.</summary>
/// <param name="Within">How long a `wait` may take.</param>
/// <param name="Line">Where the step is in the file, for messages.</param>
public sealed record ExperimentStep(string Verb, string Argument, TimeSpan? Within, int Line)
{
    public static readonly string[] Faults = ["kill", "freeze", "leave", "partition"];
    public static readonly string[] Verbs = ["apply", "delete", "wait", "hold", "kill", "freeze", "thaw", "leave", "partition", "heal", "restart"];

    public bool IsFault => Faults.Contains(Verb);

    public override string ToString() => $"{Verb} {Argument}";
}

/// <summary>What must hold at every sample: a condition, or one of the built-in checks.</summary>
public sealed record Invariant(string Text, Condition? Condition, BuiltInInvariant? BuiltIn, string? Subject)
{
    public override string ToString() => Text;
}

public enum BuiltInInvariant
{
    /// <summary>Every object the experiment applied is still there with the same uid (unless a step deleted it).</summary>
    AppliedObjectsKept,

    /// <summary>A StatefulSet never has two pods for one ordinal.</summary>
    OnePodPerOrdinal,
}

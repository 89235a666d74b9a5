using System.Text.Json;
using System.Text.Json.Serialization;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>What an experiment measured and whether its invariants held, printed as text and written as JSON.</summary>
public sealed class ExperimentReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public required string Experiment { get; init; }
    public required int Repeat { get; init; }
    public List<FaultMeasurement> Faults { get; } = [];
    public List<InvariantResult> Invariants { get; init; } = [];
    public int Samples { get; set; }

    /// <summary>Samples taken while the API server did not answer (invariants are not judged then).</summary>
    public int SamplesApiUnavailable { get; set; }

    /// <summary>The step that failed (a wait that timed out, a fault that could not be injected), if any.</summary>
    public string? Failure { get; set; }

    public double DurationSeconds { get; set; }

    public bool Passed => Failure is null && Invariants.All(i => i.Held);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Experiment {Experiment}: {Repeat} run(s), {DurationSeconds:0.0} s");
        if (Faults.Count > 0)
        {
            output.WriteLine($"{"RUN",-4} {"FAULT",-28} {"NODES",-16} {"DETECTED",-9} {"EVICTED",-9} {"RECOVERED",-10} {"PODS LOST",-10} RECREATED");
            foreach (var f in Faults)
                output.WriteLine($"{f.Run,-4} {Cut($"{f.Fault} {f.Process}", 28),-28} {Cut(string.Join(",", f.Nodes), 16),-16} " +
                                 $"{ExperimentDuration.Format(Seconds(f.DetectedAfterSeconds)),-9} {ExperimentDuration.Format(Seconds(f.EvictedAfterSeconds)),-9} " +
                                 $"{ExperimentDuration.Format(Seconds(f.RecoveredAfterSeconds)),-10} {f.PodsLost,-10} {f.PodsRecreated}");
        }
        output.WriteLine($"Invariants, sampled {Samples} time(s) ({SamplesApiUnavailable} while the API server did not answer):");
        foreach (var i in Invariants)
            output.WriteLine(i.Held
                ? $"  held    {i.Invariant}"
                : $"  BROKEN  {i.Invariant}: {i.Violations} sample(s), first at {i.FirstViolationSeconds:0.0} s ({i.Observed})");
        if (Invariants.Count == 0) output.WriteLine("  (none)");
        if (Failure is not null) output.WriteLine($"Failed: {Failure}");
        output.WriteLine(Passed ? "PASSED" : "FAILED");
    }

    private static TimeSpan? Seconds(double? s) => s is { } v ? TimeSpan.FromSeconds(v) : null;

    private static string Cut(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}

/// <summary>
/// One fault and what followed: when the control plane noticed (a Node of the process no longer
/// Ready), when its first pod was evicted, when the first wait step after the fault that is not
/// about a Node held (recovery: "deployment/nginx available 3"), how many pods ran on the
/// process's Nodes and how many new pods exist at recovery.
/// </summary>
public sealed class FaultMeasurement
{
    public required int Run { get; init; }
    public required string Fault { get; init; }
    public required string Process { get; init; }
    public required IReadOnlyList<string> Nodes { get; init; }
    public required int PodsLost { get; init; }
    public double? DetectedAfterSeconds { get; set; }
    public double? EvictedAfterSeconds { get; set; }
    public double? RecoveredAfterSeconds { get; set; }
    public int? PodsRecreated { get; set; }

    [JsonIgnore] public DateTimeOffset At { get; init; }
    [JsonIgnore] public IReadOnlySet<string> PodsOnNodes { get; init; } = new HashSet<string>();
    [JsonIgnore] public IReadOnlySet<string> PodsBefore { get; init; } = new HashSet<string>();
}

public sealed class InvariantResult
{
    public required string Invariant { get; init; }
    public bool Held => Violations == 0;
    public int Violations { get; set; }
    public double? FirstViolationSeconds { get; set; }
    public string? Observed { get; set; }
}

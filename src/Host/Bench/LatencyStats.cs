namespace Akka.KubeEmu.Host.Bench;

/// <summary>Throughput and latency percentiles of one load run.</summary>
public sealed record LatencyStats(string Name, int Count, TimeSpan Elapsed, double P50Ms, double P99Ms, int Errors)
{
    public double PerSecond => Count / Elapsed.TotalSeconds;

    public static LatencyStats From(string name, IReadOnlyCollection<double> latenciesMs, TimeSpan elapsed, int errors)
    {
        var sorted = latenciesMs.Order().ToArray();
        return new LatencyStats(name, sorted.Length, elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.99), errors);
    }

    /// <summary>Nearest-rank percentile of sorted values (0 when empty).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return 0;
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

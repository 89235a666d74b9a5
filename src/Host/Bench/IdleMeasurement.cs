using System.Text.Json.Nodes;
using Akka.KubeEmu.Host.Launcher;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// What a cluster at rest costs (`kubeemu bench idle`): after a settling period, the CPU each
/// process uses over the measured period, in cores, and the Store's writes per second (its global
/// resourceVersion moves by one per write: a list answer carries it).
/// </summary>
public sealed class IdleMeasurement(TimeSpan settle, TimeSpan measure, TextWriter output)
{
    public sealed record Result(IReadOnlyList<(string Process, double Cores)> PerProcess, double WritesPerSecond)
    {
        public double TotalCores => PerProcess.Sum(p => p.Cores);
    }

    public async Task<Result> Run(HttpClient api, IReadOnlyList<ChildProcess> processes)
    {
        output.WriteLine($"at rest: settling {settle.TotalSeconds:F0} s, then measuring {measure.TotalSeconds:F0} s");
        await Task.Delay(settle);
        var cpu = CpuWindow.Start(processes);
        var rvBefore = await ResourceVersion(api);
        await Task.Delay(measure);
        var rvAfter = await ResourceVersion(api);
        return new Result(cpu.ClusterCores(), (rvAfter - rvBefore) / cpu.Seconds);
    }

    private static async Task<long> ResourceVersion(HttpClient api)
    {
        var list = JsonNode.Parse(await api.GetStringAsync("/api/v1/namespaces/default/configmaps?limit=1"))!;
        return long.Parse(list["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

using System.Runtime.InteropServices;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>What every benchmark prints about the machine it ran on, and the free ports it runs on.</summary>
public static class BenchMachine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim() : "?";
        return $"machine: {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {memory} RAM, {RuntimeInformation.OSDescription}";
    }

    /// <summary>The 1, 5 and 15 minute load averages: figures taken on a busy machine should say so.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>A port the OS just handed out: clusters started by benchmarks never clash with one on the defaults.</summary>
    public static int FreePort() => Startup.LocalPorts.Unused();
}

using System.Globalization;
using Akka.KubeEmu.Actors.Node.Shared;

namespace Akka.KubeEmu.Actors.Node.Pods;

/// <summary>
/// The kubeemu.io/* annotations with which a test provokes behaviour (README.md in this folder).
/// Each may name one container: "kubeemu.io/exit-code.sidecar" overrides "kubeemu.io/exit-code".
/// </summary>
public sealed class PodAnnotations(IReadOnlyDictionary<string, string> annotations)
{
    public const string Prefix = "kubeemu.io/";
    public const string ReadyAfter = "ready-after";
    public const string ExitAfter = "exit-after";
    public const string ExitCode = "exit-code";
    public const string CrashLoop = "crash-loop";
    public const string MemoryUsage = "memory-usage";
    public const string LivenessFailsAfter = "liveness-fails-after";

    public static readonly PodAnnotations None = new(new Dictionary<string, string>());

    public string? Get(string name, string container) =>
        annotations.GetValueOrDefault($"{Prefix}{name}.{container}") ?? annotations.GetValueOrDefault(Prefix + name);

    /// <summary>Seconds from start until the container is ready; null: not set; infinity: "never".</summary>
    public double? ReadyAfterSeconds(string container) => Get(ReadyAfter, container) switch
    {
        null => null,
        "never" or "false" => double.PositiveInfinity,
        var s => Seconds(s),
    };

    public double? ExitAfterSeconds(string container) => Seconds(Get(ExitAfter, container));

    public int? ExitCodeFor(string container) =>
        int.TryParse(Get(ExitCode, container), NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code & 255 : null;

    public bool CrashLoops(string container) => Get(CrashLoop, container) is "true" or "yes" or "1";

    public long? MemoryUsageBytes(string container) => Quantities.Value(Get(MemoryUsage, container));

    public double? LivenessFailsAfterSeconds(string container) => Seconds(Get(LivenessFailsAfter, container));

    /// <summary>"30", "30s", "2m", "1.5h".</summary>
    private static double? Seconds(string? text) =>
        text is null ? null : ContainerRuntime.ShellRun.ParseDuration(text.Trim())?.TotalSeconds;
}

using Akka.KubeEmu.Actors.Node.Runtime;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>The runtime state of one pod on its node: sandbox, containers and the phase they add up to.</summary>
public sealed class PodRuntime(IReadOnlyList<ContainerState> init, IReadOnlyList<ContainerState> main, string restartPolicy,
    string hostIp, string? podIp, DateTimeOffset startTime)
{
    public IReadOnlyList<ContainerState> Init { get; } = init;
    public IReadOnlyList<ContainerState> Main { get; } = main;
    public string RestartPolicy { get; } = restartPolicy;
    public string HostIp { get; } = hostIp;
    public string? PodIp { get; } = podIp;
    public DateTimeOffset StartTime { get; } = startTime;
    public bool SandboxReady { get; set; }
    public bool Terminating { get; set; }

    /// <summary>Set when the kubelet rejects or fails the pod as a whole (e.g. OutOfcpu).</summary>
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? ForcedPhase { get; set; }

    public IEnumerable<ContainerState> All => Init.Concat(Main);

    public ContainerState? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    /// <summary>Whether an exited container starts again under the pod's restartPolicy.</summary>
    public bool WillRestart(ContainerState c) =>
        !Terminating && (RestartPolicy == "Always" || (RestartPolicy == "OnFailure" && c.ExitCode != 0) || (c.IsInit && RestartPolicy != "Never" && c.ExitCode != 0));

    /// <summary>getPhase: Pending until the init containers are done and a container ran; Succeeded/Failed when all stopped for good.</summary>
    public string Phase
    {
        get
        {
            if (ForcedPhase is not null) return ForcedPhase;
            var failedInit = Init.FirstOrDefault(c => c.Phase == ContainerPhase.Terminated && c.ExitCode != 0 && !WillRestart(c));
            if (failedInit is not null) return "Failed";
            if (Init.Any(c => !c.Succeeded)) return "Pending";
            var stopped = Main.All(c => c.Phase == ContainerPhase.Terminated && !WillRestart(c));
            if (stopped && Main.Count > 0) return Main.All(c => c.ExitCode == 0) ? "Succeeded" : "Failed";
            if (Main.Any(c => c.Phase == ContainerPhase.Running || c.RestartCount > 0 || c.Phase == ContainerPhase.Terminated)) return "Running";
            return "Pending";
        }
    }
}

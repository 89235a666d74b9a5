namespace Akka.KubeEmu.Actors.Node.Agent;

/// <summary>
/// The node conditions the kubelet owns, with the reasons and messages of
/// pkg/kubelet/nodestatus/setters.go, and its event reasons (pkg/kubelet/events).
/// </summary>
public static class NodeConditions
{
    public const string MemoryPressure = "MemoryPressure";
    public const string DiskPressure = "DiskPressure";
    public const string PidPressure = "PIDPressure";
    public const string Ready = "Ready";

    /// <summary>One condition the kubelet reports in its healthy state, and the event for reaching it.</summary>
    public sealed record Healthy(string Type, string Status, string Reason, string Message, string Event);

    /// <summary>The pressure conditions, in the order the kubelet appends them.</summary>
    public static readonly IReadOnlyList<Healthy> Pressure =
    [
        new(MemoryPressure, "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory"),
        new(DiskPressure, "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
        new(PidPressure, "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID"),
    ];

    public static readonly Healthy ReadyTrue = new(Ready, "True", "KubeletReady", "kubelet is posting ready status", "NodeReady");

    /// <summary>Before the runtime has answered its first status check.</summary>
    public static readonly Healthy ReadyFalse = new(Ready, "False", "KubeletNotReady",
        "container runtime status check may not have completed yet", "NodeNotReady");

    public const string StartingReason = "Starting";
    public const string StartingMessage = "Starting kubelet.";
    public const string AllocatableEnforcedReason = "NodeAllocatableEnforced";
    public const string AllocatableEnforcedMessage = "Updated Node Allocatable limit across pods";

    /// <summary>recordNodeStatusEvent's wording: "Node node-1 status is now: NodeReady".</summary>
    public static string StatusEventMessage(string node, string reason) => $"Node {node} status is now: {reason}";
}

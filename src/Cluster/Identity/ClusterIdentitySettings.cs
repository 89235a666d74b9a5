namespace Akka.KubeEmu.Cluster.Identity;

/// <summary>Who this process is and which seeds it may join through (see <see cref="ClusterIdentityGate"/>).</summary>
public sealed record ClusterIdentitySettings
{
    /// <summary>The cluster's identity; null: none yet, take the one of the cluster joined (or founded).</summary>
    public string? ClusterId { get; init; }

    /// <summary>Process name (control-plane, node-1...), for log lines on both sides.</summary>
    public required string ProcessName { get; init; }

    /// <summary>The process's state directory, named in refusals so the user sees which clusters met.</summary>
    public required string StateDir { get; init; }

    /// <summary>Seeds from the command line ("host:port" or Akka addresses), this process first when it may found the cluster. One of another cluster is fatal.</summary>
    public IReadOnlyList<string> Seeds { get; init; } = [];

    /// <summary>Seeds remembered from an earlier run (cluster-members.json). Their ports may since belong to another cluster: such a seed is skipped.</summary>
    public IReadOnlyList<string> RememberedSeeds { get; init; } = [];
}

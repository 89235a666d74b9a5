namespace Akka.KubeEmu.Cluster.Bootstrap;

public static class ClusterRoles
{
    /// <summary>API server, Store, Scheduler and controllers.</summary>
    public const string ControlPlane = "control-plane";

    /// <summary>NodeAgents and Kubelets of emulated nodes.</summary>
    public const string Node = "node";

    private const string ProcessPrefix = "process:";

    /// <summary>
    /// The role naming a process (its --name): a restarted process joins under a new address, and
    /// this is how the cluster knows it replaces the incarnation still listed as unreachable.
    /// </summary>
    public static string Process(string name) => ProcessPrefix + name;

    public static string? ProcessOf(IEnumerable<string> roles) => roles.FirstOrDefault(r => r.StartsWith(ProcessPrefix, StringComparison.Ordinal));
}

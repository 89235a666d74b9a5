namespace Akka.KubeEmu.Cluster.Bootstrap;

public static class ClusterRoles
{
    /// <summary>API server, Store, Scheduler and controllers.</summary>
    public const string ControlPlane = "control-plane";

    /// <summary>NodeAgents and Kubelets of emulated nodes.</summary>
    public const string Node = "node";
}

namespace Akka.KubeEmu.Host.ControlPlane;

/// <summary>Everything `kubeemu control-plane` is told on its command line.</summary>
public sealed record ControlPlaneSettings
{
    public string Name { get; init; } = "control-plane";
    public required string StateDir { get; init; }
    public string ApiAddress { get; init; } = "127.0.0.1";
    public int ApiPort { get; init; } = 6443;
    public string Hostname { get; init; } = "127.0.0.1";
    public string? PublicHostname { get; init; }
    public int AkkaPort { get; init; } = 4053;
    public IReadOnlyList<string> Seeds { get; init; } = [];
    public string Profile { get; init; } = "fast";
    public string Store { get; init; } = "sqlite";
    public string? ConnectionString { get; init; }
    public Akka.KubeEmu.Cluster.Persistence.SqliteSynchronous SqliteSynchronous { get; init; } = Akka.KubeEmu.Cluster.Persistence.SqliteSynchronous.Normal;
    public string? TokenFile { get; init; }
    public string? ConfigFile { get; init; }

    /// <summary>--cluster-id: the cluster this process belongs to; null: the one in the state directory.</summary>
    public string? ClusterId { get; init; }

    /// <summary>Whether this control plane writes &lt;state-dir&gt;/kubeconfig naming its API server.</summary>
    public bool WriteKubeconfig { get; init; } = true;

    /// <summary>Set when the process runs inside another one (the scenario kit's in-process cluster).</summary>
    public Startup.InProcessHosting? InProcess { get; init; }
}

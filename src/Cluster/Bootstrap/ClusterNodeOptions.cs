using Akka.Configuration;
using Akka.KubeEmu.Cluster.Persistence;

namespace Akka.KubeEmu.Cluster.Bootstrap;

/// <summary>Where one KubeEmu process sits in the cluster.</summary>
public sealed record ClusterNodeOptions
{
    public required IReadOnlyList<string> Roles { get; init; }

    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>Akka.Remote port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Address other machines use to reach this process, when it differs from <see cref="Hostname"/>.</summary>
    public string? PublicHostname { get; init; }

    /// <summary>
    /// Seed nodes as "host:port", written to the HOCON: Akka joins through them at start-up, whoever
    /// answers. The kubeemu processes leave this empty and join through ClusterIdentityGate instead.
    /// </summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>Timing profile: "fast" or "kubernetes".</summary>
    public string Profile { get; init; } = "fast";

    /// <summary>An optional user HOCON file that overrides the defaults.</summary>
    public string? ConfigFile { get; init; }

    public PersistenceOptions? Persistence { get; init; }

    /// <summary>Anything else (tests), applied above everything but the options themselves.</summary>
    public Config? Overrides { get; init; }
}

namespace Akka.KubeEmu.Host.NodeProcess;

/// <summary>Everything `kubeemu node` is told on its command line.</summary>
public sealed record NodeSettings
{
    public required string Name { get; init; }
    public required string StateDir { get; init; }
    public IReadOnlyList<string> Seeds { get; init; } = ["127.0.0.1:4053"];
    public string Hostname { get; init; } = "127.0.0.1";
    public string? PublicHostname { get; init; }
    public int AkkaPort { get; init; }
    public string Profile { get; init; } = "fast";
    public int VirtualNodes { get; init; } = 1;
    public string? ConfigFile { get; init; }

    /// <summary>--cluster-id: the cluster this process belongs to; null: the one in the state directory.</summary>
    public string? ClusterId { get; init; }

    /// <summary>Set when the process runs inside another one (the scenario kit's in-process cluster).</summary>
    public Startup.InProcessHosting? InProcess { get; init; }

    /// <summary>The emulated node names this process hosts: its own name, or name-0001... for hollow nodes.</summary>
    public IReadOnlyList<string> NodeNames =>
        VirtualNodes <= 1 ? [Name] : Enumerable.Range(1, VirtualNodes).Select(i => $"{Name}-{i:D4}").ToArray();
}

using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Node.Runtime;
using Akka.KubeEmu.Actors.Timing;

namespace Akka.KubeEmu.Actors.Node;

/// <summary>One emulated node: its name and a small number that places its IPs and pod CIDR.</summary>
public sealed partial record NodeSpec(string Name, int Index)
{
    /// <summary>node-3 is index 3; other names get a stable hash.</summary>
    public static NodeSpec For(string name)
    {
        var numbers = Digits().Matches(name);
        if (numbers.Count == 1 && int.TryParse(numbers[0].Value, out var n) && n < 60000) return new NodeSpec(name, n);
        var hash = 2166136261u;
        foreach (var c in name) hash = (hash ^ c) * 16777619u;
        return new NodeSpec(name, (int)(hash % 60000));
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}

/// <summary>What every emulated node reports about itself (HOCON kubeemu.node).</summary>
public sealed record NodeCapacity(
    string Cpu,
    string Memory,
    int Pods,
    string EphemeralStorage,
    string KubeletVersion,
    string ContainerRuntimeVersion,
    string OsImage,
    string KernelVersion)
{
    public static NodeCapacity Default { get; } = new("4", "8Gi", 110, "100Gi", "v1.32.4", "containerd://1.7.24",
        "KubeEmu (Akka.NET emulated node)", "6.1.0-kubeemu");

    public static NodeCapacity From(Config config)
    {
        var c = config.GetConfig("kubeemu.node");
        if (c is null) return Default;
        return new NodeCapacity(c.GetString("cpu", Default.Cpu), c.GetString("memory", Default.Memory), c.GetInt("pods", Default.Pods),
            c.GetString("ephemeral-storage", Default.EphemeralStorage), c.GetString("kubelet-version", Default.KubeletVersion),
            c.GetString("container-runtime-version", Default.ContainerRuntimeVersion), c.GetString("os-image", Default.OsImage),
            c.GetString("kernel-version", Default.KernelVersion));
    }
}

/// <summary>Everything a node process's NodeHost needs.</summary>
public sealed record NodeHostSettings(
    IActorRef Store,
    IReadOnlyList<NodeSpec> Nodes,
    NodeCapacity Capacity,
    TimingProfile Timing,
    TimeProvider Time,
    string AkkaAddress,
    ImageCatalog Images);

using Akka.Configuration;
using Akka.KubeEmu.Actors.Node.Shared;

namespace Akka.KubeEmu.Actors.Node;

/// <summary>What every emulated node reports about itself (HOCON <c>kubeemu.node</c>).</summary>
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
        if (c is null || c.IsEmpty) return Default;
        return new NodeCapacity(
            c.GetString("cpu", Default.Cpu),
            c.GetString("memory", Default.Memory),
            c.GetInt("pods", Default.Pods),
            c.GetString("ephemeral-storage", Default.EphemeralStorage),
            c.GetString("kubelet-version", Default.KubeletVersion),
            c.GetString("container-runtime-version", Default.ContainerRuntimeVersion),
            c.GetString("os-image", Default.OsImage),
            c.GetString("kernel-version", Default.KernelVersion));
    }

    /// <summary>Allocatable cpu in millicores (no reservations: allocatable equals capacity, as on kind).</summary>
    public long CpuMillis => Quantities.MilliValue(Cpu) ?? 0;

    public long MemoryBytes => Quantities.Value(Memory) ?? 0;

    public long EphemeralStorageBytes => Quantities.Value(EphemeralStorage) ?? 0;
}

using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// What a pod asks for, computed like resourcehelper.PodRequests: the sum over containers, but
/// at least the largest init container (init containers run one at a time), plus overhead.
/// CPU in millicores, memory and storage in bytes.
/// </summary>
public readonly record struct ResourceRequests(long MilliCpu, long Memory, long EphemeralStorage)
{
    public static ResourceRequests operator +(ResourceRequests a, ResourceRequests b) =>
        new(a.MilliCpu + b.MilliCpu, a.Memory + b.Memory, a.EphemeralStorage + b.EphemeralStorage);

    public static ResourceRequests operator -(ResourceRequests a, ResourceRequests b) =>
        new(a.MilliCpu - b.MilliCpu, a.Memory - b.Memory, a.EphemeralStorage - b.EphemeralStorage);

    public static ResourceRequests Of(V1PodSpec? spec)
    {
        if (spec is null) return default;
        var sum = default(ResourceRequests);
        foreach (var c in spec.Containers ?? []) sum += Of(c.Resources);
        foreach (var c in spec.InitContainers ?? [])
        {
            var r = Of(c.Resources);
            if (c.RestartPolicy == "Always") sum += r; // sidecars run alongside the main containers
            else sum = new ResourceRequests(Math.Max(sum.MilliCpu, r.MilliCpu), Math.Max(sum.Memory, r.Memory),
                Math.Max(sum.EphemeralStorage, r.EphemeralStorage));
        }
        if (spec.Overhead is { } overhead) sum += FromList(overhead);
        return sum;
    }

    private static ResourceRequests Of(V1ResourceRequirements? r) =>
        r is null ? default : FromList(r.Requests is { Count: > 0 } ? r.Requests : r.Limits);

    public static ResourceRequests FromList(IDictionary<string, ResourceQuantity>? list)
    {
        if (list is null) return default;
        return new ResourceRequests(
            list.TryGetValue("cpu", out var cpu) ? MilliValue(cpu) : 0,
            list.TryGetValue("memory", out var mem) ? Value(mem) : 0,
            list.TryGetValue("ephemeral-storage", out var eph) ? Value(eph) : 0);
    }

    public static long MilliValue(ResourceQuantity q) => (long)Math.Ceiling(q.ToDecimal() * 1000m);

    public static long Value(ResourceQuantity q) => (long)Math.Ceiling(q.ToDecimal());
}

using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Resources;

/// <summary>
/// The resources the scheduler and the kubelet count: CPU in millicores, memory and ephemeral
/// storage in bytes (a v1.ResourceList reduced to what they compare).
/// </summary>
public readonly record struct ResourceRequests(long MilliCpu, long Memory, long EphemeralStorage)
{
    public static ResourceRequests operator +(ResourceRequests a, ResourceRequests b) =>
        new(a.MilliCpu + b.MilliCpu, a.Memory + b.Memory, a.EphemeralStorage + b.EphemeralStorage);

    public static ResourceRequests operator -(ResourceRequests a, ResourceRequests b) =>
        new(a.MilliCpu - b.MilliCpu, a.Memory - b.Memory, a.EphemeralStorage - b.EphemeralStorage);

    /// <summary>maxResourceList: the larger of each resource.</summary>
    public static ResourceRequests Max(ResourceRequests a, ResourceRequests b) =>
        new(Math.Max(a.MilliCpu, b.MilliCpu), Math.Max(a.Memory, b.Memory), Math.Max(a.EphemeralStorage, b.EphemeralStorage));

    public static ResourceRequests FromList(IDictionary<string, ResourceQuantity>? list)
    {
        if (list is null) return default;
        return new ResourceRequests(
            list.TryGetValue("cpu", out var cpu) ? MilliValue(cpu) : 0,
            list.TryGetValue("memory", out var mem) ? Value(mem) : 0,
            list.TryGetValue("ephemeral-storage", out var eph) ? Value(eph) : 0);
    }

    /// <summary>A resource list as JSON ({"cpu":"500m",...}), parsed as the typed models parse it.</summary>
    public static ResourceRequests FromJson(JsonNode? list) =>
        list is not JsonObject o
            ? default
            : new ResourceRequests(
                Parse(o["cpu"]) is { } cpu ? MilliValue(cpu) : 0,
                Parse(o["memory"]) is { } mem ? Value(mem) : 0,
                Parse(o["ephemeral-storage"]) is { } eph ? Value(eph) : 0);

    public static long MilliValue(ResourceQuantity q) => (long)Math.Ceiling(q.ToDecimal() * 1000m);

    public static long Value(ResourceQuantity q) => (long)Math.Ceiling(q.ToDecimal());

    private static ResourceQuantity? Parse(JsonNode? node)
    {
        if (KubeObject.ScalarText(node) is not { Length: > 0 } text) return null;
        try
        {
            return new ResourceQuantity(text.Trim());
        }
        catch (Exception)
        {
            return null; // validation refuses such pods; a pod written around it counts as asking nothing
        }
    }
}

using Akka.KubeEmu.Actors.Node.Pods;
using Akka.KubeEmu.Actors.Resources;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The kubelet's resource admission (lifecycle/predicate.go with the scheduler's fit check): a
/// pod bound to the node is refused when its requests exceed what the admitted, not yet
/// terminated pods leave of allocatable. The first failing resource names the reason.
/// </summary>
public sealed class PodAdmission(NodeCapacity capacity)
{
    public long UsedCpuMillis { get; private set; }
    public long UsedMemoryBytes { get; private set; }
    public int UsedPods { get; private set; }

    /// <summary>Null when the pod fits; else the rejection reason and message.</summary>
    public (string Reason, string Message)? Check(PodModel pod)
    {
        var cpu = pod.Requests.MilliCpu;
        var memory = pod.Requests.Memory;
        if (UsedPods + 1 > capacity.Pods) return Insufficient("pods", 1, UsedPods, capacity.Pods);
        if (cpu > 0 && cpu > capacity.CpuMillis - UsedCpuMillis) return Insufficient("cpu", cpu, UsedCpuMillis, capacity.CpuMillis);
        if (memory > 0 && memory > capacity.MemoryBytes - UsedMemoryBytes) return Insufficient("memory", memory, UsedMemoryBytes, capacity.MemoryBytes);
        return null;
    }

    public void Add(ResourceRequests requests)
    {
        UsedCpuMillis += requests.MilliCpu;
        UsedMemoryBytes += requests.Memory;
        UsedPods++;
    }

    public void Remove(ResourceRequests requests)
    {
        UsedCpuMillis -= requests.MilliCpu;
        UsedMemoryBytes -= requests.Memory;
        UsedPods--;
    }

    private static (string, string) Insufficient(string resource, long requested, long used, long capacity) =>
        ($"OutOf{resource}", $"Node didn't have enough resource: {resource}, requested: {requested}, used: {used}, capacity: {capacity}");
}

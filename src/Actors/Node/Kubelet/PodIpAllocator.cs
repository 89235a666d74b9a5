namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>The node's IPAM (what the CNI plugin does with the node's podCIDR): one address per pod sandbox.</summary>
public sealed class PodIpAllocator(NodeNetwork network)
{
    private readonly bool[] _used = new bool[NodeNetwork.LastPodHost + 1];
    private int _next = NodeNetwork.FirstPodHost;

    /// <summary>An address, the <paramref name="preferred"/> one when it is ours and free (a pod we ran before); null when the range is full.</summary>
    public string? Allocate(string? preferred)
    {
        if (network.PodHost(preferred) is { } host && !_used[host])
        {
            _used[host] = true;
            return network.PodIp(host);
        }
        // Round robin, as host-local IPAM does, so a freed address is not handed out again at once.
        for (var i = 0; i <= NodeNetwork.LastPodHost - NodeNetwork.FirstPodHost; i++)
        {
            var candidate = _next;
            _next = _next == NodeNetwork.LastPodHost ? NodeNetwork.FirstPodHost : _next + 1;
            if (_used[candidate]) continue;
            _used[candidate] = true;
            return network.PodIp(candidate);
        }
        return null;
    }

    public void Release(string? ip)
    {
        if (network.PodHost(ip) is { } host) _used[host] = false;
    }
}

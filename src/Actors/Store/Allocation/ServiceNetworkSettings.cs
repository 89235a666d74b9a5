using Akka.Configuration;

namespace Akka.KubeEmu.Actors.Store.Allocation;

/// <summary>
/// The service network of the cluster (HOCON <c>kubeemu.services</c>): kube-apiserver's
/// --service-cluster-ip-range and --service-node-port-range, and the address pool the load-balancer
/// controller hands out (MetalLB's IPAddressPool).
/// </summary>
public sealed record ServiceNetworkSettings(string ClusterIpRange = ServiceNetworkSettings.DefaultClusterIpRange,
    string NodePortRange = ServiceNetworkSettings.DefaultNodePortRange, string LoadBalancerPool = ServiceNetworkSettings.DefaultLoadBalancerPool)
{
    public const string DefaultClusterIpRange = "10.96.0.0/12";
    public const string DefaultNodePortRange = "30000-32767";
    public const string DefaultLoadBalancerPool = "127.0.255.200-127.0.255.250";

    public ServiceCidr Cidr => ServiceCidr.Parse(ClusterIpRange);

    public PortRange NodePorts => PortRange.Parse(NodePortRange);

    /// <summary>kube-apiserver's `kubernetes` Service: the first address of the range.</summary>
    public string KubernetesServiceIp => Cidr.AddressAt(0);

    /// <summary>kubeadm's kube-dns Service: the tenth address of the range.</summary>
    public string DnsServiceIp => Cidr.AddressAt(9);

    public static ServiceNetworkSettings From(Config config) => new(
        config.GetString("kubeemu.services.cluster-ip-range", DefaultClusterIpRange),
        config.GetString("kubeemu.services.node-port-range", DefaultNodePortRange),
        config.GetString("kubeemu.services.load-balancer-pool", DefaultLoadBalancerPool));
}

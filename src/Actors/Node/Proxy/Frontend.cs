namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>
/// Where a Service is reached from outside the pod network: a node's address and a nodePort, or a
/// LoadBalancer address and the service port, on behalf of the node that receives the traffic.
/// </summary>
/// <param name="Service">namespace/name.</param>
/// <param name="PortName">The service port's name ("" when it has none).</param>
/// <param name="Protocol">TCP or UDP: a port number serves both as two frontends.</param>
public sealed record Frontend(string Ip, int Port, string Service, string PortName, string NodeName, string NodeIp, string Protocol = "TCP")
{
    public override string ToString() => $"{Ip}:{Port}/{Protocol} ({Service}:{PortName} via {NodeName})";
}

/// <summary>The real socket behind one frontend: a TCP listener or a UDP socket.</summary>
public interface IFrontendListener : IDisposable
{
    Frontend Frontend { get; }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Network;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>
/// What kube-proxy's rules do to one new connection: find the Service port behind the frontend,
/// pick a ready endpoint (<see cref="EndpointPicker"/>), and forward the bytes to it through the
/// pod network of the process hosting it. No usable endpoint, or its node unreachable: the
/// connection is reset (kube-proxy's REJECT). Reads only the informers' thread-safe caches.
/// </summary>
public sealed class ProxyConnector(Indexer<V1Service> services, Indexer<V1EndpointSlice> slices, Indexer<V1Node> nodes, EndpointPicker picker,
    PodNetwork? local = null)
{
    public const string ServiceIndex = "kubernetes.io/service-name";

    /// <summary>The Service (namespace/name) an EndpointSlice belongs to.</summary>
    public static IEnumerable<string> SliceService(V1EndpointSlice slice) =>
        slice.Metadata?.Labels?.TryGetValue(ServiceIndex, out var name) == true ? [$"{slice.Metadata.NamespaceProperty}/{name}"] : [];

    /// <summary>The endpoints a connection arriving on <paramref name="frontend"/> may go to.</summary>
    public IReadOnlyList<Backend> Usable(Frontend frontend)
    {
        if (services.Get(frontend.Service) is not { } service) return [];
        var port = service.Spec?.Ports?.FirstOrDefault(p => (p.Name ?? "") == frontend.PortName);
        if (port is null) return [];
        var ready = ServiceBackends.Ready(port, slices.ByIndex(ServiceIndex, frontend.Service));
        return ServiceBackends.ForNode(service, ready, frontend.NodeName);
    }

    /// <summary>This process's pod network: its pods are served without a hop.</summary>
    public PodNetwork? Local => local;

    /// <summary>
    /// The endpoint a new connection or UDP flow from <paramref name="remote"/> goes to (null: none usable),
    /// and the client's address as the pod sees it.
    /// </summary>
    public Backend? Pick(Frontend frontend, IPEndPoint remote, out string seenAs)
    {
        var service = services.Get(frontend.Service);
        var affinity = service?.Spec?.SessionAffinity == "ClientIP"
            ? TimeSpan.FromSeconds(service.Spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? 10800)
            : (TimeSpan?)null;
        // externalTrafficPolicy Cluster masquerades the client behind the node; Local keeps its address.
        seenAs = service?.Spec?.ExternalTrafficPolicy == "Local" ? remote.ToString() : $"{frontend.NodeIp}:{remote.Port}";
        return picker.Pick(frontend.Service, frontend.PortName, Usable(frontend), remote.Address.ToString(), affinity);
    }

    public async Task Connect(Frontend frontend, Socket client)
    {
        client.NoDelay = true;
        var backend = Pick(frontend, (IPEndPoint)client.RemoteEndPoint!, out var seenAs);
        // A pod of this very process is served here, without a second loopback connection.
        if (backend is not null && local?.Find(backend.Ip) is { } worker)
        {
            await local.ServeLocal(client, worker, backend.Port, seenAs);
            return;
        }
        var address = backend?.NodeName is { } node ? TunnelOf(node) : null;
        if (backend is null || address is null || !IPEndPoint.TryParse(address, out var tunnel))
        {
            PodNetwork.Reset(client);
            return;
        }
        // A pod of another node process: that process takes the client's socket itself (the kernel's DNAT
        // costs nothing per request either); the byte pipe below only where the socket cannot be passed.
        if (local?.HandOff(address, client, PodNetwork.Preamble(backend.Ip, backend.Port, seenAs)) == true) return;
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(tunnel);
            await upstream.SendAsync(Encoding.ASCII.GetBytes(PodNetwork.Preamble(backend.Ip, backend.Port, seenAs)), SocketFlags.None);
        }
        catch (SocketException)
        {
            upstream.Dispose();
            PodNetwork.Reset(client);
            return;
        }
        await Pipe.Both(client, upstream);
    }

    /// <summary>The pod network address (ip:port) of the process hosting the node.</summary>
    public string? TunnelOf(string nodeName) =>
        nodes.Get(nodeName)?.Metadata?.Annotations?.TryGetValue(PodNetwork.Annotation, out var address) == true ? address : null;
}

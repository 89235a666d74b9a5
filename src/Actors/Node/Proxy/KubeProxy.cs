using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Network;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>A node of this process whose address NodePorts listen on.</summary>
public sealed record ProxyNode(string Name, string InternalIp);

/// <summary>
/// kube-proxy for every node of one process: it watches Services, EndpointSlices and Nodes (the
/// process's shared informers) and keeps one real listening socket per frontend (TCP or UDP) that has somewhere
/// to send traffic: each NodePort on each local node's address, and each LoadBalancer address on the
/// one node that announces it (as MetalLB's L2 speaker: the first Ready node by name, with a local
/// endpoint under externalTrafficPolicy Local). A frontend without usable endpoints does not listen,
/// so connections are refused as kube-proxy's REJECT refuses them. Work per event is the one Service
/// it concerns; a Node's readiness change re-checks the LoadBalancer Services only.
/// </summary>
public sealed class KubeProxy : ReceiveActor
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IReadOnlyList<ProxyNode> _localNodes;
    private readonly Dictionary<string, ProxyNode> _allLocal;
    private readonly Indexer<V1Service> _services;
    private readonly Indexer<V1EndpointSlice> _slices;
    private readonly Indexer<V1Node> _nodes;
    private readonly ProxyConnector _connector;
    private readonly EndpointPicker _picker;
    private readonly Dictionary<string, Dictionary<(string Ip, int Port, string Protocol), IFrontendListener>> _listeners = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TimeSpan _udpFlowTimeout;
    private readonly HashSet<string> _loadBalancers = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _readyNodes = new(StringComparer.Ordinal);

    public KubeProxy(SharedInformerFactory informers, IReadOnlyList<ProxyNode> localNodes, TrafficSettings settings, TimeProvider time, PodNetwork? podNetwork = null,
        EndpointPicker? picker = null)
    {
        _time = time;
        _udpFlowTimeout = settings.EffectiveUdpFlowTimeout;
        _localNodes = localNodes.Take(Math.Max(0, settings.MaxListeningNodes)).ToArray();
        _allLocal = localNodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        var services = informers.For<V1Service>();
        var slices = informers.For<V1EndpointSlice>();
        var nodes = informers.For<V1Node>();
        _services = services.Indexer;
        _slices = slices.Indexer;
        _nodes = nodes.Indexer;
        _slices.AddIndexer(ProxyConnector.ServiceIndex, ProxyConnector.SliceService);
        _picker = picker ?? new EndpointPicker(time);
        _connector = new ProxyConnector(_services, _slices, _nodes, _picker, podNetwork);
        services.AddEventHandler(Self);
        slices.AddEventHandler(Self);
        nodes.AddEventHandler(Self);
        Receive<InformerEvents>(OnEvents);
        Receive<InformerSynced>(_ => { });
    }

    public static Props Props(SharedInformerFactory informers, IReadOnlyList<ProxyNode> localNodes, TrafficSettings settings, TimeProvider time,
        PodNetwork? podNetwork = null, EndpointPicker? picker = null) =>
        Akka.Actor.Props.Create(() => new KubeProxy(informers, localNodes, settings, time, podNetwork, picker));

    private void OnEvents(InformerEvents events)
    {
        var dirty = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in events.Changes)
            switch (change.New ?? change.Old)
            {
                case V1Service s:
                    dirty.Add(KubeModels.Key(s.Metadata.NamespaceProperty, s.Metadata.Name));
                    break;
                case V1EndpointSlice slice:
                    foreach (var key in ProxyConnector.SliceService(slice)) dirty.Add(key);
                    break;
                case V1Node node when ReadinessChanged(node, change.New is null):
                    dirty.UnionWith(_loadBalancers);
                    break;
            }
        foreach (var key in dirty) Sync(key);
    }

    private bool ReadinessChanged(V1Node node, bool deleted)
    {
        var ready = !deleted && node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;
        return ready ? _readyNodes.Add(node.Metadata.Name) : _readyNodes.Remove(node.Metadata.Name);
    }

    /// <summary>Opens the frontends the Service should have and closes the others.</summary>
    private void Sync(string key)
    {
        var desired = Desired(key).ToDictionary(f => (f.Ip, f.Port, f.Protocol));
        if (!_listeners.TryGetValue(key, out var current)) current = new();
        foreach (var (address, listener) in current.ToArray())
        {
            if (desired.TryGetValue(address, out var want) && want == listener.Frontend) continue;
            listener.Dispose();
            current.Remove(address);
        }
        foreach (var (address, frontend) in desired)
        {
            if (current.ContainsKey(address)) continue;
            var listener = frontend.Protocol == "UDP"
                ? (IFrontendListener?)UdpNodePortListener.Start(frontend, _connector, _time, _udpFlowTimeout, out var error)
                : NodePortListener.Start(frontend, _connector.Connect, out error);
            if (listener is not null) current[address] = listener;
            else _log.Warning("kube-proxy: cannot listen on {0}:{1} for {2}: {3}", frontend.Ip, frontend.Port, key, error);
        }
        if (current.Count > 0) _listeners[key] = current;
        else
        {
            _listeners.Remove(key);
            if (_services.Get(key) is null) _picker.Forget(key);
        }
    }

    private IEnumerable<Frontend> Desired(string key)
    {
        var service = _services.Get(key);
        var type = service?.Spec?.Type;
        if (type == "LoadBalancer") _loadBalancers.Add(key);
        else _loadBalancers.Remove(key);
        if (service?.Spec?.Ports is not { } ports || type is not ("NodePort" or "LoadBalancer")) yield break;
        var ingress = service.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip).OfType<string>().ToArray() ?? [];
        foreach (var port in ports)
        {
            // SCTP is not proxied: no simulated program speaks it.
            var protocol = port.Protocol ?? "TCP";
            if (protocol is not ("TCP" or "UDP")) continue;
            var name = port.Name ?? "";
            if (port.NodePort is { } nodePort)
                foreach (var node in _localNodes)
                {
                    var frontend = new Frontend(node.InternalIp, nodePort, key, name, node.Name, node.InternalIp, protocol);
                    if (_connector.Usable(frontend).Count > 0) yield return frontend;
                }
            if (type != "LoadBalancer" || ingress.Length == 0) continue;
            if (Announcer(service, port, key) is not { } announcer) continue;
            foreach (var ip in ingress)
                yield return new Frontend(ip, port.Port, key, name, announcer.Name, announcer.InternalIp, protocol);
        }
    }

    /// <summary>The node answering for a LoadBalancer address, when it is one of ours.</summary>
    private ProxyNode? Announcer(V1Service service, V1ServicePort port, string key)
    {
        foreach (var name in _readyNodes)
        {
            var probe = new Frontend("", 0, key, port.Name ?? "", name, "");
            if (service.Spec.ExternalTrafficPolicy == "Local" && _connector.Usable(probe).Count == 0) continue;
            return _allLocal.GetValueOrDefault(name);
        }
        return null;
    }

    protected override void PostStop()
    {
        foreach (var listeners in _listeners.Values)
            foreach (var listener in listeners.Values) listener.Dispose();
        _listeners.Clear();
    }
}

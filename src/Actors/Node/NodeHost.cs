using Akka.Event;
using Akka.KubeEmu.Actors.Node.Volumes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.Dns;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Proxy;
using Akka.KubeEmu.Actors.Node.Services;
using k8s.Models;
using KubeletActor = Akka.KubeEmu.Actors.Node.Kubelet.Kubelet;

namespace Akka.KubeEmu.Actors.Node;

/// <summary>
/// The root of a node process: one NodeAgent and one Kubelet per emulated node (several for
/// "hollow nodes", where a process failure is a rack failure). Node actors never let an error
/// take the others down: a failing child is restarted on its own.
/// </summary>
public sealed class NodeHost : UntypedActor
{
    public NodeHost(NodeHostSettings settings)
    {
        // One Service informer for every kubelet of the process: the containers' service variables.
        _informers = new SharedInformerFactory(Context, "node-services", settings.Store, settings.Time);
        var services = new ServiceEnvironment(_informers.For<V1Service>().Indexer);
        // One watch per ConfigMap or Secret some pod of the process reads, shared by all its kubelets.
        var configObjects = ConfigObjectSource.Start(Context, settings.Store, settings.Time);
        _podNetwork = settings.Traffic is { } traffic ? new PodNetwork(traffic) : new PodNetwork();
        // The cluster DNS as the shells of this process's containers query it (CoreDNS's answers from the same caches).
        var dns = settings.Traffic is null ? null : new ClusterDns(_informers.For<V1Service>().Indexer, _informers.For<V1EndpointSlice>().Indexer);
        var log = Context.GetLogger();
        if (dns is not null && settings.Traffic is { DnsUdpPort: > 0 } udp)
        {
            // The first node process to bind the port answers dig (every process's caches are the same).
            try
            {
                _dnsServer = new DnsUdpServer(dns, new System.Net.IPEndPoint(System.Net.IPAddress.Parse(udp.PodNetworkAddress), udp.DnsUdpPort));
            }
            catch (System.Net.Sockets.SocketException e)
            {
                log.Warning("cluster DNS not served on udp {0}:{1}: {2}", udp.PodNetworkAddress, udp.DnsUdpPort, e.Message);
            }
        }
        // One tree per volume folder for every pod of the process (pods of two hollow nodes share it).
        var volumes = settings.Volumes is { } v
            ? new VolumeStore(v, (path, e) => log.Warning("volume data: {0} was not written: {1}", path, e.Message))
            : VolumeStore.InMemory;
        // kube-proxy's endpoint choice, shared by NodePort traffic and the pods' own connections (one affinity table, as kube-proxy's chains).
        var picker = new EndpointPicker(settings.Time);
        var podClient = settings.Traffic is not { } routed ? null : new PodClient(
            new ClusterRouter(_informers.For<V1Service>().Indexer, _informers.For<V1EndpointSlice>().Indexer, _informers.For<V1Node>().Indexer, picker),
            _podNetwork, settings.Time, routed.EffectiveRequestTimeout);
        var proxied = new List<ProxyNode>();
        // One Node watch for the whole process: each agent's status sync compares against the Node it last
        // read or wrote until this cache shows someone else's write (see NodeAgent.WrittenElsewhere).
        var nodes = _informers.For<V1Node>();
        foreach (var spec in settings.Nodes)
        {
            var node = new NodeContext(settings, spec, services, configObjects, _podNetwork, dns, volumes, podClient, nodes.Indexer);
            proxied.Add(new ProxyNode(spec.Name, node.Network.InternalIp));
            var agent = Context.ActorOf(NodeAgent.Props(node), $"agent-{spec.Name}");
            _agents[spec.Name] = agent;
            Context.ActorOf(KubeletActor.Props(node, agent), $"kubelet-{spec.Name}");
        }

        // kube-proxy: one for the whole process, listening on its nodes' addresses.
        if (settings.Traffic is { } t) Context.ActorOf(KubeProxy.Props(_informers, proxied, t, settings.Time, _podNetwork, picker), "kube-proxy");
    }

    private readonly SharedInformerFactory _informers;
    private readonly PodNetwork _podNetwork;
    private readonly DnsUdpServer? _dnsServer;
    private readonly Dictionary<string, IActorRef> _agents = new(StringComparer.Ordinal);

    protected override void PreStart()
    {
        // Watch events the Store sent while it was unreachable (a partition) may be lost: when a member is
        // reachable again every agent reads its Node from the Store at its next sync, as before the cache.
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(Akka.Cluster.ClusterEvent.ReachableMember));
    }

    protected override void PostStop()
    {
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider }) Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        _informers.Shutdown();
        _podNetwork.Dispose();
        _dnsServer?.Dispose();
    }

    public static Props Props(NodeHostSettings settings) => Akka.Actor.Props.Create(() => new NodeHost(settings));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Akka.Cluster.ClusterEvent.ReachableMember:
                foreach (var agent in _agents.Values) agent.Tell(NodeWatchInterrupted.Instance);
                break;
            default: Unhandled(message); break;
        }
    }
}

using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Node.ConfigObjects;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Node.Services;
using Akka.KubeEmu.Actors.Timing;

namespace Akka.KubeEmu.Actors.Node;

/// <summary>
/// What every actor of one emulated node shares: its identity and addresses, the API client
/// (every read and write goes through it, as the kubelet's through kube-apiserver), its event recorder (source component "kubelet", host = node name), time and catalog.
/// Immutable, so actors can hold it without sharing mutable state.
/// </summary>
public sealed class NodeContext
{
    public NodeContext(NodeHostSettings settings, NodeSpec spec, ServiceEnvironment? services = null, ConfigObjectSource? configObjects = null,
        Network.PodNetwork? podNetwork = null, Dns.ClusterDns? dns = null, Volumes.VolumeStore? volumes = null, Network.PodClient? podClient = null,
        Informers.Indexer<k8s.Models.V1Node>? nodeCache = null)
    {
        NodeCache = nodeCache;
        PodClient = podClient;
        Volumes = volumes ?? (settings.Volumes is { } v ? new Volumes.VolumeStore(v) : Node.Volumes.VolumeStore.InMemory);
        Dns = dns;
        PodNetwork = podNetwork ?? new Network.PodNetwork();
        Services = services ?? ServiceEnvironment.None;
        ConfigObjects = configObjects ?? ConfigObjectSource.None;
        Spec = spec;
        Network = new NodeNetwork(spec.Index, settings.InternalIpBase);
        Capacity = settings.Capacity;
        Timing = settings.Timing;
        Time = settings.Time;
        Images = settings.Images;
        AkkaAddress = settings.AkkaAddress;
        Logs = settings.Logs ?? ContainerLogSettings.Default;
        // One renew interval is what a heartbeat may take; slower answers are treated as lost.
        StoreTimeout = TimeSpan.FromTicks(Math.Clamp(settings.Timing.NodeLeaseRenewInterval.Ticks, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(10).Ticks));
        StoreRef = settings.Store;
        Api = new ApiClient(new RestStorage(new StoreClient(settings.Store, StoreTimeout),
            new KubernetesPipeline(new AdmissionSettings(settings.Timing.DefaultTolerationSeconds)), settings.Time), "kubelet");
        Events = new EventRecorder(Api, new EventSource("kubelet", spec.Name), settings.Time);
    }

    public NodeSpec Spec { get; }

    /// <summary>The process's Node watch cache (null in tests that run an agent alone): the kubelet's status sync checks its Node's version there.</summary>
    public Informers.Indexer<k8s.Models.V1Node>? NodeCache { get; }

    /// <summary>The volumes whose data lives on disk (one store per process); in memory when no folder is configured.</summary>
    public Volumes.VolumeStore Volumes { get; }

    /// <summary>The cluster DNS containers' shells resolve names with (one per process); null: none.</summary>
    public Dns.ClusterDns? Dns { get; }

    /// <summary>How the shells of this process's containers reach Services and other pods (one per process); null: they do not.</summary>
    public Network.PodClient? PodClient { get; }

    /// <summary>How connections reach this process's pods (one per process; a bare registry in unit specs).</summary>
    public Network.PodNetwork PodNetwork { get; }

    /// <summary>The Services a starting container gets variables for (one informer per node process).</summary>
    public ServiceEnvironment Services { get; }

    /// <summary>The ConfigMaps and Secrets the process's pods read (one watch per object, see ConfigObjects/).</summary>
    public ConfigObjectSource ConfigObjects { get; }

    public string NodeName => Spec.Name;

    public NodeNetwork Network { get; }

    public NodeCapacity Capacity { get; }

    public TimingProfile Timing { get; }

    public TimeProvider Time { get; }

    public ImageCatalog Images { get; }

    public string AkkaAddress { get; }

    /// <summary>How big a container's log may grow before rotation, and how many files are kept.</summary>
    public ContainerLogSettings Logs { get; }

    /// <summary>How long an API call waits for the Store: one renew interval is what a heartbeat may take.</summary>
    public TimeSpan StoreTimeout { get; }

    /// <summary>The Store actor (a ClusterSingletonProxy): only the kubelet's reflector talks to it, for its pods' list+watch.</summary>
    public IActorRef StoreRef { get; }

    /// <summary>The API, as the kubelet reaches kube-apiserver: the same pipeline as kubectl's requests.</summary>
    public ApiClient Api { get; }

    public EventRecorder Events { get; }

    public DateTimeOffset Now => Time.GetUtcNow();
}

using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Downing;
using Akka.KubeEmu.Cluster.Persistence;
using Akka.KubeEmu.Host.ApiServer;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.StateDirectory;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Akka.KubeEmu.Host.VirtualTime;

/// <summary>
/// A whole KubeEmu cluster in one ActorSystem of the test process, in virtual time: the Store
/// (SQLite in the state directory), the Scheduler and the ControllerManager as a control-plane
/// process runs them, one NodeHost per node process, and the real API server (Kestrel, TLS,
/// bearer token) on a free loopback port with a kubeconfig, so that the official client and kubectl
/// work as against the processes. a <see cref="VirtualScheduler"/> and a FakeTimeProvider are the clocks
/// (<see cref="VirtualClock"/>); Akka.Cluster cannot run on them, so membership is played by
/// <see cref="VirtualMembership"/> and faults by cutting a node's <see cref="StoreLink"/>.
/// </summary>
public sealed class VirtualCluster : IAsyncDisposable
{
    private const string ControlPlaneName = "control-plane";

    private readonly ActorSystem _system;
    private readonly WebApplication _api;
    private readonly IActorRef _store;
    private readonly IActorRef _membership;
    private readonly NodeHostSettings _nodeSettings;
    private readonly Action<string> _log;
    private readonly Dictionary<string, VirtualNodeProcess> _nodes = new(StringComparer.Ordinal);
    private readonly string _apiUrl;

    private VirtualCluster(ActorSystem system, WebApplication api, string apiUrl, IActorRef store, IActorRef membership,
        NodeHostSettings nodeSettings, VirtualClock clock, Action<string> log)
    {
        _system = system;
        _api = api;
        _apiUrl = apiUrl;
        _store = store;
        _membership = membership;
        _nodeSettings = nodeSettings;
        Clock = clock;
        _log = log;
    }

    public VirtualClock Clock { get; }

    /// <summary>The timing profile every part of the cluster runs with.</summary>
    public required TimingProfile Timing { get; init; }

    /// <summary>Starts the cluster in <paramref name="stateDir"/> (which must exist) and writes its kubeconfig there; the Nodes come up as time moves.</summary>
    public static async Task<VirtualCluster> Start(VirtualClusterSettings options, string stateDir, Action<string> log)
    {
        var persistence = new SqlitePersistence(stateDir);
        persistence.Prepare();
        var overrides = ConfigurationFactory.ParseString("""
            akka.actor.provider = local
            akka.loglevel = WARNING
            akka.scheduler.implementation = "Akka.KubeEmu.Host.VirtualTime.VirtualScheduler, kubeemu"
            """);
        if (options.ConfigOverrides is { Length: > 0 } hocon) overrides = ConfigurationFactory.ParseString(hocon).WithFallback(overrides);
        var config = KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [ClusterRoles.ControlPlane, ClusterRoles.Process(ControlPlaneName)],
            Profile = options.Profile,
            Persistence = persistence,
            Overrides = overrides,
        }, typeof(ActorsMessageCatalog));
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        if (persistence.ToSetup() is { } extra) setup = setup.And(extra);
        var system = ActorSystem.Create(KubeEmuConfig.SystemName, setup);
        try
        {
            var timing = TimingProfile.From(config);
            // Virtual time starts now, so that ages and timestamps read as usual.
            var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
            var store = system.ActorOf(StoreActor.Props(StoreSettings.From(config), time), "store");
            var versions = new StoreClient(store, TimeSpan.FromSeconds(30));
            var clock = new VirtualClock(time, (VirtualScheduler)system.Scheduler, () => CurrentVersion(versions), options.Timing);

            // The API server first: the controllers publish its port in the default/kubernetes Endpoints.
            var token = BearerToken.ReadOrCreate(Path.Combine(stateDir, "token"));
            var apiOptions = new ApiServerOptions("127.0.0.1", options.ApiPort ?? Bench.BenchMachine.FreePort(), token, ServingCertificates.Ensure(stateDir, "127.0.0.1"))
            {
                SigningKey = SigningKey.ReadOrCreate(stateDir),
            };
            var caPem = await File.ReadAllTextAsync(ServingCertificates.CaPath(stateDir));
            var pipeline = new KubernetesPipeline(new AdmissionSettings(timing.DefaultTolerationSeconds));
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            ApiServerApp.ConfigureKestrel(builder, apiOptions);
            var api = builder.Build();
            var services = new ApiServerServices(system, store, new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(30)), pipeline, time), time);
            ApiServerApp.Map(api, apiOptions, () => services);
            system.ActorOf(Actors.Informers.CustomResourceDefinitionWatcher.Props(store, time), "crd-watcher");

            VirtualCluster? cluster = null;
            var stableAfter = DowningSettings.From(config).StableAfter;
            var membership = system.ActorOf(VirtualMembership.Props(stableAfter, address => cluster?.Downed(address)), "membership");
            system.ActorOf(Actors.Scheduling.Scheduler.Props(store, time), "scheduler");
            system.ActorOf(ControllerManager.Props(store, timing, time, caPem, apiOptions.Port, MembershipFeed.Factory(membership)), "controller-manager");
            membership.Tell(new VirtualMembership.Join(KubeEmuConfig.AkkaAddress($"{ControlPlaneName}.virtual:0"),
                [ClusterRoles.ControlPlane, ClusterRoles.Process(ControlPlaneName)]));

            var nodeSettings = new NodeHostSettings(store, [], NodeCapacity.From(config), timing, time, "", ImageCatalog.LoadDefault(),
                Actors.Node.Logs.ContainerLogSettings.From(config),
                config.GetString("kubeemu.node.internal-ip-base", NodeNetwork.DefaultInternalIpBase));
            cluster = new VirtualCluster(system, api, apiOptions.Url, store, membership, nodeSettings, clock, log) { Timing = timing };
            await api.StartAsync();
            Kubeconfig.Write(stateDir, apiOptions.Url, caPem, token);
            for (var i = 1; i <= options.Nodes; i++) cluster.StartNode($"node-{i}");
            return cluster;
        }
        catch
        {
            await system.Terminate();
            throw;
        }
    }

    /// <summary>The processes as processes.json would list them: the control plane, and the node processes not gone.</summary>
    public IReadOnlyList<VirtualProcess> Processes()
    {
        lock (_nodes)
        {
            return
            [
                new VirtualProcess(ControlPlaneName, ClusterRoles.ControlPlane, KubeEmuConfig.AkkaAddress($"{ControlPlaneName}.virtual:0"), _apiUrl),
                .. _nodes.Values.Where(n => n.State != NodeProcessState.Gone).Select(Describe),
            ];
        }
    }

    /// <summary>The node processes' names (node-1 … node-N), each hosting the Node of its name.</summary>
    public IReadOnlyList<string> NodeNames
    {
        get
        {
            lock (_nodes) return _nodes.Keys.Order(StringComparer.Ordinal).ToArray();
        }
    }

    /// <summary>kill -9: the node's writes stop at once, its actors are stopped; membership finds it Unreachable, and downs it after stable-after.</summary>
    public VirtualProcess Kill(string processOrNode)
    {
        var node = Resolve(processOrNode);
        node.Link.Tell(StoreLink.Cut.Instance);
        _system.Stop(node.Host);
        lock (_nodes) node.State = NodeProcessState.Gone;
        _membership.Tell(new VirtualMembership.Unreachable(node.Address));
        _log($"killed {node.Name} at {Clock.Now:HH:mm:ss} (virtual)");
        return Describe(node);
    }

    /// <summary>
    /// SIGSTOP as the control plane sees it: nothing from the node gets through, membership finds it
    /// Unreachable. A partition is the same here (the node's actors run on in both).
    /// </summary>
    public VirtualProcess Freeze(string processOrNode, string what = "froze")
    {
        var node = Resolve(processOrNode);
        lock (_nodes)
        {
            if (node.State == NodeProcessState.Gone) throw new InvalidOperationException($"{node.Name} is not running");
            node.State = NodeProcessState.Frozen;
        }
        node.Link.Tell(StoreLink.Cut.Instance);
        _membership.Tell(new VirtualMembership.Unreachable(node.Address));
        _log($"{what} {node.Name} at {Clock.Now:HH:mm:ss} (virtual)");
        return Describe(node);
    }

    /// <summary>SIGCONT: the node gets through again and is Reachable, unless it was downed meanwhile (then it is gone).</summary>
    public VirtualProcess Thaw(string processOrNode, string what = "thawed")
    {
        var node = Resolve(processOrNode);
        bool thawed;
        lock (_nodes)
        {
            thawed = node.State == NodeProcessState.Frozen;
            if (thawed) node.State = NodeProcessState.Running;
        }
        if (thawed)
        {
            node.Link.Tell(StoreLink.Restore.Instance);
            _membership.Tell(new VirtualMembership.Reachable(node.Address));
            _log($"{what} {node.Name} at {Clock.Now:HH:mm:ss} (virtual)");
        }
        else _log($"{what} {node.Name}: it is {node.State.ToString().ToLowerInvariant()}, nothing to do");
        return Describe(node);
    }

    /// <summary>A new incarnation of the node process (a new member with a new address), the old one killed first if it still runs.</summary>
    public VirtualProcess Restart(string processOrNode)
    {
        var node = Resolve(processOrNode);
        bool running;
        lock (_nodes) running = node.State != NodeProcessState.Gone;
        if (running) Kill(node.Name);
        var started = StartNode(node.Name, node.Incarnation + 1);
        _log($"restarted {node.Name} at {Clock.Now:HH:mm:ss} (virtual)");
        return Describe(started);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _api.StopAsync();
            await _api.DisposeAsync();
        }
        finally
        {
            await _system.Terminate();
        }
    }

    private VirtualNodeProcess StartNode(string name, int incarnation = 0)
    {
        var address = KubeEmuConfig.AkkaAddress($"{name}.virtual:{incarnation}");
        var link = _system.ActorOf(StoreLink.Props(_store), $"{name}-{incarnation}-store-link");
        var host = _system.ActorOf(NodeHost.Props(_nodeSettings with { Store = link, Nodes = [NodeSpec.For(name)], AkkaAddress = address }),
            $"{name}-{incarnation}-node-host");
        var node = new VirtualNodeProcess(name, incarnation, address, link, host);
        lock (_nodes) _nodes[name] = node;
        _membership.Tell(new VirtualMembership.Join(address, [ClusterRoles.Node, ClusterRoles.Process(name)]));
        return node;
    }

    /// <summary>The cluster downed the member: the process shuts down (a frozen one as soon as it wakes, which nobody can tell apart).</summary>
    private void Downed(string address)
    {
        VirtualNodeProcess? node;
        lock (_nodes)
        {
            node = _nodes.Values.FirstOrDefault(n => n.Address == address);
            if (node is null || node.State == NodeProcessState.Gone) return;
            node.State = NodeProcessState.Gone;
        }
        _system.Stop(node.Host);
        _log($"{node.Name} was downed at {Clock.Now:HH:mm:ss} (virtual)");
    }

    // One Node per process, named as its process.
    private VirtualNodeProcess Resolve(string processOrNode)
    {
        lock (_nodes)
            return _nodes.GetValueOrDefault(processOrNode)
                   ?? throw new ArgumentException($"no process or Node named {processOrNode}; processes: {string.Join(", ", _nodes.Keys)}", nameof(processOrNode));
    }

    private static VirtualProcess Describe(VirtualNodeProcess n) => new(n.Name, ClusterRoles.Node, n.Address, null);

    private static async Task<string?> CurrentVersion(StoreClient store)
    {
        var (list, _) = await store.List(new ListObjects("namespaces", Limit: 1));
        return list?.ResourceVersion;
    }
}

/// <summary>What <see cref="VirtualCluster.Start"/> starts.</summary>
/// <param name="Nodes">Node processes node-1 … node-N, one Node each.</param>
/// <param name="Profile">Timing profile: fast or kubernetes.</param>
/// <param name="ConfigOverrides">HOCON over the defaults (as `kubeemu up --config`).</param>
/// <param name="ApiPort">The API server's port; unset, a free one.</param>
public sealed record VirtualClusterSettings(int Nodes, string Profile, string? ConfigOverrides = null, int? ApiPort = null)
{
    public VirtualTimeOptions Timing { get; init; } = new();
}

/// <summary>One process of the virtual-time cluster, as processes.json would describe it.</summary>
public sealed record VirtualProcess(string Name, string Role, string AkkaAddress, string? ApiUrl);

using Akka.KubeEmu.Cluster.Chaos;
using Akka.Actor;
using Akka.Hosting;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Identity;
using Akka.KubeEmu.Cluster.Persistence;
using Akka.KubeEmu.Host.ApiServer;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.Startup;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.ControlPlane;

/// <summary>
/// One control-plane process: an Akka cluster member with the control-plane role (hosting the
/// Store, Scheduler and ControllerManager singletons when it is the oldest) and the API server.
/// </summary>
public static class ControlPlaneProcess
{
    public static async Task<int> Run(ControlPlaneSettings settings, CancellationToken ct)
    {
        var stateDir = Path.GetFullPath(settings.StateDir);
        LocalPorts.EnsureFree(settings.ApiAddress, settings.ApiPort, "API", "--api-port");
        LocalPorts.EnsureFree(settings.Hostname, settings.AkkaPort, "Akka", "--akka-port");
        Directory.CreateDirectory(stateDir);
        // A control plane given no other seed founds the cluster: its identity starts here. Given
        // seeds (other control planes), it takes theirs unless its state directory has one.
        var clusterId = ClusterIdFile.Resolve(stateDir, settings.ClusterId)
                        ?? (settings.Seeds.Count == 0 ? ClusterIdFile.ReadOrCreate(stateDir) : null);
        var token = BearerToken.ReadOrCreate(settings.TokenFile ?? Path.Combine(stateDir, "token"));
        PersistenceOptions persistence = settings.Store switch
        {
            "sqlite" => new SqlitePersistence(stateDir, settings.SqliteSynchronous),
            "postgres" => new PostgresPersistence(settings.ConnectionString
                                                  ?? throw new ArgumentException("--store postgres needs --connection-string")),
            _ => throw new ArgumentException($"unknown store '{settings.Store}' (use sqlite or postgres)"),
        };
        persistence.Prepare();

        var self = $"{settings.PublicHostname ?? settings.Hostname}:{settings.AkkaPort}";
        var membersFile = ClusterMembersFile.PathIn(stateDir);
        var identity = new ClusterIdentitySettings
        {
            ClusterId = clusterId,
            ProcessName = settings.Name,
            StateDir = stateDir,
            // Given no seed, this control plane founds the cluster (or rejoins the members it
            // remembers); given seeds (the other control planes), it joins them and never founds.
            Seeds = settings.Seeds.Count == 0 ? [self] : [.. settings.Seeds, self],
            RememberedSeeds = ClusterMembersFile.Read(membersFile, self),
        };
        var join = new ClusterJoin(stateDir);
        // No seed nodes in the HOCON: Akka would join through them at once; the identity gate joins
        // through the ones of this cluster.
        var config = KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [ClusterRoles.ControlPlane, ClusterRoles.Process(settings.Name)],
            Hostname = settings.Hostname,
            PublicHostname = settings.PublicHostname,
            Port = settings.AkkaPort,
            Profile = settings.Profile,
            ConfigFile = settings.ConfigFile,
            Persistence = persistence,
            Overrides = settings.InProcess is null ? null : InProcessHosting.Overrides,
        }, typeof(ActorsMessageCatalog));
        config = Actors.Node.Volumes.VolumeSettings.WithStateDirectory(config, stateDir);
        var timing = TimingProfile.From(config);
        var api = new ApiServerOptions(settings.ApiAddress, settings.ApiPort, token,
            ServingCertificates.Ensure(stateDir, settings.ApiAddress)) { SigningKey = SigningKey.ReadOrCreate(stateDir) };

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (settings.InProcess is not null) builder.Logging.ClearProviders();
        ApiServerApp.ConfigureKestrel(builder, api);
        builder.Services.AddAkka(KubeEmuConfig.SystemName, (akka, sp) =>
        {
            akka.AddHocon(config, HoconAddMode.Prepend);
            if (persistence.ToSetup() is { } setup) akka.AddSetup(setup);
            akka.WithActors((system, registry) =>
            {
                var store = ControlPlaneSingletons.Start(system, timing, TimeProvider.System,
                    File.ReadAllText(ServingCertificates.CaPath(stateDir)), settings.ApiPort);
                registry.Register<StoreProxyKey>(store);
                // The custom resources this API server serves follow the definitions in the Store.
                system.ActorOf(Actors.Informers.CustomResourceDefinitionWatcher.Props(store, TimeProvider.System), "crd-watcher");
                system.ActorOf(ClusterMembersFile.Props(membersFile), "members-file");
                join.Start(system, identity, sp.GetRequiredService<IHostApplicationLifetime>());
                StopWhenDowned(system, sp.GetRequiredService<IHostApplicationLifetime>());
                system.ActorOf(PartitionSwitch.Props(stateDir, settings.Name, PartitionSwitchPoll, TimeProvider.System), "partition-switch");
                settings.InProcess?.SystemStarted(system);
            });
        });

        var app = builder.Build();
        var pipeline = new KubernetesPipeline(new AdmissionSettings(timing.DefaultTolerationSeconds));
        // Built once, by the first request: it starts the actor the API reaches the Store through.
        var services = new Lazy<ApiServerServices>(() => Services(app, pipeline));
        ApiServerApp.Map(app, api, () => services.Value);
        var record = new ProcessRecordWriter(stateDir, settings.Name, ClusterRoles.ControlPlane, api.Url);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (settings.WriteKubeconfig) Kubeconfig.Write(stateDir, api.Url, File.ReadAllText(ServingCertificates.CaPath(stateDir)), token);
            if (settings.InProcess is null) record.WriteWhenUp(app.Services.GetRequiredService<ActorSystem>());
        });
        if (settings.InProcess is null) app.Lifetime.ApplicationStopping.Register(record.Delete);
        return await join.Run(() => app.RunAsync(ct), (settings.Hostname, settings.AkkaPort), (settings.ApiAddress, settings.ApiPort));
    }

    private static ApiServerServices Services(WebApplication app, IObjectPipeline pipeline)
    {
        var system = app.Services.GetRequiredService<ActorSystem>();
        var store = app.Services.GetRequiredService<ActorRegistry>().Get<StoreProxyKey>();
        var timeout = TimeSpan.FromSeconds(30);
        var gate = system.ActorOf(StoreFailoverGate.Props(store, timeout, TimeProvider.System), "store-gate");
        var rest = new RestStorage(new StoreClient(gate, timeout), pipeline);
        return new ApiServerServices(system, store, rest, TimeProvider.System);
    }

    /// <summary>How often a process looks for a `kubeemu chaos partition` order of its own.</summary>
    public static readonly TimeSpan PartitionSwitchPoll = TimeSpan.FromMilliseconds(250);

    /// <summary>A process the cluster downed (run-coordinated-shutdown-when-down) exits instead of lingering.</summary>
    public static void StopWhenDowned(ActorSystem system, IHostApplicationLifetime lifetime) =>
        system.WhenTerminated.ContinueWith(_ => lifetime.StopApplication(), TaskScheduler.Default);
}

/// <summary>Registry key of the Store singleton proxy.</summary>
public sealed class StoreProxyKey;

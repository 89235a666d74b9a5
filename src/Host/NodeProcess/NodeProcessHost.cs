using Akka.KubeEmu.Cluster.Chaos;
using Akka.Actor;
using Akka.Hosting;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Identity;
using Akka.KubeEmu.Host.ControlPlane;
using Akka.KubeEmu.Host.Startup;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.NodeProcess;

/// <summary>
/// One node process: an Akka cluster member with the node role, hosting the NodeAgents and
/// Kubelets of its emulated nodes. It reaches the Store only through the cluster.
/// </summary>
public static class NodeProcessHost
{
    public static async Task<int> Run(NodeSettings settings, CancellationToken ct)
    {
        var stateDir = Path.GetFullPath(settings.StateDir);
        LocalPorts.EnsureFree(settings.Hostname, settings.AkkaPort, "Akka", "--akka-port");
        var identity = new ClusterIdentitySettings
        {
            // None yet (a node added by hand with a fresh state directory): it takes its cluster's.
            ClusterId = ClusterIdFile.Resolve(stateDir, settings.ClusterId),
            ProcessName = settings.Name,
            StateDir = stateDir,
            Seeds = settings.Seeds,
        };
        var join = new ClusterJoin(stateDir);
        // No seed nodes in the HOCON: the identity gate joins through the seeds of this cluster only.
        var config = KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [ClusterRoles.Node, ClusterRoles.Process(settings.Name)],
            Hostname = settings.Hostname,
            PublicHostname = settings.PublicHostname,
            Port = settings.AkkaPort,
            Profile = settings.Profile,
            ConfigFile = settings.ConfigFile,
            Overrides = settings.InProcess is null ? null : InProcessHosting.Overrides,
        }, typeof(ActorsMessageCatalog));
        config = Actors.Node.Volumes.VolumeSettings.WithStateDirectory(config, stateDir);
        var timing = TimingProfile.From(config);

        // The content root is where the default appsettings.json is watched for changes, with a recursive
        // file-system watcher: left at the working directory (which holds the state directory when started
        // by `kubeemu up`), every journal write of the control plane woke each node process (5 % of its CPU at rest).
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        if (settings.InProcess is not null) builder.Logging.ClearProviders();
        builder.Services.AddAkka(KubeEmuConfig.SystemName, (akka, sp) =>
        {
            akka.AddHocon(config, HoconAddMode.Prepend);
            akka.WithActors((system, registry) =>
            {
                var store = ControlPlaneSingletons.StoreProxy(system);
                registry.Register<StoreProxyKey>(store);
                NodeActors.Start(system, store, settings, timing, TimeProvider.System);
                join.Start(system, identity, sp.GetRequiredService<IHostApplicationLifetime>());
                ControlPlaneProcess.StopWhenDowned(system, sp.GetRequiredService<IHostApplicationLifetime>());
                system.ActorOf(PartitionSwitch.Props(stateDir, settings.Name, ControlPlaneProcess.PartitionSwitchPoll, TimeProvider.System), "partition-switch");
                settings.InProcess?.SystemStarted(system);
            });
        });

        var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        if (settings.InProcess is null)
        {
            var record = new ProcessRecordWriter(stateDir, settings.Name, ClusterRoles.Node, null);
            lifetime.ApplicationStarted.Register(() => record.WriteWhenUp(host.Services.GetRequiredService<ActorSystem>()));
            lifetime.ApplicationStopping.Register(record.Delete);
        }
        return await join.Run(() => host.RunAsync(ct), (settings.Hostname, settings.AkkaPort));
    }
}

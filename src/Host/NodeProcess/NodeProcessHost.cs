using Akka.Actor;
using Akka.Hosting;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Host.ControlPlane;
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
        var config = KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [ClusterRoles.Node],
            Hostname = settings.Hostname,
            PublicHostname = settings.PublicHostname,
            Port = settings.AkkaPort,
            SeedNodes = settings.Seeds,
            Profile = settings.Profile,
            ConfigFile = settings.ConfigFile,
        }, typeof(ActorsMessageCatalog));
        var timing = TimingProfile.From(config);

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Services.AddAkka(KubeEmuConfig.SystemName, (akka, sp) =>
        {
            akka.AddHocon(config, HoconAddMode.Prepend);
            akka.WithActors((system, registry) =>
            {
                var store = ControlPlaneSingletons.StoreProxy(system);
                registry.Register<StoreProxyKey>(store);
                NodeActors.Start(system, store, settings, timing, TimeProvider.System);
                ControlPlaneProcess.StopWhenDowned(system, sp.GetRequiredService<IHostApplicationLifetime>());
            });
        });

        var host = builder.Build();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var record = new ProcessRecordWriter(stateDir, settings.Name, ClusterRoles.Node, null);
        lifetime.ApplicationStarted.Register(() => record.WriteWhenUp(host.Services.GetRequiredService<ActorSystem>()));
        lifetime.ApplicationStopping.Register(record.Delete);
        await host.RunAsync(ct);
        return 0;
    }
}

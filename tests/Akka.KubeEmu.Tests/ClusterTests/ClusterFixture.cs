using Akka.Actor;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Persistence;
using Akka.KubeEmu.Tests.Support;

namespace Akka.KubeEmu.Tests.ClusterTests;

/// <summary>
/// Several cluster members in one test process, on random ports, as Akka's own multi-system
/// specs do (ClusterSingletonRestart2Spec): real remoting and serialization between them.
/// </summary>
public sealed class ClusterFixture : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<ActorSystem> _systems = [];

    /// <param name="overrides">HOCON above the test defaults, for this member only.</param>
    public ActorSystem Start(string role, Address? seed, bool withStore = false, string? overrides = null)
    {
        PersistenceOptions? persistence = null;
        if (withStore)
        {
            persistence = new SqlitePersistence(_dir.Path);
            persistence.Prepare();
        }
        var config = KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [role],
            Port = 0,
            Persistence = persistence,
            Overrides = ConfigurationFactory.ParseString(overrides ?? "")
                .WithFallback(ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.coordinated-shutdown.run-by-clr-shutdown-hook = off")),
        }, typeof(ActorsMessageCatalog));
        var system = ActorSystem.Create(KubeEmuConfig.SystemName, TestConfigs.WithPersistence(config, persistence));
        _systems.Add(system);
        var cluster = Akka.Cluster.Cluster.Get(system);
        cluster.Join(seed ?? cluster.SelfAddress);
        return system;
    }

    public void Dispose()
    {
        foreach (var s in _systems) s.Terminate().Wait(TimeSpan.FromSeconds(10));
        _dir.Dispose();
    }
}

using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Serialization;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Persistence;

namespace Akka.KubeEmu.Tests.Support;

/// <summary>
/// Configurations for tests: the real HOCON composition, with a private SQLite directory, and the
/// persistence setup the hosts add (linq2db connection hooks: SQLite pragmas, journal index).
/// </summary>
public static class TestConfigs
{
    public static ActorSystemSetup LocalWithStore(string stateDir, Config? overrides = null)
    {
        var persistence = new SqlitePersistence(stateDir);
        persistence.Prepare();
        var local = ConfigurationFactory.ParseString("""
            akka.actor.provider = local
            akka.loglevel = WARNING
            # The first journal write creates the SQLite tables; on a loaded 2-core machine that
            # takes more than TestKit's default 3 s.
            akka.test.single-expect-default = 10s
            """);
        return WithPersistence(KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [ClusterRoles.ControlPlane],
            Persistence = persistence,
            Overrides = overrides is null ? local : overrides.WithFallback(local),
        }, typeof(ActorsMessageCatalog)), persistence);
    }

    /// <summary>What ControlPlaneProcess gives its ActorSystem: the configuration and the persistence setup.</summary>
    public static ActorSystemSetup WithPersistence(Config config, PersistenceOptions? persistence)
    {
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        return persistence?.ToSetup() is { } extra ? setup.And(extra) : setup;
    }
}

/// <summary>A temporary directory removed when the test ends.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("kubeemu-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}

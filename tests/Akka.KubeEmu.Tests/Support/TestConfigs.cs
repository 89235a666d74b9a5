using Akka.Configuration;
using Akka.KubeEmu.Actors.Messages;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Persistence;

namespace Akka.KubeEmu.Tests.Support;

/// <summary>Configurations for tests: the real HOCON composition, with a private SQLite directory.</summary>
public static class TestConfigs
{
    public static Config LocalWithStore(string stateDir, Config? overrides = null)
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
        return KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [ClusterRoles.ControlPlane],
            Persistence = persistence,
            Overrides = overrides is null ? local : overrides.WithFallback(local),
        }, typeof(ActorsMessageCatalog));
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

using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>One `kubeemu up --nodes 3` cluster shared by the tests of a class (starting one takes seconds).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public KubeEmuCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await KubeEmuCluster.Up(nodes: 3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>
/// Classes that start and stop clusters of their own (kills, restarts, extra nodes, other
/// options). Collections run one after another (xunit.runner.json), so at most one cluster of
/// this assembly runs at a time: on two cores, running the two collections side by side made every
/// test about twice as slow and the suite longer, not shorter.
/// </summary>
[CollectionDefinition("clusters")]
public sealed class ClustersCollection;

/// <summary>
/// Classes that only apply, read and delete objects share one three-node cluster for the whole
/// collection, each in a namespace of its own (<see cref="SharedCluster.Namespace"/>): starting
/// and stopping a cluster per class cost more CI time than most of their tests.
/// </summary>
[CollectionDefinition("shared cluster")]
public sealed class SharedClusterCollection : ICollectionFixture<SharedCluster>;

/// <summary>The cluster of the "shared cluster" collection. Nodes stay as `up` made them: no class may add, kill or taint one.</summary>
public sealed class SharedCluster : IAsyncLifetime
{
    public KubeEmuCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await KubeEmuCluster.Up(nodes: 3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>
    /// kubectl whose current context defaults to namespace <paramref name="name"/> (created here),
    /// as after `kubectl config set-context --current --namespace=NAME`.
    /// </summary>
    public Task<Kubectl> Namespace(string name, Func<string, Kubectl>? client = null)
    {
        lock (_namespaces)
        {
            var key = $"{name}|{client?.Method.Name}";
            if (!_namespaces.TryGetValue(key, out var kubectl)) _namespaces[key] = kubectl = Cluster.KubectlIn(name, client);
            return kubectl;
        }
    }

    private readonly Dictionary<string, Task<Kubectl>> _namespaces = [];
}

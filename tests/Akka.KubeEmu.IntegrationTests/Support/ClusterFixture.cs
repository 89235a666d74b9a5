using Akka.KubeEmu.IntegrationTests.Scenarios;
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

    /// <summary>
    /// Scenarios that spend most of their time waiting for the wall clock (a CronJob's next
    /// minute): they start with the cluster, each in a namespace of its own, and run while the
    /// collection's other classes do; their test awaits the outcome (<see cref="StartedWithTheCluster"/>).
    /// Run one after another, they would add that wait to the suite.
    /// </summary>
    private static readonly Dictionary<string, Func<SharedCluster, CancellationToken, Task>> Early = new()
    {
        [JobSpecs.CronScenario] = JobSpecs.CronJobEveryMinute,
    };

    private readonly Dictionary<string, Task> _early = [];
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        Cluster = await KubeEmuCluster.Up(nodes: 3);
        foreach (var (name, scenario) in Early) _early[name] = Task.Run(() => scenario(this, _stop.Token));
    }

    public async Task DisposeAsync()
    {
        // A run that did not include a scenario's test (a filter) ends it here, before the cluster goes.
        await _stop.CancelAsync();
        foreach (var scenario in _early.Values)
        {
            try { await scenario; }
            catch (Exception) { /* its test, if it ran, reported it */ }
        }
        _stop.Dispose();
        await Cluster.DisposeAsync();
    }

    /// <summary>The outcome of a scenario started with the cluster: its assertions fail the test that awaits it.</summary>
    public Task StartedWithTheCluster(string name) => _early[name];

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

using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>One `kubeemu up --nodes 3` cluster shared by the tests of a class (starting one takes seconds).</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public KubeEmuCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await KubeEmuCluster.Up(nodes: 3);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition("clusters")]
public sealed class ClustersCollection;

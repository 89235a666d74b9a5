using k8s;
using Xunit;
using Xunit.Abstractions;

namespace Akka.KubeEmu.TestKit;

/// <summary>
/// A base class for scenario tests: each test gets its own <see cref="EmulatedCluster"/>, started
/// before it runs and stopped after it, pass or fail (xunit's IAsyncLifetime). It is an Akka
/// TestKit too, so a test can mix cluster scenarios with AwaitAssert, probes and actors of its own;
/// the TestKit's ActorSystem is local to the test process and no member of the emulated cluster.
/// What the kit does (starts, faults, applied objects) goes to the test's output.
/// </summary>
public abstract class KubeEmuScenarioTest : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private readonly ITestOutputHelper? _output;
    private EmulatedCluster? _cluster;

    protected KubeEmuScenarioTest(ITestOutputHelper? output = null, string? akkaConfig = null)
        : base(akkaConfig ?? "", output)
    {
        _output = output;
    }

    /// <summary>Override to change the cluster (nodes, profile, executable); read once, before each test.</summary>
    protected virtual EmulatedClusterOptions ClusterOptions => new();

    protected EmulatedCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster starts in InitializeAsync, before the test");

    /// <summary>The official client of <see cref="Cluster"/>.</summary>
    protected IKubernetes Kubernetes => Cluster.Client;

    async Task IAsyncLifetime.InitializeAsync()
    {
        var options = ClusterOptions;
        if (options.Log is null && _output is not null) options = options with { Log = _output.WriteLine };
        _cluster = await EmulatedCluster.StartAsync(options);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
    }
}

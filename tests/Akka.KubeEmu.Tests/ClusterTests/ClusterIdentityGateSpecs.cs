using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Identity;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

/// <summary>Processes join only through seeds of their own cluster: several members in one test process, real remoting.</summary>
public sealed class ClusterIdentityGateSpecs : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly List<ActorSystem> _systems = [];

    [Fact]
    public async Task A_process_of_the_same_cluster_joins_through_the_seed()
    {
        var seed = Start("control-plane", "aaa", self => [self]);
        var node = Start("node-1", "aaa", _ => [seed.Address]);

        await UpMembers(seed, 2);
        Assert.False(node.Refused.Task.IsCompleted);
    }

    [Fact]
    public async Task A_process_of_another_cluster_is_refused_and_never_joins()
    {
        var seed = Start("control-plane", "aaa", self => [self]);
        await UpMembers(seed, 1);

        var stranger = Start("node-1", "bbb", _ => [seed.Address]);
        var message = await stranger.Refused.Task.WaitAsync(Timeout);

        Assert.Contains("node-1 is not joining through seed", message);
        Assert.Contains("another cluster (cluster id aaa, ours bbb)", message);
        Assert.Contains("its state directory is /state/control-plane, ours /state/node-1", message);
        Assert.Empty(stranger.Cluster.State.Members);
        Assert.Single(seed.Cluster.State.Members);
    }

    [Fact]
    public async Task A_process_without_an_id_takes_the_id_of_the_cluster_it_joins()
    {
        var seed = Start("control-plane", "aaa", self => [self]);
        var node = Start("node-1", null, _ => [seed.Address]);

        Assert.Equal("aaa", await node.Identified.Task.WaitAsync(Timeout));
        await UpMembers(seed, 2);
    }

    [Fact]
    public async Task A_founder_without_an_id_creates_one()
    {
        var founder = Start("control-plane", null, self => [self]);

        Assert.Matches("^[0-9a-f]{16}$", await founder.Identified.Task.WaitAsync(Timeout));
        await UpMembers(founder, 1);
    }

    [Fact]
    public async Task A_remembered_member_whose_port_now_belongs_to_another_cluster_is_skipped()
    {
        var other = Start("control-plane", "bbb", self => [self]);
        await UpMembers(other, 1);

        var restarted = Start("control-plane", "aaa", self => [self], remembered: [other.Address]);

        await UpMembers(restarted, 1);
        Assert.False(restarted.Refused.Task.IsCompleted);
        Assert.Single(other.Cluster.State.Members);
    }

    [Fact]
    public async Task A_restarted_control_plane_rejoins_the_remembered_members_of_its_cluster()
    {
        var first = Start("control-plane", "aaa", self => [self]);
        var node = Start("node-1", "aaa", _ => [first.Address]);
        await UpMembers(first, 2);

        var second = Start("control-plane", "aaa", self => [self], remembered: [node.Address]);

        await UpMembers(node, 3);
        await UpMembers(second, 3);
    }

    public void Dispose()
    {
        foreach (var s in _systems) s.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    private Member Start(string name, string? clusterId, Func<string, IReadOnlyList<string>> seeds, IReadOnlyList<string>? remembered = null)
    {
        var config = KubeEmuConfig.Build(new ClusterNodeOptions
        {
            Roles = [name.StartsWith("node", StringComparison.Ordinal) ? ClusterRoles.Node : ClusterRoles.ControlPlane],
            Overrides = ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.coordinated-shutdown.run-by-clr-shutdown-hook = off"),
        });
        var system = ActorSystem.Create(KubeEmuConfig.SystemName, config);
        _systems.Add(system);
        var member = new Member(system);
        system.ActorOf(ClusterIdentityGate.Props(new ClusterIdentitySettings
        {
            ClusterId = clusterId,
            ProcessName = name,
            StateDir = "/state/" + name,
            Seeds = seeds(member.Address),
            RememberedSeeds = remembered ?? [],
        }, id => member.Identified.TrySetResult(id), message => member.Refused.TrySetResult(message)), ClusterIdentityGate.Name);
        return member;
    }

    private static async Task UpMembers(Member member, int count)
    {
        var watch = Stopwatch.StartNew();
        while (member.Cluster.State.Members.Count(m => m.Status == MemberStatus.Up) != count)
        {
            if (watch.Elapsed > Timeout)
                throw new TimeoutException($"{member.Address} did not see {count} members Up; it sees [{string.Join(", ", member.Cluster.State.Members)}]");
            await Task.Delay(100);
        }
    }

    private sealed class Member(ActorSystem system)
    {
        public ActorSystem System { get; } = system;
        public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);
        public string Address => Cluster.SelfAddress.ToString();
        public TaskCompletionSource<string> Identified { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<string> Refused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

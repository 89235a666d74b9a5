using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Chaos;
using Akka.KubeEmu.Host.Bench;
using Akka.KubeEmu.Host.ControlPlane;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Host.NodeProcess;
using Akka.KubeEmu.Host.Startup;

namespace Akka.KubeEmu.Host.InProcess;

/// <summary>
/// A KubeEmu cluster inside the calling process, in real time: the control plane and each node
/// process run the very code of `kubeemu control-plane` / `kubeemu node`, each with an ActorSystem
/// of its own joined over loopback remoting (Akka.Cluster membership, failure detector, downing
/// and the partition switch as between processes). No process start, no JIT per process: a
/// cluster of three nodes is up in seconds. A kill terminates a node's ActorSystem without its
/// coordinated shutdown (its port refuses connections, as after a SIGKILL); a freeze cannot stop a
/// thread pool shared with the test, so it cuts the process off as a partition does (its own
/// clock runs on; the others cannot tell).
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly InProcessClusterSettings _settings;
    private readonly string _stateDir;
    private readonly string? _configFile;
    private readonly Action<string> _log;
    private readonly Dictionary<string, InProcessMember> _members = new(StringComparer.Ordinal);
    private readonly string _seed;

    private InProcessCluster(InProcessClusterSettings settings, string stateDir, string? configFile, int controlPlaneAkkaPort, Action<string> log)
    {
        _settings = settings;
        _stateDir = stateDir;
        _configFile = configFile;
        _seed = $"127.0.0.1:{controlPlaneAkkaPort}";
        _log = log;
    }

    public string ApiUrl { get; private set; } = "";

    /// <summary>Starts the control plane, then (once it is a member, as `kubeemu up` does) the node processes node-1 … node-N; writes the kubeconfig into <paramref name="stateDir"/>.</summary>
    public static async Task<InProcessCluster> Start(InProcessClusterSettings settings, string stateDir, Action<string> log, CancellationToken ct = default)
    {
        string? configFile = null;
        if (settings.ConfigOverrides is { Length: > 0 } hocon)
        {
            configFile = Path.Combine(stateDir, "in-process-overrides.conf");
            await File.WriteAllTextAsync(configFile, hocon, ct);
        }
        var akkaPort = BenchMachine.FreePort();
        var cluster = new InProcessCluster(settings, stateDir, configFile, akkaPort, log);
        try
        {
            var apiPort = BenchMachine.FreePort();
            cluster.ApiUrl = $"https://127.0.0.1:{apiPort}";
            await cluster.Launch(new InProcessMember(ControlPlaneNames.First, ClusterRoles.ControlPlane, akkaPort, cluster.ApiUrl,
                hosting => ControlPlaneProcess.Run(new ControlPlaneSettings
                {
                    Name = ControlPlaneNames.First,
                    StateDir = stateDir,
                    ApiPort = apiPort,
                    AkkaPort = akkaPort,
                    Profile = settings.Profile,
                    ConfigFile = configFile,
                    InProcess = hosting,
                }, CancellationToken.None)), ct);
            var nodes = Enumerable.Range(1, settings.Nodes).Select(i => cluster.Launch(cluster.NodeMember($"node-{i}"), ct)).ToArray();
            await Task.WhenAll(nodes);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>The processes as processes.json would list them (a killed or downed node process is left out).</summary>
    public IReadOnlyList<InProcessMember> Processes()
    {
        lock (_members) return _members.Values.Where(m => m.State != InProcessState.Gone).OrderBy(m => m.Role != ClusterRoles.ControlPlane).ThenBy(m => m.Name, StringComparer.Ordinal).ToArray();
    }

    /// <summary>kill -9: the node process's ActorSystem stops without leaving; the others find it unreachable and down it (its port refuses connections).</summary>
    public async Task<InProcessMember> Kill(string processOrNode)
    {
        var member = Resolve(processOrNode);
        await member.Kill(StopTimeout);
        PartitionOrder.Delete(_stateDir, member.Name);
        _log($"killed {member.Name} (in-process) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        return member;
    }

    /// <summary>Cut off from every other process, both ways, while it runs on (see the class summary for why a freeze is one).</summary>
    public InProcessMember Partition(string processOrNode, string what = "partitioned")
    {
        var member = Resolve(processOrNode);
        if (member.State == InProcessState.Gone) throw new InvalidOperationException($"{member.Name} is not running");
        new PartitionOrder([], null).Write(_stateDir, member.Name);
        member.State = InProcessState.CutOff;
        _log($"{what} {member.Name} (in-process) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        return member;
    }

    /// <summary>Ends a partition (or a freeze): the process reaches the others again, unless it was downed meanwhile, when it leaves.</summary>
    public InProcessMember Heal(string processOrNode, string what = "healed")
    {
        var member = Resolve(processOrNode);
        PartitionOrder.Delete(_stateDir, member.Name);
        if (member.State == InProcessState.CutOff) member.State = InProcessState.Running;
        _log($"{what} {member.Name} (in-process) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        return member;
    }

    /// <summary>A new incarnation of the process on the same port (the old one killed first if it runs); returns once it is a member again.</summary>
    public async Task<InProcessMember> Restart(string processOrNode, CancellationToken ct = default)
    {
        var old = Resolve(processOrNode);
        if (old.Role == ClusterRoles.ControlPlane) throw new NotSupportedException("an in-process cluster restarts node processes only");
        if (old.State != InProcessState.Gone) await Kill(old.Name);
        var started = await Launch(NodeMember(old.Name, old.Incarnation + 1, old.Port), ct);
        _log($"restarted {started.Name} (in-process) at {DateTimeOffset.UtcNow:HH:mm:ss.fff}");
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        InProcessMember[] members;
        lock (_members) members = [.. _members.Values];
        // Nodes first: a control plane stopped under them would only make them retry.
        foreach (var member in members.OrderBy(m => m.Role == ClusterRoles.ControlPlane))
        {
            try { await member.Kill(StopTimeout); }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException) { _log($"{member.Name} did not stop: {e.Message}"); }
            PartitionOrder.Delete(_stateDir, member.Name);
        }
    }

    private InProcessMember NodeMember(string name, int incarnation = 0, int? samePort = null)
    {
        var port = samePort ?? BenchMachine.FreePort();
        return new InProcessMember(name, ClusterRoles.Node, port, null,
            hosting => NodeProcessHost.Run(new NodeSettings
            {
                Name = name,
                StateDir = _stateDir,
                Seeds = [_seed],
                AkkaPort = port,
                Profile = _settings.Profile,
                ConfigFile = _configFile,
                InProcess = hosting,
            }, CancellationToken.None), incarnation);
    }

    private async Task<InProcessMember> Launch(InProcessMember member, CancellationToken ct)
    {
        lock (_members) _members[member.Name] = member;
        member.Start(downed: () => _log($"{member.Name} left the cluster (downed, or its partition healed after it was downed)"));
        await member.WaitUntilUp(JoinTimeout, ct);
        return member;
    }

    // One Node per node process, named as its process.
    private InProcessMember Resolve(string processOrNode)
    {
        lock (_members)
            return _members.GetValueOrDefault(processOrNode)
                   ?? throw new ArgumentException($"no process or Node named {processOrNode}; processes: {string.Join(", ", _members.Keys)}", nameof(processOrNode));
    }
}

/// <summary>What <see cref="InProcessCluster.Start"/> starts.</summary>
/// <param name="Nodes">Node processes node-1 … node-N, one Node each.</param>
/// <param name="Profile">Timing profile: fast or kubernetes.</param>
/// <param name="ConfigOverrides">HOCON over the defaults, for every process (as `kubeemu up --config`).</param>
public sealed record InProcessClusterSettings(int Nodes, string Profile, string? ConfigOverrides = null);

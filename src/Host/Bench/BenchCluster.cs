using System.Diagnostics;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Host.StateDirectory;
using k8s;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// The processes `kubeemu up` would start (the same command lines, from <see cref="LaunchPlan"/>), on
/// free ports in a temporary state directory, for a benchmark that kills and restarts them. It knows
/// which processes are down on purpose, so that any other exiting fails the run at once instead of
/// at a phase's timeout; <see cref="KillAll"/> kills every process it ever started, restarts included
/// (they run in sessions of their own, so a Ctrl-C never reaches them).
/// </summary>
public sealed class BenchCluster
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, ChildProcess> _current = new(StringComparer.Ordinal);
    private readonly List<ChildProcess> _started = [];
    private readonly HashSet<string> _killed = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<PlannedProcess> _plan;

    private BenchCluster(string stateDir, IReadOnlyList<PlannedProcess> plan)
    {
        StateDir = stateDir;
        _plan = plan;
    }

    public string StateDir { get; }

    public string Logs => Path.Combine(StateDir, "logs");

    public IReadOnlyList<string> NodeNames => _plan.Where(p => p.Role == "node").Select(p => p.Name).ToArray();

    public IReadOnlyList<string> ControlPlaneNames => _plan.Where(p => p.Role == "control-plane").Select(p => p.Name).ToArray();

    public static BenchCluster Create(int nodeProcesses, string profile, string? configFile, int controlPlanes = 1)
    {
        var stateDir = Directory.CreateTempSubdirectory("kubeemu-bench-").FullName;
        var ports = Enumerable.Range(0, controlPlanes).Select(_ => (BenchMachine.FreePort(), BenchMachine.FreePort())).ToArray();
        var options = new UpOptions
        {
            Nodes = nodeProcesses, StateDir = stateDir, Profile = profile, ControlPlanes = controlPlanes,
            ApiPort = ports[0].Item1, AkkaPort = ports[0].Item2,
        };
        var config = configFile is null ? Array.Empty<string>() : ["--config", Path.GetFullPath(configFile)];
        var plan = LaunchPlan.For(options, stateDir, LaunchPlan.Self(), ports)
            .Select(p => p with { Command = p.Command.Concat(config).ToArray() }).ToArray();
        return new BenchCluster(stateDir, plan);
    }

    /// <summary>
    /// Starts the control planes one after the other (the first founds the cluster, as `up` does) and
    /// returns a client built from the kubeconfig the first writes, once every API answers.
    /// </summary>
    public async Task<IKubernetes> StartControlPlane(TimeSpan timeout, CancellationToken ct)
    {
        var client = await StartControlPlane(_plan[0], timeout, ct);
        foreach (var more in _plan.Where(p => p.Role == "control-plane").Skip(1)) (await StartControlPlane(more, timeout, ct)).Dispose();
        return client;
    }

    /// <summary>The API server URL of a control plane, from its run file.</summary>
    public string? ApiUrlOf(string name) => ProcessRecord.Read(ProcessRecord.PathFor(StateDir, name))?.ApiUrl;

    /// <summary>A client of one control plane's API server (the kubeconfig's credentials, that server's URL).</summary>
    public IKubernetes ClientOf(string name, TimeSpan requestTimeout)
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig.PathIn(StateDir));
        config.Host = ApiUrlOf(name) ?? throw new InvalidOperationException($"{name} has no API URL in its run file");
        config.HttpClientTimeout = requestTimeout;
        return new Kubernetes(config);
    }

    /// <summary>Whether a (re)started process's API answers /readyz.</summary>
    public async Task<bool> ApiReady(string name, CancellationToken ct)
    {
        lock (_lock)
        {
            if (!_current.TryGetValue(name, out var child) || RecordedPid(name) != child.Pid) return false;
        }
        if (ApiUrlOf(name) is not { } url) return false;
        using var probe = Probe(url);
        return await probe.Ready(ct);
    }

    private ApiProbe Probe(string url) =>
        new(url, File.ReadAllText(ServingCertificates.CaPath(StateDir)), BearerToken.ReadOrCreate(Path.Combine(StateDir, "token")));

    private async Task<IKubernetes> StartControlPlane(PlannedProcess plan, TimeSpan timeout, CancellationToken ct)
    {
        var controlPlane = Start(plan);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            ThrowIfAnyExited();
            if (ProcessRecord.Read(ProcessRecord.PathFor(StateDir, controlPlane.Name)) is { ApiUrl: { } url } record
                && record.Pid == controlPlane.Pid && File.Exists(Kubeconfig.PathIn(StateDir)))
            {
                using var probe = Probe(url);
                if (await probe.Ready(ct)) return new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Kubeconfig.PathIn(StateDir)));
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"the control plane did not answer within {timeout.TotalSeconds:F0} s:\n{controlPlane.LogTail()}");
    }

    public void StartNodes()
    {
        foreach (var p in _plan.Where(p => p.Role == "node")) Start(p);
    }

    /// <summary>
    /// SIGKILL to the pid processes.json gives for <paramref name="name"/>, as a user would find it;
    /// refuses when the file is behind (a restarted process writes its entry only once it joined).
    /// </summary>
    /// <returns>The Stopwatch timestamp taken just before the signal, which every phase is timed from.</returns>
    public long Kill(string name)
    {
        lock (_lock)
        {
            var pid = RecordedPid(name);
            if (pid != _current[name].Pid) throw new InvalidOperationException($"processes.json gives pid {pid} for {name}, which runs as {_current[name].Pid}");
            _killed.Add(name);
            var at = Stopwatch.GetTimestamp();
            if (!Signals.Send(pid, Signals.SigKill)) throw new InvalidOperationException($"could not kill {name} (pid {pid})");
            return at;
        }
    }

    /// <summary>Starts a killed process again with the command line processes.json recorded for it.</summary>
    public void Restart(string name)
    {
        var record = ProcessesFile.Read(StateDir).SingleOrDefault(r => r.Name == name)
                     ?? throw new InvalidOperationException($"{name} is not in {ProcessesFile.PathIn(StateDir)}");
        lock (_lock) _killed.Remove(name);
        Start(new PlannedProcess(record.Name, record.Role, record.Command));
    }

    /// <summary>Whether every running process has its current pid in processes.json (a restart is complete only then).</summary>
    public bool ProcessesFileCurrent()
    {
        lock (_lock) return _current.Values.All(c => RecordedPid(c.Name) == c.Pid);
    }

    public void ThrowIfAnyExited()
    {
        lock (_lock)
        {
            if (_current.Values.FirstOrDefault(c => !_killed.Contains(c.Name) && c.HasExited) is { } dead)
                throw new InvalidOperationException($"{dead.Name} (pid {dead.Pid}) exited on its own; last lines of {dead.LogPath}:\n{dead.LogTail()}");
        }
    }

    /// <summary>SIGKILL to every process started, also from a cancellation callback: nothing here waits.</summary>
    public void KillAll()
    {
        lock (_lock)
        {
            foreach (var p in _started.Where(p => !p.HasExited)) Signals.Send(p.Pid, Signals.SigKill);
        }
    }

    private ChildProcess Start(PlannedProcess p)
    {
        lock (_lock)
        {
            var child = ChildProcess.Start(p.Name, p.Role, p.Command, Logs);
            _started.Add(child);
            _current[p.Name] = child;
            return child;
        }
    }

    private int RecordedPid(string name) => ProcessesFile.Read(StateDir).SingleOrDefault(r => r.Name == name)?.Pid ?? 0;
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Akka.KubeEmu.TestKit.Api;
using Akka.KubeEmu.TestKit.Processes;
using Akka.KubeEmu.Host.InProcess;
using Akka.KubeEmu.Host.VirtualTime;
using Akka.KubeEmu.TestKit.VirtualTime;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.TestKit;

/// <summary>
/// A KubeEmu cluster for one test: a control-plane process and N node processes started with
/// `kubeemu up --detach` in a fresh temporary state directory on free ports, driven through the
/// official KubernetesClient. Faults are injected into the real processes; conditions are awaited
/// with list+watch and a deadline. Disposal stops every process of the cluster, whatever the test
/// did to them or however far the start got, and deletes the state directory.
/// <para>
/// With <see cref="EmulatedClusterOptions.VirtualTime"/> the cluster runs in the test process in
/// virtual time instead (<see cref="VirtualCluster"/>): the same calls, but faults act on the
/// emulated processes' actors and membership, and WaitFor… deadlines are virtual time, which the
/// waits move step by step.
/// </para>
/// <para>
/// With <see cref="EmulatedClusterOptions.InProcess"/> the processes run in the test process in
/// real time (<see cref="InProcessCluster"/>): one ActorSystem each, real Akka.Cluster between them.
/// </para>
/// </summary>
public sealed class EmulatedCluster : IAsyncDisposable
{
    public const string KeepStateVariable = "KUBEEMU_TESTKIT_KEEP_STATE";
    private static readonly TimeSpan DownTimeout = TimeSpan.FromSeconds(60);

    private readonly EmulatedClusterOptions _options;
    private readonly ClusterSlot? _slot;
    private VirtualCluster? _virtual;
    private InProcessCluster? _inProcess;
    private readonly Action<string> _log;
    private readonly ProcessTable _processes;
    private readonly ProcessFaults _faults;
    private readonly EventHandler _onProcessExit;
    private k8s.Kubernetes? _client;
    private ManifestApplier? _applier;
    private IObjectWaiter? _waiter;
    private int _disposed;
    private string[] _upConfig = [];

    private EmulatedCluster(EmulatedClusterOptions options, string executable, string stateDir, ClusterSlot? slot)
    {
        _options = options;
        _slot = slot;
        Executable = executable;
        StateDirectory = stateDir;
        _log = options.Log is { } log ? line => SafeLog(log, line) : _ => { };
        _processes = new ProcessTable(stateDir);
        _faults = new ProcessFaults(stateDir, _processes, _log);
        // A test run that ends without disposing (Ctrl-C, a runner timeout) must not leave processes behind.
        _onProcessExit = (_, _) =>
        {
            StateDirectoryProcesses.KillAll(stateDir, TimeSpan.FromSeconds(2));
            DeleteStateDirectory();
        };
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>The official client, configured from the cluster's kubeconfig (HTTPS, the cluster CA, a bearer token).</summary>
    public IKubernetes Client => _client ?? throw new InvalidOperationException("the cluster has not started");

    /// <summary>The cluster's state directory: kubeconfig, processes.json, logs/, the Store's journal.</summary>
    public string StateDirectory { get; }

    /// <summary>For kubectl: <c>KUBECONFIG=…</c>.</summary>
    public string KubeconfigPath => Path.Combine(StateDirectory, "kubeconfig");

    public string Executable { get; }

    /// <summary>The processes as processes.json lists them now (a killed one keeps its entry).</summary>
    public IReadOnlyList<ClusterProcess> Processes =>
        _virtual?.Processes().Select(Described).ToArray() ?? _inProcess?.Processes().Select(Described).ToArray() ?? _processes.Current();

    /// <summary>The cluster's clock: virtual time, or the real one for a cluster of processes.</summary>
    public DateTimeOffset Now => _virtual?.Clock.Now ?? DateTimeOffset.UtcNow;

    /// <summary>Whether the cluster runs in virtual time (<see cref="EmulatedClusterOptions.VirtualTime"/>).</summary>
    public bool IsVirtualTime => _virtual is not null;

    /// <summary>Whether the cluster runs in the test process in real time (<see cref="EmulatedClusterOptions.InProcess"/>).</summary>
    public bool IsInProcess => _inProcess is not null;

    public static async Task<EmulatedCluster> StartAsync(EmulatedClusterOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmulatedClusterOptions();
        if (options.VirtualTime && options.InProcess) throw new ArgumentException("VirtualTime and InProcess exclude each other: a cluster in virtual time is always in-process");
        if (options.VirtualTime) return await StartVirtual(options, ct);
        // A cluster in the test process needs the CPU in time as much as one of processes: it takes a slot too.
        var executable = options.InProcess ? "" : KubeEmuExecutable.Locate(options.Executable);
        var slot = await ClusterSlot.AcquireAsync(options.SlotTimeout, options.Log, ct);
        EmulatedCluster? cluster = null;
        try
        {
            cluster = new EmulatedCluster(options, executable, Directory.CreateTempSubdirectory("kubeemu-testkit-").FullName, slot);
            if (options.InProcess) await cluster.UpInProcess(ct);
            else await cluster.Up(ct);
            return cluster;
        }
        catch
        {
            if (cluster is not null) await cluster.DisposeAsync();
            else slot.Dispose();
            throw;
        }
    }

    // No cluster slot: nothing in virtual time depends on getting the CPU in time.
    private static async Task<EmulatedCluster> StartVirtual(EmulatedClusterOptions options, CancellationToken ct)
    {
        var cluster = new EmulatedCluster(options, "", Directory.CreateTempSubdirectory("kubeemu-testkit-").FullName, null);
        try
        {
            var watch = Stopwatch.StartNew();
            cluster._virtual = await VirtualCluster.Start(new VirtualClusterSettings(options.Nodes, options.Profile, options.ConfigOverrides, FreePorts.Next())
                { Timing = options.VirtualTiming }, cluster.StateDirectory, cluster._log);
            cluster.Connect(kinds => new VirtualObjectWaiter(new ObjectWaiter(cluster._client!, kinds), kinds, cluster._virtual.Clock, options.VirtualTiming));
            var start = cluster.Now;
            for (var i = 1; i <= options.Nodes; i++) await cluster.WaitForNodeReadyAsync($"node-{i}", "True", options.StartTimeout, ct);
            cluster._log($"cluster up in virtual time after {watch.Elapsed.TotalSeconds:0.0} s ({(cluster.Now - start).TotalSeconds:0} s virtual): " +
                         $"{options.Nodes} node(s), profile {options.Profile}, state in {cluster.StateDirectory}");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private void Connect(Func<ResourceKinds, IObjectWaiter> waiter)
    {
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));
        var kinds = new ResourceKinds(_client);
        _applier = new ManifestApplier(_client, kinds);
        _waiter = waiter(kinds);
    }

    private async Task UpInProcess(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        _inProcess = await InProcessCluster.Start(new InProcessClusterSettings(_options.Nodes, _options.Profile, _options.ConfigOverrides),
            StateDirectory, _log, ct);
        Connect(kinds => new ObjectWaiter(_client!, kinds));
        for (var i = 1; i <= _options.Nodes; i++) await WaitForNodeReadyAsync($"node-{i}", "True", _options.StartTimeout, ct);
        _log($"cluster up in-process after {watch.Elapsed.TotalSeconds:0.0} s: {_options.Nodes} node(s), profile {_options.Profile}, state in {StateDirectory}");
    }

    private async Task Up(CancellationToken ct)
    {
        if (_options.ConfigOverrides is { Length: > 0 } hocon)
        {
            var file = Path.Combine(StateDirectory, "testkit-overrides.conf");
            await File.WriteAllTextAsync(file, hocon, ct);
            _upConfig = ["--config", file];
        }
        var watch = Stopwatch.StartNew();
        string[] args =
        [
            "up", "--detach", "--nodes", Invariant(_options.Nodes), "--profile", _options.Profile, "--state-dir", StateDirectory,
            "--api-port", Invariant(FreePorts.Next()), "--akka-port", Invariant(FreePorts.Next()),
            "--timeout", Invariant((int)Math.Ceiling(_options.StartTimeout.TotalSeconds)), .. _upConfig, .. _options.UpArguments,
        ];
        CommandResult result;
        try
        {
            // `up` keeps its own deadline for Ready nodes; this one only guards against it hanging.
            result = await CommandRunner.Run(Executable, args, _options.StartTimeout + TimeSpan.FromSeconds(30), ct);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"{e.Message}{Environment.NewLine}{ProcessLogs.Tails(StateDirectory)}", e);
        }
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"kubeemu up failed ({result.ExitCode}):{Environment.NewLine}{result.Stdout}{result.Stderr}{ProcessLogs.Tails(StateDirectory)}");
        Connect(kinds => new ObjectWaiter(_client!, kinds));
        _log($"cluster up after {watch.Elapsed.TotalSeconds:0.0} s: {_options.Nodes} node(s), profile {_options.Profile}, state in {StateDirectory}");
    }

    /// <summary>Creates each object of a (multi-document) YAML manifest, or replaces it when it exists.</summary>
    public async Task<IReadOnlyList<AppliedObject>> ApplyAsync(string yaml, string defaultNamespace = "default", CancellationToken ct = default)
    {
        var applied = await Started(_applier).Apply(yaml, defaultNamespace, ct);
        foreach (var a in applied) _log(a.ToString());
        return applied;
    }

    public async Task<IReadOnlyList<AppliedObject>> ApplyFileAsync(string path, string defaultNamespace = "default", CancellationToken ct = default) =>
        await ApplyAsync(await File.ReadAllTextAsync(path, ct), defaultNamespace, ct);

    /// <summary>SIGKILL of a process, named as in processes.json (node-2) or by a Node it hosts: a crash.</summary>
    public async Task<ClusterProcess> KillNodeAsync(string processOrNode, CancellationToken ct = default)
    {
        if (_virtual is not null) return Described(_virtual.Kill(processOrNode));
        if (_inProcess is not null) return Described(await _inProcess.Kill(processOrNode));
        var p = await Resolve(processOrNode, ct);
        _faults.Kill(p);
        return p;
    }

    /// <summary>SIGSTOP: the process lives but answers nobody until thawed (or is downed meanwhile). In-process: a partition.</summary>
    public async Task<ClusterProcess> FreezeNodeAsync(string processOrNode, CancellationToken ct = default)
    {
        if (_virtual is not null) return Described(_virtual.Freeze(processOrNode));
        if (_inProcess is not null) return Described(_inProcess.Partition(processOrNode, "froze (cut off)"));
        var p = await Resolve(processOrNode, ct);
        _faults.Freeze(p);
        return p;
    }

    /// <summary>SIGCONT to a frozen process.</summary>
    public async Task<ClusterProcess> ThawNodeAsync(string processOrNode, CancellationToken ct = default)
    {
        if (_virtual is not null) return Described(_virtual.Thaw(processOrNode));
        if (_inProcess is not null) return Described(_inProcess.Heal(processOrNode, "thawed"));
        var p = await Resolve(processOrNode, ct);
        _faults.Thaw(p);
        return p;
    }

    /// <summary>
    /// As `kubeemu chaos partition`: the process runs on, cut off from every other process (both
    /// ways, heartbeats included) until <see cref="HealNodeAsync"/>; downed after stable-after, it
    /// leaves once healed. In virtual time the same as a freeze.
    /// </summary>
    public async Task<ClusterProcess> PartitionNodeAsync(string processOrNode, CancellationToken ct = default)
    {
        if (_virtual is not null) return Described(_virtual.Freeze(processOrNode, "partitioned"));
        if (_inProcess is not null) return Described(_inProcess.Partition(processOrNode));
        var p = await Resolve(processOrNode, ct);
        _faults.Partition(p);
        return p;
    }

    /// <summary>Ends a partition: the process reaches the others again (if it was downed meanwhile, it leaves the cluster).</summary>
    public async Task<ClusterProcess> HealNodeAsync(string processOrNode, CancellationToken ct = default)
    {
        if (_virtual is not null) return Described(_virtual.Thaw(processOrNode, "healed"));
        if (_inProcess is not null) return Described(_inProcess.Heal(processOrNode));
        var p = await Resolve(processOrNode, ct);
        _faults.Heal(p);
        return p;
    }

    /// <summary>Starts the process again with its recorded command line (killing it first if it runs); returns once it joined the cluster.</summary>
    public async Task<ClusterProcess> RestartNodeAsync(string processOrNode, CancellationToken ct = default)
    {
        if (_virtual is not null) return Described(_virtual.Restart(processOrNode));
        if (_inProcess is not null) return Described(await _inProcess.Restart(processOrNode, ct));
        var p = await Resolve(processOrNode, ct);
        return await _faults.Restart(p, _options.RestartTimeout, ct);
    }

    /// <summary>
    /// Moves virtual time on by <paramref name="by"/>, in steps, the cluster settling after each
    /// (a cluster of processes lives in real time: there, this is an error).
    /// </summary>
    public Task AdvanceAsync(TimeSpan by, CancellationToken ct = default) =>
        (_virtual ?? throw new InvalidOperationException("only a cluster in virtual time (EmulatedClusterOptions.VirtualTime) can be advanced"))
        .Clock.Advance(by, ct);

    /// <summary>
    /// Waits until the object exists and satisfies the condition; returns it as it was then. Pass
    /// a null namespace for cluster-scoped objects (Nodes). On timeout the exception shows the
    /// condition and the object's last state.
    /// </summary>
    public async Task<T> WaitForAsync<T>(string? @namespace, string name, Func<T, bool> condition, TimeSpan? timeout = null,
        CancellationToken ct = default, [CallerArgumentExpression(nameof(condition))] string conditionText = "")
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var found = await Started(_waiter).Until<T>(@namespace, name, null, items => items.Count == 1 && condition(items[0]),
            timeout ?? _options.DefaultWaitTimeout, conditionText, ct);
        return found[0];
    }

    /// <summary>Waits until the objects a label selector picks (all of the kind when null) satisfy the condition together.</summary>
    public Task<IReadOnlyList<T>> WaitForListAsync<T>(string? @namespace, string? labelSelector, Func<IReadOnlyList<T>, bool> condition,
        TimeSpan? timeout = null, CancellationToken ct = default, [CallerArgumentExpression(nameof(condition))] string conditionText = "")
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Started(_waiter).Until(@namespace, null, labelSelector, condition, timeout ?? _options.DefaultWaitTimeout, conditionText, ct);

    /// <summary>Waits until the object is gone (deleted, not merely marked for deletion).</summary>
    public Task WaitForDeletionAsync<T>(string? @namespace, string name, TimeSpan? timeout = null, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        Started(_waiter).Until<T>(@namespace, name, null, items => items.Count == 0, timeout ?? _options.DefaultWaitTimeout, "deletion", ct);

    /// <summary>Waits until the Node's Ready condition has the status (True, False, Unknown).</summary>
    public Task<V1Node> WaitForNodeReadyAsync(string node, string status = "True", TimeSpan? timeout = null, CancellationToken ct = default) =>
        WaitForAsync<V1Node>(null, node, n => n.ReadyStatus() == status, timeout, ct, $"Ready={status}");

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        var watch = Stopwatch.StartNew();
        if (_virtual is not null || Executable.Length == 0)
        {
            _client?.Dispose();
            if (_virtual is not null) await _virtual.DisposeAsync();
            if (_inProcess is not null) await _inProcess.DisposeAsync();
            _slot?.Dispose();
            _log($"cluster down after {watch.Elapsed.TotalSeconds:0.0} s");
            DeleteStateDirectory();
            return;
        }
        _faults.ThawAll();
        try
        {
            var down = await CommandRunner.Run(Executable, ["down", "--state-dir", StateDirectory], DownTimeout, CancellationToken.None);
            if (down.ExitCode != 0) _log($"kubeemu down failed: {down}");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            _log($"kubeemu down failed: {e.Message}");
        }
        var leftovers = StateDirectoryProcesses.KillAll(StateDirectory, TimeSpan.FromSeconds(10));
        if (leftovers.Count > 0) _log($"killed what outlived kubeemu down: pids {string.Join(", ", leftovers)}");
        _client?.Dispose();
        _slot?.Dispose();
        _log($"cluster down after {watch.Elapsed.TotalSeconds:0.0} s");
        DeleteStateDirectory();
    }

    private void DeleteStateDirectory()
    {
        if (_options.KeepStateDirectory || Environment.GetEnvironmentVariable(KeepStateVariable) == "1")
        {
            _log($"state directory kept: {StateDirectory}");
            return;
        }
        try { Directory.Delete(StateDirectory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _log($"could not delete {StateDirectory}: {e.Message}"); }
    }

    private Task<ClusterProcess> Resolve(string processOrNode, CancellationToken ct) => _processes.Resolve(processOrNode, Client, ct);

    // The test process is every virtual process's process: there is no command line to restart it with.
    private static ClusterProcess Described(VirtualProcess p) => new(p.Name, p.Role, Environment.ProcessId, p.AkkaAddress, p.ApiUrl, []);

    private static ClusterProcess Described(InProcessMember p) => new(p.Name, p.Role, Environment.ProcessId, p.AkkaAddress, p.ApiUrl, []);

    private static TPart Started<TPart>(TPart? part) where TPart : class =>
        part ?? throw new InvalidOperationException("the cluster has not started");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    // An xunit output helper throws once its test is over; a log line is never worth failing for.
    private static void SafeLog(Action<string> log, string line)
    {
        try { log(line); }
        catch (InvalidOperationException) { }
    }
}

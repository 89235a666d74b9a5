using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.TestKit.Processes;

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>
/// A real cluster started with `kubeemu up --detach` in a temporary state directory, on free
/// ports: separate OS processes, driven with the real kubectl. Disposing runs `kubeemu down` and
/// then kills by pid whatever is left, including processes the test restarted itself.
/// </summary>
public sealed class KubeEmuCluster : IAsyncDisposable
{
    private readonly List<int> _started = [];
    private readonly ClusterSlot _slot;
    private string? _configFile;

    private KubeEmuCluster(string stateDir, ClusterSlot slot)
    {
        StateDir = stateDir;
        _slot = slot;
    }

    public string StateDir { get; }

    public string KubeconfigPath => Path.Combine(StateDir, "kubeconfig");

    /// <summary>`kubeemu kubeconfig --user USER [--group G]...`: a kubeconfig of another user, written into the state directory.</summary>
    public async Task<string> KubeconfigFor(string user, params string[] groups)
    {
        var path = Path.Combine(StateDir, $"{user}.kubeconfig");
        (await Run(Executable, TimeSpan.FromSeconds(30),
            ["kubeconfig", "--state-dir", StateDir, "--user", user, .. groups.SelectMany(g => new[] { "--group", g }), "--output", path])).Ok();
        return path;
    }

    public Kubectl Kubectl => Kubectl.Default(KubeconfigPath);

    /// <summary>
    /// kubectl whose current context defaults to namespace <paramref name="ns"/>, which it creates:
    /// a copy of the kubeconfig changed by `kubectl config set-context --current --namespace`.
    /// </summary>
    public async Task<Kubectl> KubectlIn(string ns, Func<string, Kubectl>? client = null)
    {
        var path = Path.Combine(StateDir, $"kubeconfig-{ns}");
        File.Copy(KubeconfigPath, path, overwrite: true);
        var kubectl = (client ?? Kubectl.Default)(path);
        (await Kubectl.Default(path).Run("config", "set-context", "--current", $"--namespace={ns}")).Ok();
        var created = await kubectl.Run("create", "namespace", ns);
        if (created.ExitCode != 0 && !created.Stderr.Contains("AlreadyExists")) created.Ok();
        return kubectl;
    }

    public static string Executable => Path.Combine(AppContext.BaseDirectory, "kubeemu");

    public static Task<KubeEmuCluster> Up(int nodes = 3, string profile = "fast", params string[] extra) =>
        UpWith(["--api-port", FreePorts.Next().ToString(), "--akka-port", FreePorts.Next().ToString(), "--profile", profile, .. extra], nodes);

    /// <summary>
    /// `up` with a HOCON file every process reads (`up --config`): e.g. a freeze longer than the
    /// fast profile's downing stable-after, which a loaded machine cannot keep a test under.
    /// </summary>
    public static async Task<KubeEmuCluster> UpWithConfig(string hocon, int nodes = 3)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kubeemu-it-{Guid.NewGuid():N}.conf");
        await File.WriteAllTextAsync(file, hocon);
        try
        {
            var cluster = await Up(nodes, extra: ["--config", file]);
            cluster._configFile = file;
            return cluster;
        }
        catch
        {
            File.Delete(file);
            throw;
        }
    }

    /// <summary>Downing waits a minute for an unreachable process: a frozen process stays a member until thawed.</summary>
    public const string SlowDowning = "kubeemu.downing.stable-after = 60s\n";

    /// <summary>`up` with exactly these options (no free ports chosen for it: e.g. to leave `up` its defaults).</summary>
    public static async Task<KubeEmuCluster> UpWith(IReadOnlyList<string> options, int nodes = 3)
    {
        // The scenario kit's machine-wide slot: other test assemblies' clusters wait meanwhile, and this one for them.
        var slot = await ClusterSlot.AcquireAsync(TimeSpan.FromMinutes(20));
        var dir = Directory.CreateTempSubdirectory("kubeemu-it-").FullName;
        var cluster = new KubeEmuCluster(dir, slot);
        var result = await Run(Executable, TimeSpan.FromMinutes(3), ["up", "--detach", "--nodes", nodes.ToString(), "--state-dir", dir, .. options]);
        if (result.ExitCode != 0)
        {
            await cluster.DisposeAsync();
            throw new InvalidOperationException($"kubeemu up failed: {result}");
        }
        cluster.UpOutput = result.Stdout;
        return cluster;
    }

    /// <summary>What `up` printed (the table of processes and the KUBECONFIG line).</summary>
    public string UpOutput { get; private set; } = "";

    public IReadOnlyList<JsonObject> Processes() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(StateDir, "processes.json")))!.AsArray().Select(p => p!.AsObject()).ToArray();

    public JsonObject Process(string name) => Processes().Single(p => p["name"]!.GetValue<string>() == name);

    public int Pid(string name) => Process(name)["pid"]!.GetValue<int>();

    public string ClusterId => File.ReadAllText(Path.Combine(StateDir, "cluster-id")).Trim();

    /// <summary>The ports `up` gave the control plane (its own choice when the defaults were taken).</summary>
    public int ApiPort => ControlPlaneOption("--api-port");

    public int AkkaPort => ControlPlaneOption("--akka-port");

    private int ControlPlaneOption(string option)
    {
        var command = Process("control-plane")["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        return int.Parse(command[command.IndexOf(option) + 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Kill(string name) => System.Diagnostics.Process.GetProcessById(Pid(name)).Kill();

    /// <summary>SIGSTOP (freeze) or SIGCONT (thaw): the process stays, but stops answering meanwhile.</summary>
    public void Signal(string name, string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", Pid(name).ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {name} failed");
    }

    /// <summary>Starts a process again with its command line from processes.json, as a user would.</summary>
    public int Restart(string name)
    {
        var command = Process(name)["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        var process = System.Diagnostics.Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add(process.Id);
        return process.Id;
    }

    /// <summary>
    /// Starts one more node process, as a user would with `kubeemu node --name NAME` and the options
    /// `up` gave node-1; it is stopped with the cluster.
    /// </summary>
    public int StartNode(string name)
    {
        var command = Process("node-1")["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();
        command[Array.IndexOf(command, "--name") + 1] = name;
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1)) start.ArgumentList.Add(a);
        var process = System.Diagnostics.Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add(process.Id);
        return process.Id;
    }

    /// <summary>
    /// SIGKILL to every process of the cluster (found by its state directory on the command line,
    /// restarted and added ones included), not `kubeemu down`: the graceful leave of each process
    /// took 4-5 s per cluster, about 100 s of the suite, and no test asserts on it here
    /// (VolumeDataSpecs runs `down` itself and checks it).
    /// </summary>
    public ValueTask DisposeAsync()
    {
        foreach (var pid in _started)
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
        }
        StateDirectoryProcesses.KillAll(StateDir, TimeSpan.FromSeconds(10));
        _slot.Dispose();
        if (_configFile is not null) File.Delete(_configFile);
        try { Directory.Delete(StateDir, recursive: true); }
        catch (IOException) { }
        return ValueTask.CompletedTask;
    }

    public static async Task<KubectlResult> Run(string executable, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} {string.Join(' ', args)} did not finish within {timeout}");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }
}

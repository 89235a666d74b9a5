using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.Startup;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>
/// `kubeemu up`: starts the control-plane processes (one by default) and N node processes, waits
/// until every API server answers and every Node is Ready, prints how to use the cluster, then
/// supervises it until Ctrl-C/SIGTERM (or returns at once with --detach, leaving the processes
/// running).
/// </summary>
public sealed class ClusterLauncher(UpOptions options, TextWriter output)
{
    public async Task<int> Up(CancellationToken ct)
    {
        var stateDir = Path.GetFullPath(options.StateDir);
        Directory.CreateDirectory(stateDir);
        var running = ProcessesFile.Read(stateDir).Concat(ProcessesFile.FromRunFiles(stateDir)).Where(p => Signals.IsKubeEmu(p.Pid)).ToList();
        if (running.Count > 0)
        {
            output.WriteLine($"A KubeEmu cluster is already running from {stateDir} (pids {string.Join(", ", running.Select(p => p.Pid).Distinct())}).");
            output.WriteLine($"Use it with: export KUBECONFIG={Kubeconfig.PathIn(stateDir)}    Stop it with: kubeemu down --state-dir {stateDir}");
            return 1;
        }
        var ports = PortChoice.For(options, port => LocalPorts.Probe(IPAddress.Loopback, port), besides => LocalPorts.AnyFree(IPAddress.Loopback, besides));
        if (ports.Error is not null)
        {
            output.WriteLine(ports.Error);
            return 1;
        }
        foreach (var note in ports.Notes) output.WriteLine(note);
        ClearStaleRunFiles(stateDir);
        BearerToken.ReadOrCreate(Path.Combine(stateDir, "token"));
        // Before any control plane starts, so that all of them sign with the same key.
        SigningKey.ReadOrCreate(stateDir).Dispose();
        var clusterId = ClusterIdFile.ReadOrCreate(stateDir);

        var plan = LaunchPlan.For(options with { ApiPort = ports.ApiPort, AkkaPort = ports.AkkaPort }, stateDir, LaunchPlan.Self(), ports.ControlPlanes);
        var logs = Path.Combine(stateDir, "logs");
        var children = new List<ChildProcess>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        if (!options.Detach) LauncherPidFile.Write(stateDir);
        try
        {
            output.WriteLine($"Starting KubeEmu: {ControlPlanesText(options.ControlPlanes)}, {options.Nodes} node(s), timing profile \"{options.Profile}\", store {options.Store}, state in {stateDir} (cluster id {clusterId})");
            // The first control plane founds the cluster; the others join it before any node does.
            // A member is enough for the next process to join through it: the nodes start while the
            // control planes recover the Store and warm up their API servers, which took seconds.
            var controlPlanes = new List<(ChildProcess Process, string ApiUrl)>();
            foreach (var p in plan.Where(p => p.Role == "control-plane"))
            {
                var controlPlane = ChildProcess.Start(p.Name, p.Role, p.Command, logs);
                children.Add(controlPlane);
                controlPlanes.Add((controlPlane, await WaitForMember(stateDir, controlPlane, stop.Token)));
            }
            foreach (var p in plan.Where(p => p.Role != "control-plane")) children.Add(ChildProcess.Start(p.Name, p.Role, p.Command, logs));
            foreach (var (controlPlane, url) in controlPlanes) await WaitForApi(stateDir, controlPlane, url, stop.Token);
            await WaitForNodes(stateDir, controlPlanes[0].ApiUrl, children, stop.Token);
            await WaitForRunFiles(stateDir, children, stop.Token);
        }
        catch (LaunchFailed e)
        {
            output.WriteLine(e.Message);
            await ClusterStopper.Stop(Records(stateDir, children), TextWriter.Null);
            LauncherPidFile.Delete(stateDir);
            return 1;
        }
        catch (OperationCanceledException)
        {
            output.WriteLine("Interrupted: stopping the processes started so far.");
            await ClusterStopper.Stop(Records(stateDir, children), output);
            LauncherPidFile.Delete(stateDir);
            return 130;
        }

        ProcessesFile.Rebuild(stateDir);
        PrintSummary(stateDir);
        if (options.Detach) return 0;

        output.WriteLine("Press Ctrl-C to stop the cluster.");
        await Supervise(stateDir, children, stop.Token);
        output.WriteLine("Stopping the cluster...");
        await ClusterStopper.Stop(Records(stateDir, children), output);
        foreach (var c in children) ProcessRecord.Delete(stateDir, c.Name);
        LauncherPidFile.Delete(stateDir);
        return 0;
    }

    /// <summary>The control plane's API URL once it is a cluster member: its run file is written at member Up, after its API port is bound.</summary>
    private async Task<string> WaitForMember(string stateDir, ChildProcess controlPlane, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < options.ReadyTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (controlPlane.HasExited) throw Died(controlPlane);
            if (ProcessRecord.Read(ProcessRecord.PathFor(stateDir, controlPlane.Name)) is { ApiUrl: { } url } record && record.Pid == controlPlane.Pid)
                return url;
            await Task.Delay(100, ct);
        }
        throw NotReady(controlPlane);
    }

    /// <summary>Until the control plane's API server answers /readyz (its Store answering included).</summary>
    private async Task WaitForApi(string stateDir, ChildProcess controlPlane, string url, CancellationToken ct)
    {
        using var probe = Probe(stateDir, url);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < options.ReadyTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (controlPlane.HasExited) throw Died(controlPlane);
            if (await probe.Ready(ct)) return;
            await Task.Delay(200, ct);
        }
        throw NotReady(controlPlane);
    }

    private LaunchFailed NotReady(ChildProcess controlPlane) =>
        new($"The control plane did not become ready within {options.ReadyTimeout.TotalSeconds:0} s. Last lines of {controlPlane.LogPath}:\n{controlPlane.LogTail()}");

    private async Task WaitForNodes(string stateDir, string apiUrl, IReadOnlyList<ChildProcess> children, CancellationToken ct)
    {
        var wanted = children.Where(c => c.Role == "node").Select(c => c.Name).ToHashSet();
        using var probe = Probe(stateDir, apiUrl);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < options.ReadyTimeout)
        {
            ct.ThrowIfCancellationRequested();
            if (children.FirstOrDefault(c => c.HasExited) is { } dead) throw Died(dead);
            var ready = await probe.ReadyNodes(ct);
            if (wanted.IsSubsetOf(ready)) return;
            await Task.Delay(250, ct);
        }
        var missing = string.Join(", ", wanted.Except(await probe.ReadyNodes(ct)));
        throw new LaunchFailed($"Nodes not Ready within {options.ReadyTimeout.TotalSeconds:0} s: {missing}. Logs are in {Path.Combine(stateDir, "logs")}.");
    }

    // A node is Ready once it registered, but its run file comes with its cluster membership: wait for both.
    private async Task WaitForRunFiles(string stateDir, IReadOnlyList<ChildProcess> children, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (children.Any(c => ProcessRecord.Read(ProcessRecord.PathFor(stateDir, c.Name))?.Pid != c.Pid))
        {
            if (deadline.Elapsed > options.ReadyTimeout) throw new LaunchFailed("Some processes never reported their Akka address (run files missing).");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Reports processes that exit on their own, without restarting them: failures are the point.</summary>
    private async Task Supervise(string stateDir, IReadOnlyList<ChildProcess> children, CancellationToken ct)
    {
        var reported = new HashSet<int>();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var record in ProcessesFile.FromRunFiles(stateDir))
                    if (!Signals.IsKubeEmu(record.Pid) && reported.Add(record.Pid))
                        output.WriteLine($"{DateTime.Now:HH:mm:ss} {record.Name} (pid {record.Pid}) is not running. Start it again with: {Quote(record.Command)}");
                await Task.Delay(1000, ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void PrintSummary(string stateDir)
    {
        var records = ProcessesFile.FromRunFiles(stateDir);
        var rows = new List<string[]> { new[] { "NAME", "PID", "AKKA ADDRESS", "ROLE" } };
        rows.AddRange(records.Select(r => new[] { r.Name, r.Pid.ToString(), r.AkkaAddress, r.Role }));
        var widths = Enumerable.Range(0, 4).Select(i => rows.Max(r => r[i].Length)).ToArray();
        output.WriteLine();
        foreach (var row in rows)
            output.WriteLine(string.Join("   ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))));
        output.WriteLine();
        var apis = records.Where(r => r.ApiUrl is not null).OrderBy(r => r.Name == ControlPlaneNames.First ? 0 : 1).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        output.WriteLine($"KubeEmu is up: {options.Nodes} node(s) Ready, timing profile \"{options.Profile}\", API {apis.FirstOrDefault()?.ApiUrl}");
        if (apis.Count > 1)
            output.WriteLine($"Every control plane serves the API (the kubeconfig names the first): {string.Join(", ", apis.Select(r => $"{r.Name} {r.ApiUrl}"))}");
        output.WriteLine($"Processes and their command lines: {ProcessesFile.PathIn(stateDir)}");
        output.WriteLine("Point kubectl at it with:");
        output.WriteLine();
        output.WriteLine($"  export KUBECONFIG={Kubeconfig.PathIn(stateDir)}");
        output.WriteLine();
    }

    private static string ControlPlanesText(int count) => count == 1 ? "1 control plane" : $"{count} control planes";

    private static ApiProbe Probe(string stateDir, string apiUrl) =>
        new(apiUrl, File.ReadAllText(ServingCertificates.CaPath(stateDir)), BearerToken.ReadOrCreate(Path.Combine(stateDir, "token")));

    private static IReadOnlyList<ProcessRecord> Records(string stateDir, IEnumerable<ChildProcess> children) =>
        children.Select(c => new ProcessRecord(c.Name, c.Role, c.Pid, "", null, c.Command)).ToArray();

    private static void ClearStaleRunFiles(string stateDir)
    {
        foreach (var record in ProcessesFile.FromRunFiles(stateDir)) ProcessRecord.Delete(stateDir, record.Name);
    }

    /// <summary>The process's own one-line reason when it gave one, else its log's tail.</summary>
    private static LaunchFailed Died(ChildProcess process) =>
        process.StartupFailureReason() is { } reason
            ? new($"{process.Name} (pid {process.Pid}) could not start: {reason} (log: {process.LogPath})")
            : new($"{process.Name} (pid {process.Pid}) exited during start-up. Last lines of {process.LogPath}:\n{process.LogTail()}");

    private static string Quote(IEnumerable<string> args) =>
        string.Join(' ', args.Select(a => a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$') ? $"'{a.Replace("'", "'\\''")}'" : a));

    private sealed class LaunchFailed(string message) : Exception(message);
}

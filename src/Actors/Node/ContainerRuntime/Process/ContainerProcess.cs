using Akka.KubeEmu.Actors.Node.Network.Udp;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>Where a container's output goes: its log (the node's CRI log file).</summary>
public interface IContainerOutput
{
    void Write(DateTimeOffset at, bool stderr, string text);
}

/// <summary>What a container's process starts from.</summary>
/// <param name="Argv">command + args (args alone: the image's entrypoint execs them); empty: the image's default.</param>
/// <param name="Image">The image's catalog entry.</param>
/// <param name="Environment">PATH, HOSTNAME, the container's env (resolved), the service variables.</param>
/// <param name="Hostname">The pod's hostname.</param>
/// <param name="MustFinish">Init container, or restartPolicy Never/OnFailure: programs we cannot see end after a while.</param>
/// <param name="StdinOpen">The container keeps stdin open: shells and `cat` wait for input.</param>
/// <param name="DeclaredPorts">The container's ports: where a program we cannot see listens.</param>
public sealed record ProcessSpec(
    IReadOnlyList<string> Argv,
    CatalogImage Image,
    IReadOnlyDictionary<string, string> Environment,
    string Hostname,
    bool MustFinish,
    bool StdinOpen,
    IReadOnlyList<int> DeclaredPorts,
    ContainerNetwork? Network = null)
{
    /// <summary>The image's name without registry and tag (nginx): the name its default program runs under.</summary>
    public string? ImageName { get; init; }

    /// <summary>The image's tag (null: latest): busybox up to 1.28 has the old nslookup.</summary>
    public string? ImageTag { get; init; }

    /// <summary>
    /// With the pod's shareProcessNamespace: the running processes of all its containers, in order
    /// (`ps` lists them all). Null: the container has a PID namespace of its own.
    /// </summary>
    public Func<IReadOnlyList<ContainerProcess>>? SharedProcessNamespace { get; init; }

    /// <summary>The container has a terminal (tty: true): its program's stdout is one.</summary>
    public bool Tty { get; init; }

    /// <summary>
    /// The shared namespace is the pod's, whose PID 1 is the sandbox's pause; false for an ephemeral
    /// container that joined its target's namespace, where the target's program is PID 1.
    /// </summary>
    public bool PauseInProcessNamespace { get; init; } = true;
}

/// <summary>The result of running a command in a container (an exec probe).</summary>
/// <param name="TimedOut">It did not finish within the timeout (or never would).</param>
public sealed record ExecResult(int ExitCode, string Output, bool TimedOut)
{
    /// <summary>The virtual time the command slept through (it runs at once; a hook's duration counts it).</summary>
    public TimeSpan Took { get; init; }
}

/// <summary>
/// A container's simulated process over virtual time: its script (or the image's program) runs
/// lazily, step by step, when the pod worker advances it to "now"; between steps nothing is
/// computed, and a process that waits forever (a server, `sleep infinity`) has no next step at
/// all. Background jobs (`cmd &amp;`) are further step sequences of the same process.
/// </summary>
public sealed class ContainerProcess : IShellHost
{
    private readonly ProcessSpec _spec;
    private readonly IContainerOutput _output;
    private readonly List<Job> _jobs = [];
    private readonly Dictionary<int, bool> _ports = [];
    private readonly Dictionary<int, UdpServer> _udpPorts = [];
    private readonly CancellationTokenSource _network = new();
    private readonly List<Task> _newWaits = [];
    private DateTimeOffset _clock;

    public ContainerProcess(ProcessSpec spec, ContainerFileSystem files, IContainerOutput output, DateTimeOffset startedAt)
    {
        _spec = spec;
        _output = output;
        Files = files;
        _clock = startedAt;
        var shell = new ShellInterpreter(this, new Dictionary<string, string>(spec.Environment, StringComparer.Ordinal),
            new LogOutput(this, false), new LogOutput(this, true));
        // The container's stdin pipe (stdin: true): what reads it waits until an attached client closes it.
        if (spec.StdinOpen) shell.PendingStdin = Stdin = new PendingStdin();
        if (spec.Tty) shell.Terminal = shell.Stdout;
        _jobs.Add(new Job(shell, Main(shell).GetEnumerator()) { DueAt = startedAt });
    }

    public ContainerFileSystem Files { get; }

    /// <summary>What runs as PID 1: command + args, or the image's default command.</summary>
    public IReadOnlyList<string> Program => _spec.Argv.Count > 0 ? _spec.Argv : _spec.Image.Command ?? [];

    /// <summary>The image's catalog entry: where its server serves files from.</summary>
    public CatalogImage Image => _spec.Image;

    public DateTimeOffset Now => _clock;

    public string Hostname => _spec.Hostname;

    public bool MustFinish => _spec.MustFinish;

    public bool StdinOpen => _spec.StdinOpen;

    /// <summary>The pod's network as the container sees it (a server that asks other pods: a MySQL replica).</summary>
    internal ContainerNetwork? Network => _spec.Network;

    /// <summary>The container's stdin while it is open (stdin: true): kubectl attach -i writes to it.</summary>
    internal PendingStdin? Stdin { get; }

    /// <summary>When the process next does something by itself; null: never (it waits or has exited).</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            DateTimeOffset? min = null;
            if (Exited) return null;
            foreach (var j in _jobs)
                if (j.DueAt is { } t && (min is null || t < min)) min = t;
            return min;
        }
    }

    public bool Exited { get; private set; }

    public int ExitCode { get; private set; }

    public DateTimeOffset ExitedAt { get; private set; }

    /// <summary>The name the main process runs under: its command's program, else the image's own.</summary>
    public string? MainName => Program.Count > 0 ? System.IO.Path.GetFileName(Program[0]) : _spec.ImageName;

    /// <summary>The main process ends now (stopped from an exec'd command): the kubelet sees the container exit.</summary>
    internal void Terminate(int exitCode, DateTimeOffset at)
    {
        if (Exited) return;
        Flush();
        StopNetwork();
        Exited = true;
        ExitCode = exitCode;
        ExitedAt = at < _clock ? _clock : at;
    }

    /// <summary>Ports something listens on, and whether it speaks HTTP there.</summary>
    public IReadOnlyDictionary<int, bool> Ports => _ports;

    /// <summary>UDP ports something answers datagrams on, and which server.</summary>
    public IReadOnlyDictionary<int, UdpServer> UdpPorts => _udpPorts;

    /// <summary>What its server answers for a path: 200 where the image serves something, else 404.</summary>
    public int HttpStatus(string path)
    {
        var clean = path.Split('?')[0];
        if (_spec.Image.HttpPaths.Count == 0 || _spec.Image.HttpPaths.Contains(clean)) return 200;
        if (_spec.Image.HttpRoot is { } root && Files.FileExists(root.TrimEnd('/') + clean)) return 200;
        return 404;
    }

    /// <summary>
    /// Runs what is due up to <paramref name="now"/> and sets the process's clock there, for a command
    /// exec'd now: its `date`, and the exit time of a main program it stops (`kill 1`), are now, not
    /// the time of the program's last step.
    /// </summary>
    public void CatchUp(DateTimeOffset now)
    {
        Advance(now);
        if (!Exited && now > _clock) _clock = now;
    }

    /// <summary>Runs every step due up to <paramref name="now"/>, in time order.</summary>
    public void Advance(DateTimeOffset now)
    {
        while (!Exited)
        {
            Job? next = null;
            foreach (var j in _jobs)
                if (j.DueAt is { } t && t <= now && (next is null || t < next.DueAt)) next = j;
            if (next is null) return;
            _clock = next.DueAt!.Value;
            Step(next);
        }
    }

    private void Step(Job job)
    {
        job.DueAt = null;
        job.Shell.Spin = 0;
        if (!job.Steps.MoveNext())
        {
            job.Done = true;
            if (job == _jobs[0])
            {
                Flush();
                StopNetwork();
                Exited = true;
                ExitCode = job.Shell.Status;
                ExitedAt = _clock;
                return;
            }
            WakeWaiter();
            return;
        }
        switch (job.Steps.Current)
        {
            case ProcessStep.Sleep sleep:
                job.DueAt = _clock + sleep.For;
                break;
            case ProcessStep.Await wait:
                // Not due until the network has answered (ResumeAnswered).
                job.Pending = wait.Task;
                _newWaits.Add(wait.Task);
                break;
            case ProcessStep.Block:
                job.Blocked = true;
                break;
            case ProcessStep.WaitJobs:
                job.Waiting = true;
                WakeWaiter();
                break;
        }
    }

    /// <summary>Network answers the process started waiting for since the last call: its owner resumes it when each completes.</summary>
    public IReadOnlyList<Task> TakeNewWaits()
    {
        if (_newWaits.Count == 0) return [];
        var waits = _newWaits.ToArray();
        _newWaits.Clear();
        return waits;
    }

    /// <summary>Jobs whose network answer has come are due at <paramref name="now"/> (Advance runs them).</summary>
    public void ResumeAnswered(DateTimeOffset now)
    {
        foreach (var j in _jobs)
            if (j.Pending is { IsCompleted: true })
            {
                j.Pending = null;
                j.DueAt = now > _clock ? now : _clock;
            }
    }

    /// <summary>The process is gone (exit, kill): requests still waiting are abandoned.</summary>
    public void StopNetwork() => _network.Cancel();

    private void WakeWaiter()
    {
        if (_jobs.Skip(1).Any(j => !j.Done)) return;
        foreach (var j in _jobs)
            if (j.Waiting)
            {
                j.Waiting = false;
                j.DueAt = _clock;
            }
    }

    private void Flush()
    {
        foreach (var j in _jobs) j.Shell.Stdout.Write("");
        if (_output is IFlushable f) f.Flush(_clock);
    }

    private IEnumerable<ProcessStep> Main(ShellInterpreter shell)
    {
        var argv = _spec.Argv.Count > 0 ? _spec.Argv.ToArray() : _spec.Image.Command?.ToArray() ?? [];
        if (argv.Length == 0) return ImageProgram(shell);
        return shell.Command(argv);
    }

    /// <summary>The image's own program: its start-up lines, its ports, then serve until stopped (or run and exit).</summary>
    private IEnumerable<ProcessStep> ImageProgram(ShellInterpreter shell)
    {
        WriteImageLines(shell);
        if (_spec.Image.Behaviour == ImageBehaviour.Serve)
        {
            ListenOnImagePorts();
            yield return ProcessStep.Block.Instance;
            yield break;
        }
        if (_spec.Image.RunSeconds > 0) yield return new ProcessStep.Sleep(TimeSpan.FromSeconds(_spec.Image.RunSeconds));
        shell.Exit(_spec.Image.ExitCode);
    }

    private void WriteImageLines(ShellInterpreter shell)
    {
        foreach (var line in _spec.Image.Logs)
        {
            var stderr = line.StartsWith("stderr:", StringComparison.Ordinal);
            var text = (stderr ? line["stderr:".Length..].TrimStart() : line)
                .Replace("{time}", _clock.UtcDateTime.ToString("yyyy/MM/dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture))
                .Replace("{hostname}", _spec.Hostname);
            (stderr ? shell.Stderr : shell.Stdout).Write(text + "\n");
        }
    }

    private void ListenOnImagePorts()
    {
        foreach (var p in _spec.Image.Ports) _ports[p] = true;
        foreach (var p in _spec.DeclaredPorts) _ports.TryAdd(p, true);
    }

    IEnumerable<ProcessStep> IShellHost.RunUnknown(ShellInterpreter shell, string[] argv)
    {
        var program = _spec.ImageName switch
        {
            "agnhost" => Programs.Agnhost.Run(shell, argv),
            "coredns" => Programs.CoreDns.Run(shell, argv),
            _ => null,
        };
        if (program is not null)
        {
            foreach (var step in program) yield return step;
            yield break;
        }
        if (_spec.MustFinish)
        {
            yield return new ProcessStep.Sleep(ProgramTimes.UnknownCommand);
            shell.Status = 0;
            yield break;
        }
        // A program we cannot see that runs until stopped: in a serving image it is that image's
        // server (nginx -g 'daemon off;'), so it prints the image's lines and listens where it does.
        if (_spec.Image.Behaviour == ImageBehaviour.Serve) WriteImageLines(shell);
        ListenOnImagePorts();
        yield return ProcessStep.Block.Instance;
    }

    void IShellHost.Listen(int port, bool http) => _ports[port] = http;

    void IShellHost.ListenUdp(int port, UdpServer server) => _udpPorts[port] = server;

    /// <summary>
    /// busybox up to 1.28 (and radial/busyboxplus, built on 1.22) has the nslookup that prints
    /// `Address 1: ip name`; 1.29 rewrote it. The Kubernetes docs' DNS examples use busybox:1.28.
    /// </summary>
    internal bool HasLegacyNslookup => _spec.ImageName switch
    {
        "busyboxplus" => true,
        "busybox" => _spec.ImageTag is { } tag && tag.Split('.', '-') is [ "1", var minor, ..] && int.TryParse(minor, out var m) && m <= 28,
        _ => false,
    };

    /// <summary>The pod's containers when they share one PID namespace; null otherwise.</summary>
    internal Func<IReadOnlyList<ContainerProcess>>? SharedProcessNamespace => _spec.SharedProcessNamespace;

    internal bool PauseInProcessNamespace => _spec.PauseInProcessNamespace;

    /// <summary>PID 1 (the container's program) and its background jobs, as `ps` lists them.</summary>
    IReadOnlyList<string> IShellHost.Processes =>
        [PsCommand, .. Enumerable.Repeat(string.Join(' ', Program), _jobs.Skip(1).Count(j => !j.Done))];

    // The image's own program (no command in the pod, none in the catalog) shows as the image says, or by its name.
    private string PsCommand => Program.Count > 0 ? string.Join(' ', Program) : _spec.Image.Process ?? _spec.ImageName ?? "sh";
    ContainerNetwork? IShellHost.Network => _spec.Network;
    ContainerProcess? IShellHost.Container => this;

    // The container's own program (and its background jobs) may wait for the network: the pod worker resumes it.
    CancellationToken? IShellHost.Waits => _spec.Network?.Cluster is null ? null : _network.Token;

    void IShellHost.StartJob(ShellInterpreter job, ShellNode node) =>
        _jobs.Add(new Job(job, job.Run(node).GetEnumerator()) { DueAt = _clock });

    /// <summary>Runs a command in the container (exec probe) at once: its output and exit code, or a timeout.</summary>
    public ExecResult Exec(IReadOnlyList<string> argv, TimeSpan timeout, DateTimeOffset now)
    {
        var output = new StringOutput();
        var host = new ExecHost(this, now);
        var shell = new ShellInterpreter(host, new Dictionary<string, string>(_spec.Environment, StringComparer.Ordinal), output, output);
        var spent = TimeSpan.Zero;
        if (argv.Count == 0) return new ExecResult(126, "", false);
        foreach (var step in shell.Command(argv.ToArray()))
        {
            if (step is ProcessStep.Sleep s) spent += s.For;
            if (step is ProcessStep.Block || spent >= timeout) return new ExecResult(-1, output.Text.ToString(), true) { Took = timeout };
        }
        return new ExecResult(shell.Status, output.Text.ToString(), false) { Took = spent };
    }

    /// <summary>
    /// A shell for a command exec'd into the container (kubectl exec): the container's files,
    /// environment and hostname, its own outputs. A program the image has (<paramref name="programExists"/>)
    /// but we cannot see succeeds at once; one it does not have is the shell's `not found` (127).
    /// </summary>
    internal ShellInterpreter ExecShell(IShellOutput stdout, IShellOutput stderr, CancellationToken? waits = null, Func<string, bool>? programExists = null) =>
        new(new ExecHost(this, _clock, waits, programExists), new Dictionary<string, string>(_spec.Environment, StringComparer.Ordinal), stdout, stderr);

    private sealed class Job(ShellInterpreter shell, IEnumerator<ProcessStep> steps)
    {
        public ShellInterpreter Shell { get; } = shell;
        public IEnumerator<ProcessStep> Steps { get; } = steps;
        public DateTimeOffset? DueAt { get; set; }
        public bool Blocked { get; set; }
        public bool Waiting { get; set; }
        public bool Done { get; set; }

        /// <summary>The network answer the job waits for.</summary>
        public Task? Pending { get; set; }
    }

    private sealed class LogOutput(ContainerProcess process, bool stderr) : IShellOutput
    {
        public void Write(string text)
        {
            if (text.Length > 0) process._output.Write(process._clock, stderr, text);
        }
    }

    /// <summary>An exec'd command: the container's files and time, but no jobs or listeners of its own; opaque programs succeed at once.</summary>
    private sealed class ExecHost(ContainerProcess process, DateTimeOffset now, CancellationToken? waits = null, Func<string, bool>? programExists = null) : IShellHost
    {
        public DateTimeOffset Now => now;
        public ContainerFileSystem Files => process.Files;
        public string Hostname => process.Hostname;
        public bool MustFinish => true;
        public bool StdinOpen => false;

        public IEnumerable<ProcessStep> RunUnknown(ShellInterpreter shell, string[] argv)
        {
            if (ExecSignals.Run(process, argv, now, shell.Stderr) is { } status) shell.Status = status;
            else if (programExists is not null && !programExists(argv[0])) shell.Status = NotFound(shell, argv[0]);
            else shell.Status = 0;
            return [];
        }

        // busybox ash and bash word a missing program differently; both exit 127.
        private static int NotFound(ShellInterpreter shell, string program)
        {
            shell.Stderr.Write(shell.ShellName == "bash" ? $"bash: {program}: command not found\n" : $"sh: {program}: not found\n");
            return 127;
        }

        public void Listen(int port, bool http) { }

        public void StartJob(ShellInterpreter job, ShellNode node) { }

        public IReadOnlyList<string> Processes => ((IShellHost)process).Processes;
        public ContainerNetwork? Network => process._spec.Network;
        public ContainerProcess? Container => process;

        public int? Kill(ShellInterpreter shell, string[] args) => ExecSignals.KillPid(process, args, now, shell.Stderr);
        public CancellationToken? Waits => waits;
    }
}

/// <summary>An output that holds an unfinished line until the process ends.</summary>
public interface IFlushable
{
    void Flush(DateTimeOffset at);
}

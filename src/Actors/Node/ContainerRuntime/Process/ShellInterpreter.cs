using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>What a running script needs from its container: time, files, the network, jobs.</summary>
internal interface IShellHost
{
    DateTimeOffset Now { get; }

    ContainerFileSystem Files { get; }

    string Hostname { get; }

    /// <summary>Init containers and restartPolicy Never/OnFailure pods: programs we cannot see end after a while.</summary>
    bool MustFinish { get; }

    bool StdinOpen { get; }

    /// <summary>A program we cannot see: the image's server when the image serves, else an opaque program.</summary>
    IEnumerable<ProcessStep> RunUnknown(ShellInterpreter shell, string[] argv);

    /// <summary>A port the container's programs listen on from now on.</summary>
    void Listen(int port, bool http);

    /// <summary>A UDP port the container's programs answer datagrams on from now on.</summary>
    void ListenUdp(int port, Network.Udp.UdpServer server) { }

    void StartJob(ShellInterpreter job, ShellNode node);

    /// <summary>The container's processes for `ps`: PID 1's command line first, then the others running.</summary>
    IReadOnlyList<string> Processes { get; }
    /// <summary>The cluster DNS and the pod's own servers, as the container's network sees them.</summary>
    ContainerNetwork? Network => null;

    /// <summary>The container the script runs in: netstat shows the programs of its own PID namespace only.</summary>
    ContainerProcess? Container => null;

    /// <summary>
    /// `kill` of a process the host can signal (an exec'd command's `kill 1` reaches the container's
    /// main program); null: the builtin does nothing visible, as for a container's own script.
    /// </summary>
    int? Kill(ShellInterpreter shell, string[] args) => null;

    /// <summary>
    /// Set when whoever runs the script can wait for the network (<see cref="ProcessStep.Await"/>):
    /// an exec session, whose end cancels the token. Null: commands must finish at once.
    /// </summary>
    CancellationToken? Waits => null;
}

/// <summary>
/// Runs a parsed script over virtual time, lazily: <see cref="Run"/> is an iterator that does
/// everything up to the next sleep (output, files, variables) and then yields, so an endless
/// `while true; do echo hi; sleep 5; done` costs one step per iteration and nothing between.
/// A POSIX sh of the size container commands need (busybox wording in error messages).
/// </summary>
internal sealed partial class ShellInterpreter
{
    /// <summary>Commands run without any time passing before the script counts as spinning (a busy loop).</summary>
    private const int SpinLimit = 20_000;

    private readonly IShellHost _host;
    private int _depth;
    private int _breakLevels;
    private bool _continue;

    public ShellInterpreter(IShellHost host, Dictionary<string, string> variables, IShellOutput stdout, IShellOutput stderr)
    {
        _host = host;
        Variables = variables;
        Stdout = stdout;
        Stderr = stderr;
    }

    public Dictionary<string, string> Variables { get; }

    public IShellOutput Stdout { get; private set; }

    public IShellOutput Stderr { get; private set; }

    /// <summary>What the current command reads on stdin; null: nothing (an empty, closed stdin unless the container keeps one open).</summary>
    public string? Stdin { get; internal set; }

    /// <summary>An exec's stdin the client has not closed yet: a command that reads stdin waits for it.</summary>
    internal PendingStdin? PendingStdin { get; set; }

    /// <summary>The terminal the shell runs on (tty: true, kubectl exec -t); null: none.</summary>
    internal IShellOutput? Terminal { get; set; }

    /// <summary>isatty(1): stdout is still the terminal, not a pipe or a file.</summary>
    internal bool StdoutIsTerminal => Terminal is not null && ReferenceEquals(Stdout, Terminal);

    public int Status { get; set; }

    public bool Exited { get; private set; }

    public string Cwd { get; private set; } = "/";

    public string[] Positional { get; set; } = [];

    public int LastBackgroundPid { get; private set; }

    /// <summary>Commands since time last moved; reset by the process after every step.</summary>
    public int Spin { get; set; }

    internal IShellHost Host => _host;

    /// <summary>Command substitutions run so far: an assignment's status is its substitution's.</summary>
    private int _substitutions;

    private bool Interrupted => Exited || _breakLevels > 0 || _continue;

    /// <summary>A copy for a subshell or a background job: same variables (copied), same outputs.</summary>
    public ShellInterpreter Fork() => new(_host, new Dictionary<string, string>(Variables), Stdout, Stderr)
    {
        Cwd = Cwd,
        Positional = Positional,
        Stdin = Stdin,
        PendingStdin = PendingStdin,
        Terminal = Terminal,
        Status = Status,
        ErrExit = ErrExit,
        XTrace = XTrace,
        TraceLevel = TraceLevel,
        ShellName = ShellName,
        Synchronous = Synchronous,
    };

    public void Exit(int code)
    {
        Status = code & 255;
        Exited = true;
    }

    public IEnumerable<ProcessStep> Run(ShellNode node)
    {
        if (++_depth > 100)
        {
            Stderr.Write("sh: recursion too deep\n");
            Exit(2);
            _depth--;
            yield break;
        }
        foreach (var step in Eval(node)) yield return step;
        _depth--;
    }

    private IEnumerable<ProcessStep> Eval(ShellNode node)
    {
        switch (node)
        {
            case ListNode list:
                foreach (var (item, background) in list.Items)
                {
                    if (background)
                    {
                        var job = Fork();
                        LastBackgroundPid = LastBackgroundPid == 0 ? 7 : LastBackgroundPid + 1;
                        _host.StartJob(job, item);
                        Status = 0;
                        continue;
                    }
                    foreach (var s in Run(item)) yield return s;
                    CheckErrExit(item);
                    if (Interrupted) yield break;
                }
                break;
            case AndOrNode andOr:
            {
                // Only the last command of an && / || list counts for set -e; the others are tested.
                _tested++;
                foreach (var s in Run(andOr.First)) yield return s;
                var lastRan = 0;
                for (var k = 0; k < andOr.Rest.Count; k++)
                {
                    if (Interrupted) break;
                    var (and, next) = andOr.Rest[k];
                    if (and != (Status == 0)) continue;
                    if (k == andOr.Rest.Count - 1) _tested--;
                    foreach (var s in Run(next)) yield return s;
                    if (k == andOr.Rest.Count - 1) _tested++;
                    lastRan = k + 1;
                }
                _tested--;
                if (lastRan == andOr.Rest.Count && andOr.Rest[^1].Node is SimpleNode or PipelineNode { Negated: false }) CheckErrExit(andOr.Rest[^1].Node);
                break;
            }
            case PipelineNode pipe:
                foreach (var s in Pipeline(pipe)) yield return s;
                break;
            case SimpleNode simple:
                foreach (var s in Simple(simple)) yield return s;
                break;
            case LoopNode loop:
                while (true)
                {
                    _tested++;
                    foreach (var s in Run(loop.Condition)) yield return s;
                    _tested--;
                    if (Exited) yield break;
                    if (loop.Until == (Status == 0)) break;
                    foreach (var s in Run(loop.Body)) yield return s;
                    if (Exited) yield break;
                    if (LoopControl()) break;
                    if (Spinning()) { yield return ProcessStep.Block.Instance; yield break; }
                }
                Status = 0;
                break;
            case ForNode loop:
                var items = loop.Items is null ? Positional.ToList() : loop.Items.SelectMany(Expand).ToList();
                Status = 0;
                foreach (var item in items)
                {
                    Variables[loop.Variable] = item;
                    foreach (var s in Run(loop.Body)) yield return s;
                    if (Exited) yield break;
                    if (LoopControl()) break;
                }
                break;
            case IfNode branch:
                foreach (var (condition, body) in branch.Branches)
                {
                    _tested++;
                    foreach (var s in Run(condition)) yield return s;
                    _tested--;
                    if (Interrupted) yield break;
                    if (Status != 0) continue;
                    foreach (var s in Run(body)) yield return s;
                    yield break;
                }
                if (branch.Else is not null)
                    foreach (var s in Run(branch.Else)) yield return s;
                else Status = 0;
                break;
        }
    }

    /// <summary>After a loop body: true when `break` ends this loop; `continue` just goes on.</summary>
    private bool LoopControl()
    {
        _continue = false;
        if (_breakLevels == 0) return false;
        _breakLevels--;
        return true;
    }

    private bool Spinning() => ++Spin > SpinLimit;

    private IEnumerable<ProcessStep> Pipeline(PipelineNode pipe)
    {
        // The parts run one after another here, each reading what the previous one wrote: the
        // same output, without concurrency; a part that never ends keeps the pipeline waiting.
        string? input = Stdin;
        var stdout = Stdout;
        for (var i = 0; i < pipe.Parts.Count; i++)
        {
            var last = i == pipe.Parts.Count - 1;
            var part = Fork();
            part.Stdin = input;
            var captured = new StringOutput();
            if (!last) part.Stdout = captured;
            else part.Stdout = stdout;
            foreach (var s in part.Run(pipe.Parts[i])) yield return s;
            Spin = part.Spin;
            Status = part.Status;
            input = captured.Text.ToString();
        }
        if (pipe.Negated) Status = Status == 0 ? 1 : 0;
    }

    private IEnumerable<ProcessStep> Simple(SimpleNode node)
    {
        if (Spinning())
        {
            yield return ProcessStep.Block.Instance;
            yield break;
        }
        var raw = node.Source;
        if (raw.Count > 1 && raw[0] == "[[" && raw[^1] == "]]" && !raw.Contains("("))
        {
            Conditional(raw);
            yield break;
        }
        var assignments = new List<(string Name, string Value)>();
        var words = new List<string>();
        var savedOut = Stdout;
        var savedErr = Stderr;
        var savedIn = Stdin;
        var substitutions = _substitutions;
        string? redirectError = null;
        for (var i = 0; i < raw.Count; i++)
        {
            var w = raw[i];
            if (HereDocument.Parse(w) is { } here)
            {
                Stdin = here.Quoted ? here.Body : ExpandHereDocument(here.Body);
                continue;
            }
            if (words.Count == 0 && Assignment().Match(w) is { Success: true } a)
            {
                assignments.Add((a.Groups[1].Value, ExpandSingle(w[(a.Length)..])));
                continue;
            }
            if (Redirection().Match(w) is { Success: true } r)
            {
                var target = r.Groups["target"].Value;
                if (target.Length == 0 && i + 1 < raw.Count) target = raw[++i];
                redirectError ??= Redirect(r.Groups["fd"].Value, r.Groups["op"].Value, ExpandSingle(target));
                continue;
            }
            words.AddRange(Expand(w));
        }
        try
        {
            if (redirectError is not null)
            {
                Stderr.Write(redirectError + "\n");
                Status = 1;
                yield break;
            }
            Trace(savedErr, assignments, words);
            if (words.Count == 0)
            {
                foreach (var (name, value) in assignments) Variables[name] = value;
                // An assignment alone has the status of its last command substitution (bash and sh).
                if (_substitutions == substitutions) Status = 0;
                yield break;
            }
            foreach (var s in Command(words.ToArray())) yield return s;
        }
        finally
        {
            Stdout = savedOut;
            Stderr = savedErr;
            Stdin = savedIn;
        }
    }

    /// <summary>Applies one redirection; the error text of a failed one.</summary>
    private string? Redirect(string fd, string op, string target)
    {
        if (op == "<")
        {
            var content = _host.Files.Read(target, Cwd);
            if (content is null) return $"sh: can't open {target}: no such file";
            Stdin = content;
            return null;
        }
        IShellOutput output;
        if (target.StartsWith('&'))
            output = target switch
            {
                "&1" => Stdout,
                "&2" => Stderr,
                _ => NullOutput.Instance,
            };
        else if (target is "/dev/null") output = NullOutput.Instance;
        else if (target is "/dev/stdout" or "/proc/1/fd/1") output = Stdout;
        else if (target is "/dev/stderr" or "/proc/1/fd/2") output = Stderr;
        else
        {
            var full = ContainerFileSystem.Normalize(target.StartsWith('/') ? target : Cwd.TrimEnd('/') + "/" + target);
            var parent = full[..Math.Max(1, full.LastIndexOf('/'))];
            if (!_host.Files.DirectoryExists(parent)) return $"sh: can't create {target}: nonexistent directory";
            var (tree, rel) = _host.Files.Resolve(full);
            if (op == ">" || op == ">|" || !tree.FileExists(rel)) tree.Write(rel, "", append: false);
            output = new FileOutput(_host.Files, full, "/");
        }
        switch (fd)
        {
            case "2": Stderr = output; break;
            case "&": Stdout = output; Stderr = output; break;
            default: Stdout = output; break;
        }
        return null;
    }

    internal void ChangeDirectory(string path) => Cwd = ContainerFileSystem.Normalize(path.StartsWith('/') ? path : Cwd.TrimEnd('/') + "/" + path);

    internal void Break(int levels) => _breakLevels = Math.Max(1, levels);

    internal void Continue() => _continue = true;

    internal IEnumerable<ProcessStep> RunScript(string script)
    {
        ShellNode tree;
        try
        {
            tree = ShellParser.Parse(script);
        }
        catch (ShellSyntaxException e)
        {
            Stderr.Write($"sh: syntax error: {e.Message}\n");
            Exit(2);
            yield break;
        }
        foreach (var s in Run(tree)) yield return s;
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^(?<fd>\d?|&)(?<op>>>|>\||>|<)(?<target>.*)$")]
    private static partial Regex Redirection();
}

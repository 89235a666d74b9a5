using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Exec;

/// <summary>Bytes the command wrote on one stream (1 stdout, 2 stderr).</summary>
public sealed record ExecChunk(int Stream, byte[] Data);

/// <summary>
/// One command exec'd into a running container (kubelet + containerd's exec): it runs in the
/// container's files, environment and hostname. What it does with stdin decides when it runs:
/// <list type="bullet">
/// <item>an interactive shell (`sh` with stdin, no script) runs each line as it arrives, with a
/// prompt and echo when it has a terminal;</item>
/// <item>any other command with stdin runs at once; where it reads stdin (`cat`, `read`, `sh -c
/// 'wc -l'`) it waits until the client closes it and reads all of it (`tar -xmf -` waits from the start);</item>
/// <item>without stdin it runs at once.</item>
/// </list>
/// Time does not pass inside: sleeps are added up (<see cref="Slept"/>) and the exit is reported
/// after them by the caller; a command that waits forever (<see cref="Blocked"/>) runs until the
/// client goes. A command that talks to another pod (curl to a Service) pauses at that point
/// (<see cref="Waiting"/>) and goes on when the caller calls <see cref="Resume"/>. Output is collected
/// and taken with <see cref="TakeOutput"/>.
/// </summary>
public sealed class ExecSession
{
    private readonly ContainerProcess _process;
    private readonly IReadOnlyList<string> _argv;
    private readonly bool _tty;
    private readonly string? _imageRepository;
    private readonly string _execId;
    private readonly List<ExecChunk> _output = [];
    private readonly MemoryStream _stdin = new();
    private readonly StringBuilder _line = new();
    private readonly bool _stdinWanted;
    private readonly CancellationTokenSource _cancel = new();
    private ShellInterpreter? _interactive;
    private PendingStdin? _pending;

    // The script being driven, and what to do once it has run to its end; kept across a wait for the network.
    private IEnumerator<ProcessStep>? _steps;
    private ShellInterpreter? _stepsShell;
    private Action? _then;

    // Input that arrived while a line waited for the network: it runs after that line, in order.
    private readonly StringBuilder _held = new();
    private bool _closeHeld;

    public ExecSession(ContainerProcess process, IReadOnlyList<string> argv, bool stdin, bool tty, string? imageRepository, string execId)
    {
        _process = process;
        _argv = argv;
        _stdinWanted = stdin;
        _tty = tty;
        _imageRepository = imageRepository;
        _execId = execId;
    }

    /// <summary>The exit code once the command has ended.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Why the command could not run (the runtime's error); it has then ended too.</summary>
    public string? Error { get; private set; }

    /// <summary>The command waits for something that never comes: it ends only when the client goes.</summary>
    public bool Blocked { get; private set; }

    /// <summary>The time its sleeps would have taken.</summary>
    public TimeSpan Slept { get; private set; }

    public bool Ended => ExitCode is not null || Error is not null;

    /// <summary>
    /// The network answer the command waits for (curl to a Service): the caller calls <see cref="Resume"/>
    /// once it has completed, from its own thread, so that the actor running the session never blocks.
    /// </summary>
    public Task? Waiting { get; private set; }

    /// <summary>The client went or the container ended: pending network waits are abandoned.</summary>
    public void Cancel() => _cancel.Cancel();

    /// <summary>
    /// kubectl attach: an interactive shell waiting on its open stdin takes the client's input
    /// (the session is that shell: true). To any other program the client is a reader of the
    /// container's output and a writer of its stdin, which the caller connects (false); the
    /// session itself then runs nothing.
    /// </summary>
    public bool Attach()
    {
        if (_stdinWanted && IsInteractiveShell())
        {
            Start();
            return true;
        }
        Blocked = true;
        return false;
    }

    public void Start()
    {
        var program = _argv[0];
        if (!ProgramExists(program))
        {
            Error = ExecLookup.NotFound(program, _execId);
            return;
        }
        if (_stdinWanted && IsInteractiveShell())
        {
            _interactive = Shell();
            Prompt();
            return;
        }
        if (!_stdinWanted) Run(null);
        else if (ExecTar.Parse(_argv) is null) Run(null, _pending = new PendingStdin());
    }

    /// <summary>The runtime's $PATH lookup, also for what a shell started by the exec runs.</summary>
    private bool ProgramExists(string program) => ExecLookup.Exists(program, _imageRepository, _process.Files);

    /// <summary>Bytes from the client's stdin.</summary>
    public void Input(byte[] data)
    {
        if (Ended || Blocked || !_stdinWanted) return;
        if (_interactive is null)
        {
            _stdin.Write(data);
            return;
        }
        var text = Encoding.UTF8.GetString(data);
        if (_tty) Emit(1, text.Replace("\r", "\r\n"), translate: false);
        Feed(text);
    }

    /// <summary>Typed text for the interactive shell: each complete line runs, one after the other.</summary>
    private void Feed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (Waiting is not null)
            {
                _held.Append(text, i, text.Length - i);
                return;
            }
            var ch = text[i];
            if (ch == '\u0004' && _tty && _line.Length == 0)
            {
                // Ctrl-D on an empty line: end of input, as the terminal's line discipline says.
                CloseInput();
                return;
            }
            if (ch is '\n' or '\r')
            {
                var line = _line.ToString();
                _line.Clear();
                RunLine(line, prompt: true);
                if (Ended || Blocked) return;
            }
            else _line.Append(ch);
        }
    }

    /// <summary>The network answer <see cref="Waiting"/> stood for has come: the script goes on, then held input.</summary>
    public void Resume()
    {
        if (Waiting is null || Ended) return;
        Waiting = null;
        Continue();
        if (Waiting is not null || Ended || Blocked) return;
        var held = _held.ToString();
        _held.Clear();
        Feed(held);
        if (Waiting is not null || Ended || Blocked || !_closeHeld) return;
        _closeHeld = false;
        CloseInput();
    }

    /// <summary>The client closed stdin: a waiting command runs now; an interactive shell exits.</summary>
    public void CloseInput()
    {
        if (Ended || Blocked || !_stdinWanted) return;
        if (_pending is { } pending)
        {
            // A reader waiting for it goes on now (the worker's later resume for the same wait is then a no-op).
            var waiting = Waiting;
            pending.Close(Encoding.UTF8.GetString(_stdin.ToArray()));
            if (waiting is not null && waiting == pending.Closed) Resume();
            return;
        }
        if (Waiting is not null)
        {
            _closeHeld = true;
            return;
        }
        if (_interactive is null)
        {
            Run(_stdin.ToArray());
            return;
        }
        var shell = _interactive;
        var line = _line.ToString();
        _line.Clear();
        if (line.Length > 0) RunLine(line, prompt: false);
        if (Waiting is not null) _closeHeld = true;
        else if (!Ended && !Blocked) ExitCode = shell.Status;
    }

    public IReadOnlyList<ExecChunk> TakeOutput()
    {
        if (_output.Count == 0) return [];
        var merged = _output.GroupBy(c => c.Stream).Select(g => new ExecChunk(g.Key, g.SelectMany(c => c.Data).ToArray())).ToArray();
        _output.Clear();
        return merged;
    }

    private bool IsInteractiveShell()
    {
        var name = Path.GetFileName(_argv[0]);
        if (name is not ("sh" or "bash" or "ash" or "dash" or "zsh" or "ksh")) return false;
        return _argv.Skip(1).All(a => a.StartsWith('-') && !a.Contains('c'));
    }

    private void Run(byte[]? stdin, PendingStdin? pending = null)
    {
        if (ExecTar.Parse(_argv) is { } tar)
        {
            RunTar(tar, stdin);
            return;
        }
        var shell = Shell();
        if (stdin is not null) shell.Stdin = Encoding.UTF8.GetString(stdin);
        shell.PendingStdin = pending;
        Drive(shell, shell.Command(_argv.ToArray()), () => ExitCode = shell.Status);
    }

    /// <summary>The command's shell: its output is the client's (one terminal with -t).</summary>
    private ShellInterpreter Shell()
    {
        var stdout = new ChunkOutput(this, 1);
        var shell = _process.ExecShell(stdout, new ChunkOutput(this, _tty ? 1 : 2), _cancel.Token, ProgramExists);
        if (_tty) shell.Terminal = stdout;
        return shell;
    }

    private void RunLine(string line, bool prompt)
    {
        var shell = _interactive!;
        if (line.Trim().Length == 0)
        {
            if (prompt) Prompt();
            return;
        }
        Drive(shell, shell.RunScript(line), () =>
        {
            if (shell.Exited) ExitCode = shell.Status;
            else if (prompt) Prompt();
        });
    }

    /// <summary>Runs the script until it ends (then <paramref name="then"/>), blocks for good, or waits for the network.</summary>
    private void Drive(ShellInterpreter shell, IEnumerable<ProcessStep> steps, Action then)
    {
        _steps = steps.GetEnumerator();
        _stepsShell = shell;
        _then = then;
        Continue();
    }

    private void Continue()
    {
        while (_steps!.MoveNext())
        {
            _stepsShell!.Spin = 0;
            switch (_steps.Current)
            {
                case ProcessStep.Sleep sleep:
                    Slept += sleep.For;
                    break;
                case ProcessStep.Block:
                    Blocked = true;
                    _steps = null;
                    return;
                case ProcessStep.Await wait:
                    Waiting = wait.Task;
                    return;
            }
        }
        _steps = null;
        var then = _then!;
        _then = null;
        then();
    }


    private void RunTar(TarCommand tar, byte[]? stdin)
    {
        var stderr = new ChunkOutput(this, _tty ? 1 : 2);
        if (tar.Create)
        {
            var archive = new MemoryStream();
            ExitCode = ExecTar.Create(_process.Files, tar, archive, stderr, _process.Now);
            if (archive.Length > 0) _output.Add(new ExecChunk(1, archive.ToArray()));
            return;
        }
        ExitCode = ExecTar.Extract(_process.Files, tar, stdin ?? [], stderr);
    }

    private void Prompt()
    {
        if (_tty && _interactive is not null) Emit(1, $"{_interactive.Cwd} # ", translate: false);
    }

    private void Emit(int stream, string text, bool translate)
    {
        if (text.Length == 0) return;
        // A terminal turns "\n" into "\r\n" (the tty's onlcr), and a tty has no separate stderr.
        if (translate && _tty) text = text.Replace("\r\n", "\n").Replace("\n", "\r\n");
        _output.Add(new ExecChunk(stream, Encoding.UTF8.GetBytes(text)));
    }

    private sealed class ChunkOutput(ExecSession session, int stream) : IShellOutput
    {
        public void Write(string text) => session.Emit(stream, text, translate: true);
    }
}

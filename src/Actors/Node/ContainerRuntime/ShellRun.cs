using System.Globalization;
using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

/// <summary>
/// Runs a parsed script in simulated time: sums the sleeps, follows exit codes through &amp;&amp;,
/// || and `exit`, and decides when a script never ends (a loop whose condition holds and whose
/// body neither exits nor breaks repeats identically forever).
/// </summary>
internal sealed partial class ShellRun(ProgramContext context)
{
    private static readonly HashSet<string> Shells = ["sh", "bash", "ash", "dash", "zsh", "ksh"];

    /// <summary>Commands that finish at once with status 0 as far as a container's life is concerned.</summary>
    private static readonly HashSet<string> Instant =
    [
        "echo", "printf", "date", "env", "printenv", "hostname", "ls", "pwd", "id", "whoami", "uname", "touch",
        "mkdir", "rm", "rmdir", "cp", "mv", "ln", "chmod", "chown", "test", "[", "[[", "wget", "curl", "nslookup",
        "dig", "host", "grep", "egrep", "fgrep", "sed", "awk", "head", "wc", "tee", "export", "set", "unset", "cd",
        "shift", "local", "readonly", "seq", "expr", "sort", "uniq", "cut", "tr", "basename", "dirname", "mktemp",
        "df", "du", "free", "ps", "mount", "umount", "sync", "kill", "stat", "find", "xargs", "base64", "md5sum",
        "sha256sum", "gzip", "gunzip", "tar", "ip", "ifconfig", "netstat", "route", "arp", "traceroute", "usleep",
        "logger", "clear", "type", "command", "hash", "umask", "ulimit", "source", ".", "eval", "nproc", "getent",
    ];

    /// <summary>Commands that, as PID 1, have no SIGTERM handler (the kernel ignores the signal for them).</summary>
    public static readonly HashSet<string> IgnoreSigtermAsPid1 =
        ["sleep", "tail", "ping", "yes", "cat", "read", "top", "watch", "nc", "netcat", "sh", "bash", "ash", "dash", "zsh", "ksh"];

    public TimeSpan Elapsed { get; private set; }
    public int Status { get; private set; }
    public bool Forever { get; private set; }
    public bool Exited { get; private set; }
    public bool TrapsSigterm { get; private set; }
    public int TrapExitCode { get; private set; } = 143;

    /// <summary>What `exec` replaced the shell with, which then is PID 1.</summary>
    public IReadOnlyList<string>? ExecTarget { get; private set; }

    private bool _break;
    private TimeSpan _backgroundUntil;
    private bool _backgroundForever;
    private int _depth;

    private bool Stopped => Forever || Exited || _break;

    public static bool IsShell(string command) => Shells.Contains(Path.GetFileName(command));

    public void Run(ShellNode node)
    {
        if (++_depth > 64) throw new ShellSyntaxException("nested too deeply");
        try
        {
            Eval(node);
        }
        finally
        {
            _depth--;
        }
    }

    private void Eval(ShellNode node)
    {
        switch (node)
        {
            case ListNode list:
                foreach (var (item, background) in list.Items)
                {
                    if (background) RunInBackground(item);
                    else Run(item);
                    if (Stopped) return;
                }
                break;
            case AndOrNode andOr:
                Run(andOr.First);
                foreach (var (and, next) in andOr.Rest)
                {
                    if (Stopped) return;
                    if (and == (Status == 0)) Run(next);
                }
                break;
            case PipelineNode pipe:
                EvalPipeline(pipe);
                break;
            case SimpleNode simple:
                Command(simple.Words);
                break;
            case LoopNode loop:
                Run(loop.Condition);
                if (Forever || Exited) return;
                if (loop.Until == (Status == 0))
                {
                    Status = 0;
                    return;
                }
                Run(loop.Body);
                if (_break)
                {
                    _break = false;
                    Status = 0;
                    return;
                }
                // Nothing here depends on state that changes between iterations: it repeats forever.
                if (!Exited) Forever = true;
                break;
            case ForNode loop:
                for (var i = 0; i < loop.Count && !Stopped; i++) Run(loop.Body);
                if (_break)
                {
                    _break = false;
                    Status = 0;
                }
                break;
            case IfNode branch:
                foreach (var (condition, body) in branch.Branches)
                {
                    Run(condition);
                    if (Stopped) return;
                    if (Status == 0)
                    {
                        Run(body);
                        return;
                    }
                }
                if (branch.Else is not null) Run(branch.Else);
                else Status = 0;
                break;
        }
    }

    private void EvalPipeline(PipelineNode pipe)
    {
        if (pipe.Parts.Count == 1)
            Run(pipe.Parts[0]);
        else
        {
            // The parts run side by side in subshells: the pipeline lasts as long as its longest part.
            var longest = TimeSpan.Zero;
            var forever = false;
            var status = 0;
            foreach (var part in pipe.Parts)
            {
                var sub = new ShellRun(context);
                sub.Run(part);
                longest = TimeSpan.FromTicks(Math.Max(longest.Ticks, sub.Elapsed.Ticks));
                forever |= sub.Forever;
                status = sub.Status;
            }
            Elapsed += longest;
            Forever |= forever;
            Status = status;
        }
        if (pipe.Negated && !Forever) Status = Status == 0 ? 1 : 0;
    }

    private void RunInBackground(ShellNode node)
    {
        var sub = new ShellRun(context);
        sub.Run(node);
        if (sub.Forever) _backgroundForever = true;
        else _backgroundUntil = TimeSpan.FromTicks(Math.Max(_backgroundUntil.Ticks, (Elapsed + sub.Elapsed).Ticks));
        Status = 0;
    }

    public void Command(IReadOnlyList<string> rawWords)
    {
        var words = Words(rawWords);
        if (words.Count == 0)
        {
            Status = 0;
            return;
        }
        var name = Path.GetFileName(words[0]);
        var args = words.Skip(1).ToArray();
        switch (name)
        {
            case "sleep":
                Sleep(args);
                break;
            case "exit" or "return":
                if (args.Length > 0 && int.TryParse(args[0], out var code)) Status = code & 255;
                Exited = true;
                break;
            case "true" or ":":
                Status = 0;
                break;
            case "false":
                Status = 1;
                break;
            case "break" or "continue":
                _break = true;
                break;
            case "trap":
                Trap(args);
                break;
            case "exec":
                if (args.Length == 0)
                {
                    Status = 0;
                    break;
                }
                ExecTarget = args;
                Command(args);
                if (!Forever) Exited = true;
                break;
            case "wait":
                if (_backgroundForever) Forever = true;
                else if (_backgroundUntil > Elapsed) Elapsed = _backgroundUntil;
                Status = 0;
                break;
            case "tail":
                if (args.Any(a => a is "-f" or "-F" || a.StartsWith("--follow", StringComparison.Ordinal))) Forever = true;
                Status = 0;
                break;
            case "ping":
                var count = Array.IndexOf(args, "-c");
                if (count >= 0 && count + 1 < args.Length && int.TryParse(args[count + 1], out var n)) Elapsed += TimeSpan.FromSeconds(Math.Max(0, n - 1));
                else Forever = true;
                Status = 0;
                break;
            case "yes" or "top" or "watch":
                Forever = true;
                break;
            case "nc" or "netcat":
                if (args.Any(a => a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal) && a.Contains('l'))) Forever = true;
                Status = 0;
                break;
            case "cat":
                if (args.All(a => a.StartsWith('-')) && context.Stdin) Forever = true;
                Status = 0;
                break;
            case "read":
                if (context.Stdin) Forever = true;
                else Status = 1; // end of input at once
                break;
            default:
                if (Shells.Contains(name)) NestedShell(args);
                else if (Instant.Contains(name)) Status = 0;
                else Unknown();
                break;
        }
    }

    private void NestedShell(string[] args)
    {
        if (ContainerProgram.ScriptOf(args) is { } script)
        {
            Run(ShellParser.Parse(script));
            return;
        }
        if (args.Any(a => !a.StartsWith('-'))) Unknown(); // sh some-script.sh: a program we cannot see
        else if (context.Stdin) Forever = true; // an interactive shell waits for input
        else Status = 0; // no terminal, empty stdin: the shell exits at once
    }

    private void Unknown()
    {
        if (context.MustFinish)
        {
            Elapsed += ProgramTimes.UnknownCommand;
            Status = 0;
        }
        else Forever = true;
    }

    private void Sleep(string[] args)
    {
        if (args.Length == 0)
        {
            Status = 1; // "sleep: missing operand"
            return;
        }
        var total = TimeSpan.Zero;
        foreach (var a in args)
        {
            if (a is "infinity" or "inf")
            {
                Forever = true;
                Status = 0;
                return;
            }
            if (ParseDuration(a) is not { } d)
            {
                Status = 1;
                return;
            }
            total += d;
        }
        Elapsed += total;
        Status = 0;
    }

    private void Trap(string[] args)
    {
        if (args.Length < 2) return;
        var signals = args.Skip(1).Select(s => s.ToUpperInvariant());
        if (!signals.Any(s => s is "TERM" or "SIGTERM" or "15")) return;
        TrapsSigterm = args[0] != "" && args[0] != "-";
        var exit = ExitInTrap().Match(args[0]);
        TrapExitCode = exit.Success ? (exit.Groups[1].Success ? int.Parse(exit.Groups[1].Value, CultureInfo.InvariantCulture) & 255 : 0) : 143;
    }

    public static TimeSpan? ParseDuration(string text)
    {
        var unit = text.Length > 0 && char.IsAsciiLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsAsciiLetter(text.Length > 0 ? text[^1] : ' ') ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value)) return null;
        var seconds = unit switch
        {
            's' => value,
            'm' => value * 60,
            'h' => value * 3600,
            'd' => value * 86400,
            _ => double.NaN,
        };
        return double.IsNaN(seconds) ? null : TimeSpan.FromSeconds(Math.Min(seconds, TimeSpan.MaxValue.TotalSeconds / 4));
    }

    /// <summary>Drops variable assignments before the command and redirections anywhere.</summary>
    private static List<string> Words(IReadOnlyList<string> raw)
    {
        var words = new List<string>(raw.Count);
        var commandSeen = false;
        for (var i = 0; i < raw.Count; i++)
        {
            var w = raw[i];
            if (!commandSeen && Assignment().IsMatch(w)) continue;
            var redirect = Redirection().Match(w);
            if (redirect.Success)
            {
                // ">" alone takes the next word as its target; ">/dev/null" or "2>&1" carry theirs.
                if (redirect.Groups["target"].Length == 0) i++;
                continue;
            }
            commandSeen = true;
            words.Add(w);
        }
        return words;
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^(\d*|&)(>>?|<<?|>\|)(?<target>.*)$")]
    private static partial Regex Redirection();

    [GeneratedRegex(@"\bexit(?:\s+(\d+))?")]
    private static partial Regex ExitInTrap();
}

/// <summary>What a program's behaviour depends on besides its command line.</summary>
/// <param name="MustFinish">Init containers and pods with restartPolicy Never/OnFailure: unknown commands end.</param>
/// <param name="Stdin">The container keeps stdin open (kubectl run -i): shells and `cat` wait for input.</param>
internal sealed record ProgramContext(bool MustFinish, bool Stdin);

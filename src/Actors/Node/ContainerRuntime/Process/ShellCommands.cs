using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// The commands: shell builtins and the busybox applets container commands use, with busybox's
// messages. What is not here is a program we cannot see (IShellHost.RunUnknown).
internal sealed partial class ShellInterpreter
{
    private static readonly HashSet<string> Shells = ["sh", "bash", "ash", "dash", "zsh", "ksh"];

    private static readonly HashSet<string> BinDirectories = ["/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "bin", "."];

    /// <summary>Commands that do nothing visible here and succeed.</summary>
    private static readonly HashSet<string> Quiet =
    [
        "set", "shopt", "cd", "umask", "ulimit", "hash", "sync", "chown", "ln", "kill", "logger", "clear",
        "local", "readonly", "trap", "usleep", "mount", "umount", "source", ".", "alias", "unalias", "type", "command",
    ];

    public IEnumerable<ProcessStep> Command(string[] argv)
    {
        // A path outside the bin directories is the image's own program (traefik/whoami's /whoami is
        // its server, not the applet), so it is not taken for the command of the same name.
        var name = !argv[0].Contains('/') ? argv[0] : BinDirectories.Contains(Path.GetDirectoryName(argv[0]) ?? "") ? Path.GetFileName(argv[0]) : argv[0];
        var args = argv[1..];
        if (Stdin is null && PendingStdin is { } pending && PendingStdin.ReadBy(name, args))
        {
            if (!pending.Closed.IsCompleted) yield return new ProcessStep.Await(pending.Closed);
            Stdin = pending.Take();
        }
        switch (name)
        {
            case "sleep":
                if (args.Length == 0)
                {
                    Stderr.Write("sleep: missing operand\n");
                    Status = 1;
                    yield break;
                }
                var total = TimeSpan.Zero;
                foreach (var a in args)
                {
                    if (a is "infinity" or "inf")
                    {
                        yield return ProcessStep.Block.Instance;
                        yield break;
                    }
                    if (ShellRun.ParseDuration(a) is not { } d)
                    {
                        Stderr.Write($"sleep: invalid number '{a}'\n");
                        Status = 1;
                        yield break;
                    }
                    total += d;
                }
                Status = 0;
                if (total > TimeSpan.Zero) yield return new ProcessStep.Sleep(total);
                yield break;
            case "exit":
                Exit(args.Length > 0 && int.TryParse(args[0], out var code) ? code : Status);
                yield break;
            case "return":
                Status = args.Length > 0 && int.TryParse(args[0], out var rc) ? rc & 255 : Status;
                yield break;
            case "break":
                Break(args.Length > 0 && int.TryParse(args[0], out var levels) ? levels : 1);
                yield break;
            case "continue":
                Continue();
                yield break;
            case "exec":
                if (args.Length == 0)
                {
                    Status = 0;
                    yield break;
                }
                foreach (var s in Command(args)) yield return s;
                if (!Exited) Exit(Status);
                yield break;
            case "wait":
                yield return ProcessStep.WaitJobs.Instance;
                Status = 0;
                yield break;
            case "tail" when args.Any(a => a is "-f" or "-F" || a.StartsWith("--follow", StringComparison.Ordinal)):
                Status = Tail(args.Where(a => a is not ("-f" or "-F") && !a.StartsWith("--follow", StringComparison.Ordinal)).ToArray());
                yield return ProcessStep.Block.Instance;
                yield break;
            case "ping":
                foreach (var s in Ping(args)) yield return s;
                yield break;
            case "yes":
                yield return ProcessStep.Block.Instance;
                yield break;
            case "nc" or "netcat" when args.Any(a => a.StartsWith('-') && a.Contains('l')):
                if (Option(args, "-p") is { } listen && int.TryParse(listen, out var port)) _host.Listen(port, http: false);
                else if (args.LastOrDefault() is { } lastArg && int.TryParse(lastArg, out var p2)) _host.Listen(p2, http: false);
                yield return ProcessStep.Block.Instance;
                yield break;
            case "httpd" when args.Contains("-f"):
                _host.Listen(Option(args, "-p") is { } hp && int.TryParse(hp, out var httpPort) ? httpPort : 80, http: true);
                yield return ProcessStep.Block.Instance;
                yield break;
            case "read":
                if (Stdin is null && _host.StdinOpen)
                {
                    yield return ProcessStep.Block.Instance;
                    yield break;
                }
                Status = Read(args);
                yield break;
            case "cat" when args.All(a => a.StartsWith('-')) && Stdin is null && _host.StdinOpen:
                yield return ProcessStep.Block.Instance;
                yield break;
            case "curl" or "wget" when _host.Network is { Local: not null } network && FetchOptions.Parse(name, args) is { Urls.Count: > 0 } fetch:
                foreach (var s in Fetch(fetch, network)) yield return s;
                yield break;
            case "eval":
                foreach (var s in RunScript(string.Join(' ', args))) yield return s;
                yield break;
            case "busybox" when args.Length > 0:
                foreach (var s in Command(args)) yield return s;
                yield break;
            case "env" when args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('='):
                foreach (var s in Command(args)) yield return s;
                yield break;
            case "timeout" when args.Length > 1:
                foreach (var s in Command(args[1..])) yield return s;
                yield break;
            case "nohup" when args.Length > 0:
                foreach (var s in Command(args)) yield return s;
                yield break;
            default:
                if (Shells.Contains(name))
                {
                    foreach (var s in Shell(name, args)) yield return s;
                    yield break;
                }
                if (name == "kill" && _host.Kill(this, args) is { } killed)
                {
                    Status = killed;
                    yield break;
                }
                if (Instant(name, args) is { } status)
                {
                    Status = status;
                    yield break;
                }
                if (Programs.SimulatedPrograms.Run(this, name, args) is { } program)
                {
                    foreach (var s in program) yield return s;
                    yield break;
                }
                foreach (var s in _host.RunUnknown(this, argv)) yield return s;
                yield break;
        }
    }

    private IEnumerable<ProcessStep> Shell(string name, string[] args)
    {
        if (ContainerProgram.ScriptOf(args) is { } script)
        {
            var sub = Fork();
            sub.ShellName = name == "bash" ? "bash" : "sh";
            // A new shell: options only from its own flags (bash -ex -c, sh -xc).
            sub.ErrExit = false;
            sub.XTrace = false;
            sub.TraceLevel = 1;
            foreach (var flag in args.TakeWhile(a => a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal)))
                if (flag.Replace("c", "") is { Length: > 1 } options) sub.Set([options]);
            var at = Array.IndexOf(args, script);
            sub.Positional = at >= 0 && at + 2 <= args.Length ? args[(at + 2)..] : [];
            foreach (var s in sub.RunScript(script)) yield return s;
            Status = sub.Status;
            yield break;
        }
        if (args.FirstOrDefault(a => !a.StartsWith('-')) is { } file)
        {
            if (_host.Files.Read(file, Cwd) is { } text)
            {
                var sub = Fork();
                foreach (var s in sub.RunScript(text)) yield return s;
                Status = sub.Status;
                yield break;
            }
            // A script the image has but we do not see: a program we cannot see.
            foreach (var s in _host.RunUnknown(this, args)) yield return s;
            yield break;
        }
        if (Stdin is { } input)
        {
            var sub = Fork();
            sub.Stdin = null;
            foreach (var s in sub.RunScript(input)) yield return s;
            Status = sub.Status;
            yield break;
        }
        if (_host.StdinOpen)
        {
            yield return ProcessStep.Block.Instance; // an interactive shell waits for input
            yield break;
        }
        Status = 0; // no terminal, empty stdin: the shell exits at once
    }

    private IEnumerable<ProcessStep> Ping(string[] args)
    {
        var host = args.LastOrDefault(a => !a.StartsWith('-')) ?? "";
        var count = Option(args, "-c") is { } c && int.TryParse(c, out var n) ? n : int.MaxValue;
        Stdout.Write($"PING {host} ({host}): 56 data bytes\n");
        for (var i = 0; i < count; i++)
        {
            Stdout.Write($"64 bytes from {host}: seq={i} ttl=64 time=0.080 ms\n");
            if (i + 1 < count) yield return new ProcessStep.Sleep(TimeSpan.FromSeconds(1));
        }
        Stdout.Write($"\n--- {host} ping statistics ---\n{count} packets transmitted, {count} packets received, 0% packet loss\n");
        Status = 0;
    }

    /// <summary>The commands that take no time; null when <paramref name="name"/> is not one of them.</summary>
    private int? Instant(string name, string[] args)
    {
        switch (name)
        {
            case "true" or ":": return 0;
            case "set": return Set(args);
            case "false": return 1;
            case "echo": return Echo(args);
            case "printf": return Printf(args);
            case "cat": return Cat(args);
            case "touch": return Touch(args);
            case "rm": return Remove(args);
            case "mkdir": return MakeDirectory(args);
            case "ls": return List(args);
            case "chmod": return Chmod(args);
            case "stat": return Stat(args);
            case "date": return Date(args);
            case "test": return ShellTest.Evaluate(args, this);
            case "[":
                if (args.LastOrDefault() != "]")
                {
                    Stderr.Write("sh: missing ]\n");
                    return 2;
                }
                return ShellTest.Evaluate(args[..^1], this);
            case "[[":
                return ShellTest.EvaluateDouble(args.Length > 0 && args[^1] == "]]" ? args[..^1] : args, this);
            case "export":
                foreach (var a in args.Where(a => !a.StartsWith('-')))
                {
                    var eq = a.IndexOf('=');
                    if (eq > 0) Variables[a[..eq]] = a[(eq + 1)..];
                    else Variables.TryAdd(a, "");
                }
                return 0;
            case "unset":
                foreach (var a in args.Where(a => !a.StartsWith('-'))) Variables.Remove(a);
                return 0;
            case "shift":
                var by = args.Length > 0 && int.TryParse(args[0], out var k) ? k : 1;
                Positional = Positional.Skip(by).ToArray();
                return 0;
            case "env" or "printenv":
                if (name == "printenv" && args.Length > 0)
                {
                    if (!Variables.TryGetValue(args[0], out var v)) return 1;
                    Stdout.Write(v + "\n");
                    return 0;
                }
                foreach (var (key, value) in Variables.OrderBy(p => p.Key, StringComparer.Ordinal)) Stdout.Write($"{key}={value}\n");
                return 0;
            case "hostname":
                Stdout.Write(_host.Hostname + "\n");
                return 0;
            case "pwd":
                Stdout.Write(Cwd + "\n");
                return 0;
            case "cd":
                var dir = args.FirstOrDefault() ?? "/root";
                if (!_host.Files.DirectoryExists(dir, Cwd))
                {
                    Stderr.Write($"sh: cd: can't cd to {dir}: No such file or directory\n");
                    return 2;
                }
                ChangeDirectory(dir);
                return 0;
            case "whoami":
                Stdout.Write("root\n");
                return 0;
            case "id":
                Stdout.Write("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n");
                return 0;
            case "uname":
                Stdout.Write(args.Contains("-a") ? $"Linux {_host.Hostname} 6.8.0-kubeemu #1 SMP x86_64 GNU/Linux\n" : "Linux\n");
                return 0;
            case "seq": return Seq(args);
            case "expr": return Expr(args);
            case "basename":
                Stdout.Write(Path.GetFileName(args.FirstOrDefault()?.TrimEnd('/') ?? "") + "\n");
                return 0;
            case "dirname":
                var parent = Path.GetDirectoryName(args.FirstOrDefault() ?? ".")?.Replace('\\', '/');
                Stdout.Write((string.IsNullOrEmpty(parent) ? "." : parent) + "\n");
                return 0;
            case "wc": return Wc(args);
            case "head": return Head(args);
            case "tail": return Tail(args);
            case "grep" or "egrep" or "fgrep": return Grep(args);
            case "tee":
                var text = Stdin ?? "";
                foreach (var f in args.Where(a => !a.StartsWith('-')))
                {
                    var (tree, rel) = _host.Files.Resolve(f, Cwd);
                    tree.Write(rel, text, append: args.Contains("-a"));
                }
                Stdout.Write(text);
                return 0;
            case "cp" or "mv": return Copy(args, move: name == "mv");
            case "sed": return Sed(args);
            case "ps": return Ps(argv: args);
            case "wget" or "curl" or "nslookup" or "dig" or "getent" or "host" or "netstat" or "ss" when NetworkCommand(name, args) is { } networked:
                return networked;
            case "wget" or "curl" or "nslookup" or "dig" or "awk" or "sort" or "uniq" or "cut" or "tr" or "xargs" or "find"
                or "df" or "du" or "free" or "ip" or "ifconfig" or "netstat" or "base64" or "md5sum" or "sha256sum"
                or "mktemp" or "nproc" or "getent" or "gzip" or "gunzip" or "tar" or "rmdir" or "host" or "traceroute" or "route" or "arp":
                // Present in the images, outside what is simulated: they succeed quietly.
                return 0;
        }
        return Quiet.Contains(name) ? 0 : null;
    }

    private int Echo(string[] args)
    {
        var newline = true;
        var escapes = false;
        var i = 0;
        for (; i < args.Length && args[i].Length > 1 && args[i][0] == '-' && args[i][1..].All(ch => ch is 'n' or 'e' or 'E'); i++)
        {
            if (args[i].Contains('n')) newline = false;
            if (args[i].Contains('e')) escapes = true;
        }
        var text = string.Join(' ', args[i..]);
        if (escapes) text = Escapes(text, out _);
        Stdout.Write(newline ? text + "\n" : text);
        return 0;
    }

    private int Printf(string[] args)
    {
        if (args.Length == 0)
        {
            Stderr.Write("printf: usage: printf FORMAT [ARGUMENT...]\n");
            return 1;
        }
        var format = args[0];
        var rest = new Queue<string>(args[1..]);
        var output = new StringBuilder();
        do
        {
            var consumed = false;
            for (var i = 0; i < format.Length; i++)
            {
                var c = format[i];
                if (c == '\\' && i + 1 < format.Length)
                {
                    output.Append(Escapes(format.Substring(i, 2), out _));
                    i++;
                    continue;
                }
                if (c != '%' || i + 1 >= format.Length)
                {
                    output.Append(c);
                    continue;
                }
                var start = i;
                i++;
                while (i < format.Length && "-+ 0#.123456789".Contains(format[i])) i++;
                if (i >= format.Length) break;
                var spec = format[i];
                var flags = format[(start + 1)..i];
                if (spec == '%')
                {
                    output.Append('%');
                    continue;
                }
                consumed = true;
                var arg = rest.Count > 0 ? rest.Dequeue() : "";
                var formatted = spec switch
                {
                    'd' or 'i' => (long.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0).ToString(CultureInfo.InvariantCulture),
                    'x' => (long.TryParse(arg, out var x) ? x : 0).ToString("x", CultureInfo.InvariantCulture),
                    'f' => (double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : 0)
                        .ToString("F" + (flags.Contains('.') ? flags[(flags.IndexOf('.') + 1)..] : "6"), CultureInfo.InvariantCulture),
                    'c' => arg.Length > 0 ? arg[..1] : "",
                    'b' => Escapes(arg, out _),
                    _ => arg,
                };
                var widthText = new string(flags.TakeWhile(ch => ch != '.').Where(char.IsAsciiDigit).ToArray());
                if (flags.Contains('.') && spec == 's' && int.TryParse(flags[(flags.IndexOf('.') + 1)..], out var precision) && formatted.Length > precision)
                    formatted = formatted[..precision];
                if (int.TryParse(widthText, out var width) && formatted.Length < width)
                    formatted = flags.StartsWith('-') ? formatted.PadRight(width)
                        : flags.StartsWith('0') && spec is 'd' or 'i' or 'x' or 'f' ? formatted.PadLeft(width, '0') : formatted.PadLeft(width);
                output.Append(formatted);
            }
            if (!consumed) break;
        } while (rest.Count > 0);
        Stdout.Write(output.ToString());
        return 0;
    }

    private static string Escapes(string text, out bool stop)
    {
        stop = false;
        var sb = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 >= text.Length)
            {
                sb.Append(text[i]);
                continue;
            }
            i++;
            switch (text[i])
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case '\\': sb.Append('\\'); break;
                case 'c': stop = true; return sb.ToString();
                case 'e': sb.Append('\u001b'); break;
                default: sb.Append('\\').Append(text[i]); break;
            }
        }
        return sb.ToString();
    }

    private int Cat(string[] args)
    {
        var files = args.Where(a => !a.StartsWith('-') || a == "-").ToArray();
        if (files.Length == 0)
        {
            Stdout.Write(Stdin ?? "");
            return 0;
        }
        var status = 0;
        foreach (var f in files)
        {
            if (f == "-")
            {
                Stdout.Write(Stdin ?? "");
                continue;
            }
            if (ReadFile(f) is { } content) Stdout.Write(content);
            else
            {
                Stderr.Write($"cat: can't open '{f}': {(_host.Files.DirectoryExists(f, Cwd) ? "Is a directory" : "No such file or directory")}\n");
                status = 1;
            }
        }
        return status;
    }

    /// <summary>A file's content: what the container wrote, or what every image has (/etc/hostname...).</summary>
    internal string? ReadFile(string path)
    {
        if (_host.Files.Read(path, Cwd) is { } written) return written;
        return ContainerFileSystem.Normalize(path.StartsWith('/') ? path : Cwd + "/" + path) switch
        {
            "/etc/hostname" => _host.Hostname + "\n",
            "/etc/hosts" => $"127.0.0.1\tlocalhost\n{Variables.GetValueOrDefault("KUBEEMU_POD_IP", "")}\t{_host.Hostname}\n",
            "/etc/os-release" => "NAME=\"Linux\"\nID=linux\n",
            "/etc/resolv.conf" => Node.Dns.ClusterDns.ResolvConf(_host.Network?.Namespace ?? "default"),
            "/dev/null" => "",
            _ => null,
        };
    }

    private int Touch(string[] args)
    {
        var status = 0;
        foreach (var f in args.Where(a => !a.StartsWith('-')))
        {
            if (!ParentExists(f))
            {
                Stderr.Write($"touch: {f}: No such file or directory\n");
                status = 1;
                continue;
            }
            var (tree, rel) = _host.Files.Resolve(f, Cwd);
            if (!tree.FileExists(rel)) tree.Write(rel, "", append: false);
        }
        return status;
    }

    private bool ParentExists(string path)
    {
        var full = ContainerFileSystem.Normalize(path.StartsWith('/') ? path : Cwd + "/" + path);
        return _host.Files.DirectoryExists(full[..Math.Max(1, full.LastIndexOf('/'))]);
    }

    private int Remove(string[] args)
    {
        var flags = string.Concat(args.Where(a => a.StartsWith('-')));
        var force = flags.Contains('f');
        var recursive = flags.Contains('r') || flags.Contains('R');
        var status = 0;
        foreach (var f in args.Where(a => !a.StartsWith('-')))
        {
            var (tree, rel) = _host.Files.Resolve(f, Cwd);
            if (tree.DirectoryExists(rel) && !recursive && !tree.FileExists(rel))
            {
                Stderr.Write($"rm: '{f}' is a directory\n");
                status = 1;
                continue;
            }
            if (!tree.Remove(rel, recursive) && !force)
            {
                Stderr.Write($"rm: can't remove '{f}': No such file or directory\n");
                status = 1;
            }
        }
        return status;
    }

    private int MakeDirectory(string[] args)
    {
        var parents = args.Any(a => a.StartsWith('-') && a.Contains('p'));
        var status = 0;
        foreach (var d in args.Where(a => !a.StartsWith('-')))
        {
            if (!parents && !ParentExists(d))
            {
                Stderr.Write($"mkdir: can't create directory '{d}': No such file or directory\n");
                status = 1;
                continue;
            }
            var (tree, rel) = _host.Files.Resolve(d, Cwd);
            tree.MakeDirectory(rel);
        }
        return status;
    }

    private int Date(string[] args)
    {
        var now = _host.Now.UtcDateTime;
        var format = args.FirstOrDefault(a => a.StartsWith('+'));
        Stdout.Write((format is null ? ShellDate.Default(now) : ShellDate.Format(now, format[1..])) + "\n");
        return 0;
    }

    private int Seq(string[] args)
    {
        var numbers = args.Where(a => !a.StartsWith('-') || long.TryParse(a, out _)).Select(a => long.TryParse(a, out var v) ? v : 0).ToArray();
        var (first, step, last) = numbers.Length switch
        {
            1 => (1L, 1L, numbers[0]),
            2 => (numbers[0], 1L, numbers[1]),
            >= 3 => (numbers[0], numbers[1], numbers[2]),
            _ => (1L, 1L, 0L),
        };
        if (step == 0) return 1;
        var sb = new StringBuilder();
        for (var v = first; step > 0 ? v <= last : v >= last; v += step)
        {
            sb.Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (sb.Length > 1_000_000) break;
        }
        Stdout.Write(sb.ToString());
        return 0;
    }

    private int Expr(string[] args)
    {
        try
        {
            var value = ShellArithmetic.Evaluate(string.Join(' ', args.Select(a => a == "=" ? "==" : a)), this);
            Stdout.Write(value.ToString(CultureInfo.InvariantCulture) + "\n");
            return value == 0 ? 1 : 0;
        }
        catch (FormatException)
        {
            Stderr.Write("expr: syntax error\n");
            return 2;
        }
    }

    private string Input(string command, string[] args, out bool missing)
    {
        missing = false;
        var files = args.Where(a => !a.StartsWith('-') && !long.TryParse(a, out _)).ToArray();
        if (files.Length == 0) return Stdin ?? "";
        var sb = new StringBuilder();
        foreach (var f in files)
        {
            if (ReadFile(f) is { } content) sb.Append(content);
            else
            {
                missing = true;
                Stderr.Write($"{command}: can't open '{f}': No such file or directory\n");
            }
        }
        return sb.ToString();
    }

    private static string[] Lines(string text) =>
        text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    private int Wc(string[] args)
    {
        var text = Input("wc", args, out var missing);
        var lines = text.Count(ch => ch == '\n');
        if (args.Contains("-l")) Stdout.Write(lines + "\n");
        else if (args.Contains("-c")) Stdout.Write(Encoding.UTF8.GetByteCount(text) + "\n");
        else if (args.Contains("-w")) Stdout.Write(text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length + "\n");
        else Stdout.Write($"{lines,7} {text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length,7} {Encoding.UTF8.GetByteCount(text),7}\n");
        return missing ? 1 : 0;
    }

    private int Head(string[] args)
    {
        var n = LineCount(args) ?? 10;
        var text = Input("head", args, out var missing);
        foreach (var line in Lines(text).Take(n)) Stdout.Write(line + "\n");
        return missing ? 1 : 0;
    }

    private int Tail(string[] args)
    {
        var n = LineCount(args) ?? 10;
        var text = Input("tail", args.Where((a, i) => !(i > 0 && args[i - 1] == "-n")).ToArray(), out var missing);
        var lines = Lines(text);
        foreach (var line in lines.Skip(Math.Max(0, lines.Length - n))) Stdout.Write(line + "\n");
        return missing ? 1 : 0;
    }

    private static int? LineCount(string[] args)
    {
        if (Option(args, "-n") is { } n && int.TryParse(n.TrimStart('+'), out var count)) return count;
        var dash = args.FirstOrDefault(a => a.Length > 1 && a[0] == '-' && a[1..].All(char.IsAsciiDigit));
        return dash is not null ? int.Parse(dash[1..], CultureInfo.InvariantCulture) : null;
    }

    private int Grep(string[] args)
    {
        var flags = string.Concat(args.TakeWhile(a => a.StartsWith('-')).Select(a => a.TrimStart('-')));
        var rest = args.SkipWhile(a => a.StartsWith('-')).ToArray();
        if (rest.Length == 0) return 2;
        var pattern = rest[0];
        var text = Input("grep", rest[1..], out var missing);
        var options = flags.Contains('i') ? System.Text.RegularExpressions.RegexOptions.IgnoreCase : System.Text.RegularExpressions.RegexOptions.None;
        var regex = flags.Contains('F')
            ? new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(pattern), options)
            : new System.Text.RegularExpressions.Regex(pattern.Replace(@"\|", "|").Replace(@"\(", "(").Replace(@"\)", ")"), options);
        var invert = flags.Contains('v');
        var matched = 0;
        foreach (var line in Lines(text))
        {
            if (regex.IsMatch(line) == invert) continue;
            matched++;
            if (!flags.Contains('q') && !flags.Contains('c')) Stdout.Write(line + "\n");
        }
        if (flags.Contains('c')) Stdout.Write(matched + "\n");
        return missing ? 2 : matched > 0 ? 0 : 1;
    }

    private int Copy(string[] args, bool move)
    {
        var paths = args.Where(a => !a.StartsWith('-')).ToArray();
        if (paths.Length < 2) return 1;
        var target = paths[^1];
        var status = 0;
        foreach (var source in paths[..^1])
        {
            if (ReadFile(source) is not { } content)
            {
                Stderr.Write($"{(move ? "mv" : "cp")}: can't stat '{source}': No such file or directory\n");
                status = 1;
                continue;
            }
            var destination = _host.Files.DirectoryExists(target, Cwd) ? target.TrimEnd('/') + "/" + Path.GetFileName(source) : target;
            var (tree, rel) = _host.Files.Resolve(destination, Cwd);
            tree.Write(rel, content, append: false);
            if (move)
            {
                var (from, fromRel) = _host.Files.Resolve(source, Cwd);
                from.Remove(fromRel, false);
            }
        }
        return status;
    }

    private int Read(string[] args)
    {
        var names = args.Where(a => !a.StartsWith('-')).ToArray();
        if (string.IsNullOrEmpty(Stdin)) return 1; // end of input
        var newline = Stdin.IndexOf('\n');
        var line = newline < 0 ? Stdin : Stdin[..newline];
        Stdin = newline < 0 ? "" : Stdin[(newline + 1)..];
        var words = line.Split((char[]?)null, Math.Max(1, names.Length), StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < names.Length; i++) Variables[names[i]] = i < words.Length ? words[i] : "";
        if (names.Length == 0) Variables["REPLY"] = line;
        return 0;
    }

    private static string? Option(string[] args, string option)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == option && i + 1 < args.Length) return args[i + 1];
            if (args[i].StartsWith(option, StringComparison.Ordinal) && args[i].Length > option.Length) return args[i][option.Length..];
        }
        return null;
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// sed as scripts in containers use it: s/re/replacement/flags (g, p, I, N), d and p, with an optional
// /re/ or line-number address; -E/-r (extended), -n, -e (several), -i (in place), files or stdin.
internal sealed partial class ShellInterpreter
{
    private int Sed(string[] args)
    {
        var extended = false;
        var quiet = false;
        var inPlace = false;
        var scripts = new List<string>();
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "-e" or "--expression" && i + 1 < args.Length) scripts.Add(args[++i]);
            else if (a.StartsWith("--expression=", StringComparison.Ordinal)) scripts.Add(a["--expression=".Length..]);
            else if (a is "-E" or "-r" or "--regexp-extended") extended = true;
            else if (a is "-n" or "--quiet" or "--silent") quiet = true;
            else if (a.StartsWith("-i", StringComparison.Ordinal) || a == "--in-place") inPlace = true;
            else if (a.Length > 1 && a[0] == '-' && a[1..].All(ch => ch is 'E' or 'r' or 'n' or 'i'))
            {
                extended |= a.Contains('E') || a.Contains('r');
                quiet |= a.Contains('n');
                inPlace |= a.Contains('i');
            }
            else if (scripts.Count == 0 && !args.Contains("-e")) scripts.Add(a);
            else files.Add(a);
        }
        if (scripts.Count == 0)
        {
            Stderr.Write("Usage: sed [-efinrsE] SED_CMD [FILE]...\n");
            return 1;
        }
        List<SedCommand> commands;
        try
        {
            commands = scripts.SelectMany(s => SedCommand.ParseAll(s, extended)).ToList();
        }
        catch (FormatException e)
        {
            Stderr.Write($"sed: {e.Message}\n");
            return 1;
        }
        if (inPlace)
        {
            var status = 0;
            foreach (var f in files)
            {
                if (ReadFile(f) is not { } content)
                {
                    Stderr.Write($"sed: {f}: No such file or directory\n");
                    status = 1;
                    continue;
                }
                var (tree, rel) = _host.Files.Resolve(f, Cwd);
                tree.Write(rel, SedRun(commands, content, quiet), append: false);
            }
            return status;
        }
        var text = Input("sed", files.ToArray(), out var missing);
        Stdout.Write(SedRun(commands, text, quiet));
        return missing ? 2 : 0;
    }

    private static string SedRun(List<SedCommand> commands, string text, bool quiet)
    {
        var output = new StringBuilder();
        var lines = text.Length == 0 ? [] : text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var n = 0; n < count; n++)
        {
            var line = lines[n];
            var deleted = false;
            foreach (var command in commands)
            {
                if (!command.Applies(line, n + 1)) continue;
                switch (command.Kind)
                {
                    case 'd': deleted = true; break;
                    case 'p': output.Append(line).Append('\n'); break;
                    case 's':
                        var replaced = command.Substitute(line, out var changed);
                        line = replaced;
                        if (changed && command.Print) output.Append(line).Append('\n');
                        break;
                }
                if (deleted) break;
            }
            if (!deleted && !quiet) output.Append(line).Append(n < count - 1 || text.EndsWith('\n') ? "\n" : "");
        }
        return output.ToString();
    }

    private sealed class SedCommand
    {
        public char Kind { get; private init; }
        public bool Print { get; private init; }
        private Regex? Address { get; init; }
        private int? Line { get; init; }
        private Regex? Pattern { get; init; }
        private string Replacement { get; init; } = "";
        private bool Global { get; init; }
        private int Occurrence { get; init; } = 1;

        public bool Applies(string line, int number) =>
            (Line is null || Line == number) && (Address is null || Address.IsMatch(line));

        public string Substitute(string line, out bool changed)
        {
            var seen = 0;
            var any = false;
            var result = Pattern!.Replace(line, m =>
            {
                seen++;
                if (!Global && seen != Occurrence) return m.Value;
                if (Global && seen < Occurrence) return m.Value;
                any = true;
                return Expand(m);
            });
            changed = any;
            return result;
        }

        private string Expand(Match m)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < Replacement.Length; i++)
            {
                var c = Replacement[i];
                if (c == '&') sb.Append(m.Value);
                else if (c == '\\' && i + 1 < Replacement.Length)
                {
                    var next = Replacement[++i];
                    if (char.IsAsciiDigit(next)) sb.Append(m.Groups[next - '0'].Value);
                    else if (next == 'n') sb.Append('\n');
                    else if (next == 't') sb.Append('\t');
                    else sb.Append(next);
                }
                else sb.Append(c);
            }
            return sb.ToString();
        }

        public static IEnumerable<SedCommand> ParseAll(string script, bool extended)
        {
            var result = new List<SedCommand>();
            var i = 0;
            while (i < script.Length)
            {
                while (i < script.Length && script[i] is ' ' or '\t' or '\n' or ';') i++;
                if (i >= script.Length) break;
                Regex? address = null;
                int? line = null;
                if (script[i] == '/')
                {
                    var re = Delimited(script, ref i, '/');
                    address = PosixRegex.Create(re, extended);
                }
                else if (char.IsAsciiDigit(script[i]))
                {
                    var start = i;
                    while (i < script.Length && char.IsAsciiDigit(script[i])) i++;
                    line = int.Parse(script[start..i], System.Globalization.CultureInfo.InvariantCulture);
                }
                if (i >= script.Length) throw new FormatException("missing command");
                var kind = script[i++];
                switch (kind)
                {
                    case 'd' or 'p':
                        result.Add(new SedCommand { Kind = kind, Address = address, Line = line });
                        break;
                    case 's':
                        if (i >= script.Length) throw new FormatException("unterminated `s' command");
                        var delimiter = script[i];
                        var pattern = Delimited(script, ref i, delimiter);
                        i--; // the closing delimiter of the pattern opens the replacement
                        var replacement = Delimited(script, ref i, delimiter);
                        var flags = new StringBuilder();
                        while (i < script.Length && script[i] is not (';' or '\n' or '}')) flags.Append(script[i++]);
                        var f = flags.ToString().Trim();
                        var digits = new string(f.Where(char.IsAsciiDigit).ToArray());
                        result.Add(new SedCommand
                        {
                            Kind = 's',
                            Address = address,
                            Line = line,
                            Pattern = PosixRegex.Create(pattern, extended, f.Contains('I') || f.Contains('i')),
                            Replacement = replacement,
                            Global = f.Contains('g'),
                            Print = f.Contains('p'),
                            Occurrence = digits.Length > 0 ? int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) : 1,
                        });
                        break;
                    default:
                        throw new FormatException($"unsupported command {kind}");
                }
            }
            return result;
        }

        /// <summary>The text between script[i] (the opening delimiter) and the next unescaped one; i ends after it.</summary>
        private static string Delimited(string script, ref int i, char delimiter)
        {
            var sb = new StringBuilder();
            for (i++; i < script.Length; i++)
            {
                if (script[i] == '\\' && i + 1 < script.Length && script[i + 1] == delimiter)
                {
                    sb.Append(delimiter);
                    i++;
                    continue;
                }
                if (script[i] == '\\' && i + 1 < script.Length)
                {
                    sb.Append('\\').Append(script[++i]);
                    continue;
                }
                if (script[i] == delimiter)
                {
                    i++;
                    return sb.ToString();
                }
                sb.Append(script[i]);
            }
            throw new FormatException($"unterminated `s' command");
        }
    }
}

using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// Word expansion: quotes, $VAR / ${VAR} / ${VAR:-x} / ${#VAR}, $((arithmetic)), $(command) and
// `command`, then field splitting of what was unquoted. No globbing: a pattern stays as written.
internal sealed partial class ShellInterpreter
{
    /// <summary>A word as written, expanded into the fields a command receives.</summary>
    public List<string> Expand(string raw) => Expand(raw, split: true);

    private List<string> Expand(string raw, bool split)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        var hasField = false;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            switch (c)
            {
                case '\'':
                    var close = raw.IndexOf('\'', i + 1);
                    if (close < 0) close = raw.Length;
                    current.Append(raw, i + 1, close - i - 1);
                    hasField = true;
                    i = close;
                    break;
                case '"':
                    hasField = true;
                    for (i++; i < raw.Length && raw[i] != '"'; i++)
                    {
                        if (raw[i] == '\\' && i + 1 < raw.Length && raw[i + 1] is '$' or '`' or '"' or '\\') current.Append(raw[++i]);
                        else if (raw[i] == '\\' && i + 1 < raw.Length && raw[i + 1] == '\n') i++;
                        else if (raw[i] is '$' or '`') current.Append(Dollar(raw, ref i, quoted: true));
                        else current.Append(raw[i]);
                    }
                    break;
                case '\\':
                    if (i + 1 < raw.Length) current.Append(raw[++i]);
                    hasField = true;
                    break;
                case '$' or '`':
                    var value = Dollar(raw, ref i, quoted: false);
                    // Unquoted: split on blanks; the first piece joins what came before, the last what follows.
                    var pieces = split ? value.Split([' ', '\t', '\n'], StringSplitOptions.None) : [value];
                    for (var p = 0; p < pieces.Length; p++)
                    {
                        if (p > 0)
                        {
                            if (current.Length > 0 || hasField) fields.Add(current.ToString());
                            current.Clear();
                            hasField = false;
                        }
                        current.Append(pieces[p]);
                        if (pieces[p].Length > 0) hasField = true;
                    }
                    break;
                default:
                    current.Append(c);
                    hasField = true;
                    break;
            }
        }
        if (current.Length > 0 || hasField) fields.Add(current.ToString());
        return fields;
    }

    /// <summary>A word expanded without field splitting (assignments, redirection targets).</summary>
    public string ExpandSingle(string raw) => string.Join(' ', Expand(raw.Length == 0 ? "''" : raw, split: false));

    /// <summary>The expansion starting at raw[i] ('$' or '`'); leaves i on its last character.</summary>
    private string Dollar(string raw, ref int i, bool quoted)
    {
        if (raw[i] == '`')
        {
            var end = raw.IndexOf('`', i + 1);
            if (end < 0) end = raw.Length;
            var script = raw[(i + 1)..end];
            i = end;
            return Substitute(script);
        }
        if (i + 1 >= raw.Length) return "$";
        var next = raw[i + 1];
        if (next == '(')
        {
            var arithmetic = i + 2 < raw.Length && raw[i + 2] == '(';
            var end = Matching(raw, i + 1);
            var inner = raw[(i + 2)..Math.Min(end, raw.Length)];
            i = Math.Min(end, raw.Length - 1);
            if (arithmetic && inner.StartsWith('(') && inner.EndsWith(')'))
                return Arithmetic(inner[1..^1]);
            return Substitute(inner);
        }
        if (next == '{')
        {
            var end = raw.IndexOf('}', i + 2);
            if (end < 0) end = raw.Length;
            var body = raw[(i + 2)..end];
            i = Math.Min(end, raw.Length - 1);
            return Parameter(body);
        }
        if (char.IsAsciiLetter(next) || next == '_')
        {
            var start = i + 1;
            var end = start;
            while (end < raw.Length && (char.IsAsciiLetterOrDigit(raw[end]) || raw[end] == '_')) end++;
            i = end - 1;
            return Lookup(raw[start..end]);
        }
        if (char.IsAsciiDigit(next) || next is '?' or '$' or '#' or '@' or '*' or '!' or '-')
        {
            i++;
            return Lookup(next.ToString());
        }
        return "$";
    }

    private static int Matching(string raw, int open)
    {
        var depth = 0;
        for (var j = open; j < raw.Length; j++)
        {
            if (raw[j] == '(') depth++;
            else if (raw[j] == ')' && --depth == 0) return j;
        }
        return raw.Length;
    }

    public string Lookup(string name) => name switch
    {
        "?" => Status.ToString(CultureInfo.InvariantCulture),
        "$" => "1",
        "#" => Positional.Length.ToString(CultureInfo.InvariantCulture),
        "@" or "*" => string.Join(' ', Positional),
        "!" => LastBackgroundPid.ToString(CultureInfo.InvariantCulture),
        "-" => "",
        "0" => "sh",
        "RANDOM" => ((int)(_host.Now.ToUnixTimeMilliseconds() % 32768)).ToString(CultureInfo.InvariantCulture),
        "SECONDS" => "0",
        _ when name.Length == 1 && char.IsAsciiDigit(name[0]) => name[0] - '1' < Positional.Length ? Positional[name[0] - '1'] : "",
        _ => Variables.GetValueOrDefault(name, ""),
    };

    private string Parameter(string body)
    {
        if (body.StartsWith('#') && body.Length > 1) return Lookup(body[1..]).Length.ToString(CultureInfo.InvariantCulture);
        var n = 0;
        while (n < body.Length && (char.IsAsciiLetterOrDigit(body[n]) || body[n] == '_' || (n == 0 && body[n] is '?' or '#' or '@'))) n++;
        var name = body[..n];
        var op = body[n..];
        if (op.StartsWith('[') && op.IndexOf(']') is var close and > 0)
        {
            // Arrays are kept as NAME (element 0) and NAME_1, NAME_2... (BASH_REMATCH's groups).
            var index = ExpandArithmeticWords(op[1..close]).Trim();
            name = index is "0" or "@" or "*" ? name : name + "_" + index;
            op = op[(close + 1)..];
        }
        var set = name == "?" || Variables.ContainsKey(name) || (name.Length == 1 && char.IsAsciiDigit(name[0]) && name[0] - '1' < Positional.Length);
        var value = Lookup(name);
        string Word(int skip) => ExpandSingle(op[skip..]);
        if (op.StartsWith(":-", StringComparison.Ordinal)) return value.Length > 0 ? value : Word(2);
        if (op.StartsWith('-')) return set ? value : Word(1);
        if (op.StartsWith(":=", StringComparison.Ordinal))
        {
            if (value.Length > 0) return value;
            return Variables[name] = Word(2);
        }
        if (op.StartsWith(":+", StringComparison.Ordinal)) return value.Length > 0 ? Word(2) : "";
        if (op.StartsWith(":?", StringComparison.Ordinal) && value.Length == 0)
        {
            Stderr.Write($"sh: {name}: {(op.Length > 2 ? Word(2) : "parameter not set or null")}\n");
            Exit(1);
            return "";
        }
        if (op.StartsWith("%%", StringComparison.Ordinal)) return TrimSuffix(value, Word(2), longest: true);
        if (op.StartsWith('%')) return TrimSuffix(value, Word(1), longest: false);
        if (op.StartsWith("##", StringComparison.Ordinal)) return TrimPrefix(value, Word(2), longest: true);
        if (op.StartsWith('#')) return TrimPrefix(value, Word(1), longest: false);
        return value;
    }

    private static string TrimSuffix(string value, string pattern, bool longest)
    {
        var re = new System.Text.RegularExpressions.Regex("^" + ShellPatterns.ToRegex(pattern) + "$");
        if (longest) { for (var k = 0; k <= value.Length; k++) if (re.IsMatch(value[k..])) return value[..k]; }
        else for (var k = value.Length; k >= 0; k--) if (re.IsMatch(value[k..])) return value[..k];
        return value;
    }

    private static string TrimPrefix(string value, string pattern, bool longest)
    {
        var re = new System.Text.RegularExpressions.Regex("^" + ShellPatterns.ToRegex(pattern) + "$");
        if (longest) { for (var k = value.Length; k >= 0; k--) if (re.IsMatch(value[..k])) return value[k..]; }
        else for (var k = 0; k <= value.Length; k++) if (re.IsMatch(value[..k])) return value[k..];
        return value;
    }

    /// <summary>$(command): its output without trailing newlines; time it takes is not simulated.</summary>
    private string Substitute(string script)
    {
        _substitutions++;
        // $(<file) is bash's faster $(cat file): the file's content, an error when it cannot be read.
        if (script.TrimStart() is ['<', .. var rest] && !rest.StartsWith('<'))
        {
            var path = ExpandSingle(rest.Trim());
            if (ReadFile(path) is { } content)
            {
                Status = 0;
                return content.TrimEnd('\n');
            }
            Stderr.Write($"{ShellName}: {path}: No such file or directory\n");
            Status = 1;
            return "";
        }
        var sub = Fork();
        sub.TraceLevel = TraceLevel + 1;
        sub.ErrExit = false; // bash: command substitutions do not inherit set -e
        sub.Synchronous = true;
        var captured = new StringOutput();
        sub.Stdout = captured;
        foreach (var step in sub.RunScript(script))
            if (step is ProcessStep.Block) break;
        Status = sub.Status;
        return captured.Text.ToString().TrimEnd('\n');
    }

    /// <summary>An unquoted here-document's body: parameters, $(..) and $((..)) expand; quotes stay as written.</summary>
    private string ExpandHereDocument(string body)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\' && i + 1 < body.Length && body[i + 1] is '$' or '`' or '\\') sb.Append(body[++i]);
            else if (c == '\\' && i + 1 < body.Length && body[i + 1] == '\n') i++;
            else if (c is '$' or '`') sb.Append(Dollar(body, ref i, quoted: true));
            else sb.Append(c);
        }
        return sb.ToString();
    }

    private string Arithmetic(string expression)
    {
        try
        {
            return ShellArithmetic.Evaluate(ExpandArithmeticWords(expression), this).ToString(CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            Stderr.Write($"sh: arithmetic syntax error: {e.Message}\n");
            Exit(2);
            return "0";
        }
    }

    /// <summary>$VAR and $(..) inside $((..)) expand first; bare names are read by the evaluator.</summary>
    private string ExpandArithmeticWords(string expression) =>
        expression.Contains('$') ? ExpandSingle("\"" + expression.Replace("\"", "") + "\"") : expression;
}

/// <summary>Shell patterns (*, ?, [..]) as regular expressions.</summary>
internal static class ShellPatterns
{
    public static string ToRegex(string pattern)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { sb.Append(@"\["); break; }
                    var set = pattern[(i + 1)..close];
                    if (set.StartsWith('!')) set = "^" + set[1..];
                    sb.Append('[').Append(set.Replace("\\", "\\\\")).Append(']');
                    i = close;
                    break;
                default: sb.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString())); break;
            }
        }
        return sb.ToString();
    }

    public static bool Matches(string value, string pattern) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, "^" + ToRegex(pattern) + "$", System.Text.RegularExpressions.RegexOptions.Singleline);
}

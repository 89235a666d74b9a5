using System.Text;
using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// POSIX regular expressions (basic for sed/grep, extended for sed -E, grep -E and bash's =~) as .NET
/// ones: bracket classes such as [[:space:]], and in basic syntax \( \) \{ \} \+ \? \| are the operators
/// while ( ) { } + ? | are literal characters.
/// </summary>
internal static class PosixRegex
{
    public static Regex Create(string pattern, bool extended, bool ignoreCase = false) =>
        new(ToDotNet(pattern, extended), ignoreCase ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant);

    public static string ToDotNet(string pattern, bool extended)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '[')
            {
                i = Bracket(pattern, i, sb);
                continue;
            }
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                if (!extended && next is '(' or ')' or '{' or '}' or '+' or '?' or '|') sb.Append(next);
                else sb.Append('\\').Append(next);
                continue;
            }
            if (!extended && c is '(' or ')' or '{' or '}' or '+' or '?' or '|')
            {
                sb.Append('\\').Append(c);
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Copies a bracket expression from pattern[start] ('['), translating [:class:]; returns the index of its ']'.</summary>
    private static int Bracket(string pattern, int start, StringBuilder sb)
    {
        var i = start + 1;
        var body = new StringBuilder("[");
        if (i < pattern.Length && pattern[i] == '^') { body.Append('^'); i++; }
        if (i < pattern.Length && pattern[i] == ']') { body.Append(@"\]"); i++; }
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == ']')
            {
                sb.Append(body).Append(']');
                return i;
            }
            if (c == '[' && i + 1 < pattern.Length && pattern[i + 1] == ':' && pattern.IndexOf(":]", i + 2, StringComparison.Ordinal) is var end and > 0)
            {
                body.Append(Class(pattern[(i + 2)..end]));
                i = end + 1;
                continue;
            }
            // Inside POSIX brackets a backslash is an ordinary character.
            if (c is '\\' or '[') body.Append('\\');
            body.Append(c);
        }
        sb.Append(@"\[");
        return start;
    }

    private static string Class(string name) => name switch
    {
        "space" => @"\s",
        "blank" => @" \t",
        "digit" => "0-9",
        "alpha" => "a-zA-Z",
        "alnum" => "a-zA-Z0-9",
        "upper" => "A-Z",
        "lower" => "a-z",
        "xdigit" => "0-9A-Fa-f",
        "punct" => @"!-/:-@\[-`{-~",
        "word" => @"\w",
        _ => "",
    };
}

using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// `set -e` (errexit) and `set -x` (xtrace), as bash does them: scripts of init containers start
// with `set -ex`, and `kubectl logs -c init` shows the `+ ...` lines a real container prints.
internal sealed partial class ShellInterpreter
{
    /// <summary>set -e: a failing command that is not tested ends the shell with its status.</summary>
    public bool ErrExit { get; set; }

    /// <summary>set -x: every simple command is printed to stderr, expanded, after PS4 ("+ ").</summary>
    public bool XTrace { get; set; }

    /// <summary>How deep in command substitutions: bash repeats PS4's first character per level (`++ hostname`).</summary>
    public int TraceLevel { get; set; } = 1;

    /// <summary>The shell's name in its messages: "sh" (busybox) or "bash".</summary>
    public string ShellName { get; set; } = "sh";

    /// <summary>Inside an if/while/until condition or a `!`: errexit does not apply there.</summary>
    private int _tested;

    /// <summary>`set`: options (-e -x -u -o name, + to turn off) and `set -- args` for the positional parameters.</summary>
    private int Set(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a == "--")
            {
                Positional = args[(i + 1)..];
                return 0;
            }
            if (a.Length < 2 || a[0] is not ('-' or '+'))
            {
                Positional = args[i..];
                return 0;
            }
            var on = a[0] == '-';
            if (a[1..] == "o")
            {
                if (i + 1 < args.Length) SetOption(args[++i], on);
                continue;
            }
            foreach (var flag in a[1..])
                switch (flag)
                {
                    case 'e': ErrExit = on; break;
                    case 'x': XTrace = on; break;
                }
        }
        return 0;
    }

    private void SetOption(string name, bool on)
    {
        switch (name)
        {
            case "errexit": ErrExit = on; break;
            case "xtrace": XTrace = on; break;
        }
    }

    /// <summary>Writes the xtrace line of a simple command: assignments then words, quoted as bash quotes them.</summary>
    private void Trace(IShellOutput stderr, IReadOnlyList<(string Name, string Value)> assignments, IReadOnlyList<string> words)
    {
        if (!XTrace) return;
        var line = new StringBuilder(new string('+', Math.Max(1, TraceLevel))).Append(' ');
        var parts = new List<string>();
        foreach (var (name, value) in assignments) parts.Add(name + "=" + TraceQuote(value));
        // bash prints a conditional command's operands as they expanded, unquoted.
        var conditional = words.Count > 0 && words[0] == "[[";
        foreach (var w in words) parts.Add(conditional ? w : TraceQuote(w));
        line.AppendJoin(' ', parts).Append('\n');
        stderr.Write(line.ToString());
    }

    /// <summary>bash's xtrace quoting: a word with shell metacharacters (or empty) in single quotes.</summary>
    internal static string TraceQuote(string word)
    {
        if (word.Length == 0) return "''";
        var needs = word[0] is '~' or '#';
        foreach (var c in word)
            if (c is ' ' or '\t' or '\n' or '\'' or '"' or '\\' or '|' or '&' or ';' or '(' or ')' or '<' or '>' or '!'
                or '{' or '}' or '*' or '[' or '?' or ']' or '^' or '$' or '`')
            {
                needs = true;
                break;
            }
        return needs ? "'" + word.Replace("'", @"'\''") + "'" : word;
    }

    /// <summary>After a command of a list ran: under set -e, an untested failure ends the shell.</summary>
    private void CheckErrExit(ShellNode node)
    {
        if (!ErrExit || Exited || _tested > 0 || Status == 0) return;
        if (node is SimpleNode or PipelineNode { Negated: false }) Exit(Status);
    }
}

using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>`test` / `[ ]` and bash's `[[ ]]` (with =~ and BASH_REMATCH): 0 true, 1 false, 2 error.</summary>
internal static class ShellTest
{
    public static int Evaluate(string[] args, ShellInterpreter shell)
    {
        try
        {
            var pos = 0;
            if (args.Length == 0) return 1;
            var result = Or(args, ref pos, shell, bash: false);
            return pos < args.Length ? Error(shell, args[pos]) : result ? 0 : 1;
        }
        catch (FormatException e)
        {
            return Error(shell, e.Message);
        }
    }

    public static int EvaluateDouble(string[] args, ShellInterpreter shell)
    {
        try
        {
            var pos = 0;
            if (args.Length == 0) return 1;
            var result = Or(args, ref pos, shell, bash: true);
            return result ? 0 : 1;
        }
        catch (FormatException e)
        {
            return Error(shell, e.Message);
        }
    }

    private static int Error(ShellInterpreter shell, string what)
    {
        shell.Stderr.Write($"sh: {what}: unknown operand\n");
        return 2;
    }

    private static bool Or(string[] a, ref int pos, ShellInterpreter shell, bool bash)
    {
        var left = And(a, ref pos, shell, bash);
        while (pos < a.Length && a[pos] is "-o" or "||")
        {
            pos++;
            left = And(a, ref pos, shell, bash) || left;
        }
        return left;
    }

    private static bool And(string[] a, ref int pos, ShellInterpreter shell, bool bash)
    {
        var left = Not(a, ref pos, shell, bash);
        while (pos < a.Length && a[pos] is "-a" or "&&")
        {
            pos++;
            left = Not(a, ref pos, shell, bash) && left;
        }
        return left;
    }

    private static bool Not(string[] a, ref int pos, ShellInterpreter shell, bool bash)
    {
        if (pos < a.Length && a[pos] == "!" && a.Length - pos > 1)
        {
            pos++;
            return !Not(a, ref pos, shell, bash);
        }
        return Primary(a, ref pos, shell, bash);
    }

    private static bool Primary(string[] a, ref int pos, ShellInterpreter shell, bool bash)
    {
        if (pos >= a.Length) throw new FormatException("argument expected");
        if (a[pos] == "(")
        {
            pos++;
            var inner = Or(a, ref pos, shell, bash);
            if (pos < a.Length && a[pos] == ")") pos++;
            return inner;
        }
        if (pos + 2 < a.Length + 0 && IsBinary(a[pos + 1]))
        {
            var (left, op, right) = (a[pos], a[pos + 1], a[pos + 2]);
            pos += 3;
            return Binary(left, op, right, shell, bash);
        }
        if (pos + 1 < a.Length && a[pos].Length == 2 && a[pos][0] == '-' && !IsBinary(a[pos]))
        {
            var (op, operand) = (a[pos], a[pos + 1]);
            pos += 2;
            return Unary(op, operand, shell);
        }
        return a[pos++].Length > 0;
    }

    private static bool IsBinary(string op) =>
        op is "=" or "==" or "!=" or "-eq" or "-ne" or "-lt" or "-le" or "-gt" or "-ge" or "=~" or "<" or ">";

    private static bool Unary(string op, string operand, ShellInterpreter shell)
    {
        var files = shell.Host.Files;
        return op switch
        {
            "-z" => operand.Length == 0,
            "-n" => operand.Length > 0,
            "-f" => files.FileExists(operand, shell.Cwd) || (shell.ReadFile(operand) is not null && !files.DirectoryExists(operand, shell.Cwd)),
            "-d" => files.DirectoryExists(operand, shell.Cwd),
            "-e" or "-r" or "-w" or "-x" or "-L" or "-h" => shell.ReadFile(operand) is not null || files.DirectoryExists(operand, shell.Cwd),
            "-s" => shell.ReadFile(operand) is { Length: > 0 },
            "-t" => false,
            _ => throw new FormatException(op),
        };
    }

    private static bool Binary(string left, string op, string right, ShellInterpreter shell, bool bash)
    {
        switch (op)
        {
            case "=" or "==":
                return bash ? ShellPatterns.Matches(left, right) : left == right;
            case "!=":
                return bash ? !ShellPatterns.Matches(left, right) : left != right;
            case "<": return string.CompareOrdinal(left, right) < 0;
            case ">": return string.CompareOrdinal(left, right) > 0;
            case "=~":
                Match m;
                try
                {
                    m = PosixRegex.Create(right, extended: true).Match(left);
                }
                catch (ArgumentException)
                {
                    return false;
                }
                for (var g = 0; g < 10; g++) shell.Variables.Remove($"BASH_REMATCH_{g}");
                if (!m.Success)
                {
                    shell.Variables["BASH_REMATCH"] = "";
                    return false;
                }
                // Arrays are not simulated: ${BASH_REMATCH} is the whole match, BASH_REMATCH_1.. the groups.
                shell.Variables["BASH_REMATCH"] = m.Value;
                for (var g = 1; g < m.Groups.Count; g++) shell.Variables[$"BASH_REMATCH_{g}"] = m.Groups[g].Value;
                return true;
        }
        if (!long.TryParse(left.Trim(), out var l)) throw new FormatException($"{left}: bad number");
        if (!long.TryParse(right.Trim(), out var r)) throw new FormatException($"{right}: bad number");
        return op switch
        {
            "-eq" => l == r,
            "-ne" => l != r,
            "-lt" => l < r,
            "-le" => l <= r,
            "-gt" => l > r,
            _ => l >= r,
        };
    }
}

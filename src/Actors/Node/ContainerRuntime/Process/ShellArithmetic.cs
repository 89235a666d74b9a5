using System.Globalization;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// $(( )) arithmetic on 64-bit integers: + - * / % **, comparisons, &amp;&amp; ||, !, parentheses,
/// ?: and assignments (=, +=, -=, ++, --) to shell variables; a bare name reads the variable.
/// </summary>
internal sealed class ShellArithmetic
{
    private readonly string _text;
    private readonly ShellInterpreter _shell;
    private int _pos;

    private ShellArithmetic(string text, ShellInterpreter shell)
    {
        _text = text;
        _shell = shell;
    }

    public static long Evaluate(string expression, ShellInterpreter shell)
    {
        var parser = new ShellArithmetic(expression, shell);
        var value = parser.Ternary();
        parser.SkipBlanks();
        if (parser._pos < expression.Length) throw new FormatException(expression[parser._pos..]);
        return value;
    }

    private void SkipBlanks()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;
    }

    private bool Take(string op)
    {
        SkipBlanks();
        if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) != 0) return false;
        // "<" must not take the first half of "<=", "=" not the first of "==", and so on.
        if (op.Length == 1 && _pos + 1 < _text.Length && "=&|*<>".Contains(_text[_pos + 1]) && op is "<" or ">" or "=" or "!" or "&" or "|" or "*"
            && !(op == "*" && _text[_pos + 1] != '*')) return false;
        _pos += op.Length;
        return true;
    }

    private long Ternary()
    {
        var condition = Or();
        if (!Take("?")) return condition;
        var yes = Ternary();
        if (!Take(":")) throw new FormatException("expected :");
        var no = Ternary();
        return condition != 0 ? yes : no;
    }

    private long Or()
    {
        var left = And();
        while (Take("||")) left = (And() != 0 || left != 0) ? 1 : 0;
        return left;
    }

    private long And()
    {
        var left = Equality();
        while (Take("&&")) left = (Equality() != 0 && left != 0) ? 1 : 0;
        return left;
    }

    private long Equality()
    {
        var left = Relational();
        while (true)
        {
            if (Take("==")) left = left == Relational() ? 1 : 0;
            else if (Take("!=")) left = left != Relational() ? 1 : 0;
            else return left;
        }
    }

    private long Relational()
    {
        var left = Additive();
        while (true)
        {
            if (Take("<=")) left = left <= Additive() ? 1 : 0;
            else if (Take(">=")) left = left >= Additive() ? 1 : 0;
            else if (Take("<")) left = left < Additive() ? 1 : 0;
            else if (Take(">")) left = left > Additive() ? 1 : 0;
            else return left;
        }
    }

    private long Additive()
    {
        var left = Multiplicative();
        while (true)
        {
            SkipBlanks();
            if (_pos + 1 < _text.Length && _text[_pos + 1] == '=' ) return left;
            if (Take("+")) left += Multiplicative();
            else if (Take("-")) left -= Multiplicative();
            else return left;
        }
    }

    private long Multiplicative()
    {
        var left = Unary();
        while (true)
        {
            SkipBlanks();
            if (_pos + 1 < _text.Length && _text[_pos + 1] == '=' && _text[_pos] is '*' or '/' or '%') return left;
            if (Take("**")) left = (long)Math.Pow(left, Unary());
            else if (Take("*")) left *= Unary();
            else if (Take("/")) left = Divide(left, Unary(), false);
            else if (Take("%")) left = Divide(left, Unary(), true);
            else return left;
        }
    }

    private static long Divide(long a, long b, bool remainder)
    {
        if (b == 0) throw new FormatException("divide by zero");
        return remainder ? a % b : a / b;
    }

    private long Unary()
    {
        if (Take("!")) return Unary() == 0 ? 1 : 0;
        if (Take("++")) return Assign(Name(), v => v + 1);
        if (Take("--")) return Assign(Name(), v => v - 1);
        if (Take("-")) return -Unary();
        if (Take("+")) return Unary();
        return Primary();
    }

    private long Primary()
    {
        SkipBlanks();
        if (Take("("))
        {
            var inner = Ternary();
            if (!Take(")")) throw new FormatException("expected )");
            return inner;
        }
        if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]))
        {
            var start = _pos;
            while (_pos < _text.Length && char.IsAsciiLetterOrDigit(_text[_pos])) _pos++;
            var literal = _text[start.._pos];
            if (literal.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return long.Parse(literal[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (literal.Length > 1 && literal[0] == '0') return Convert.ToInt64(literal, 8);
            return long.TryParse(literal, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new FormatException(literal);
        }
        var name = Name();
        if (Take("++")) { var old = Read(name); Assign(name, v => v + 1); return old; }
        if (Take("--")) { var old = Read(name); Assign(name, v => v - 1); return old; }
        if (Take("+=")) { var v = Ternary(); return Assign(name, x => x + v); }
        if (Take("-=")) { var v = Ternary(); return Assign(name, x => x - v); }
        if (Take("*=")) { var v = Ternary(); return Assign(name, x => x * v); }
        if (Take("=")) { var v = Ternary(); return Assign(name, _ => v); }
        return Read(name);
    }

    private string Name()
    {
        SkipBlanks();
        var start = _pos;
        while (_pos < _text.Length && (char.IsAsciiLetterOrDigit(_text[_pos]) || _text[_pos] == '_')) _pos++;
        if (_pos == start) throw new FormatException(_pos < _text.Length ? _text[_pos..] : "missing operand");
        return _text[start.._pos];
    }

    private long Read(string name)
    {
        var text = _shell.Lookup(name).Trim();
        if (text.Length == 0) return 0;
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : Evaluate(text, _shell);
    }

    private long Assign(string name, Func<long, long> update)
    {
        var value = update(Read(name));
        _shell.Variables[name] = value.ToString(CultureInfo.InvariantCulture);
        return value;
    }
}

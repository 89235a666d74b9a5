namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

// The subset of POSIX shell grammar that container commands use: lists, && and ||, pipelines,
// while/until/for/if, groups. Anything else parses as a simple command.

internal abstract record ShellNode;

internal sealed record ListNode(IReadOnlyList<(ShellNode Node, bool Background)> Items) : ShellNode;

internal sealed record AndOrNode(ShellNode First, IReadOnlyList<(bool And, ShellNode Node)> Rest) : ShellNode;

internal sealed record PipelineNode(IReadOnlyList<ShellNode> Parts, bool Negated) : ShellNode;

/// <param name="Raw">The words as written (quotes kept), which the interpreter expands; null: same as Words.</param>
internal sealed record SimpleNode(IReadOnlyList<string> Words, IReadOnlyList<string>? Raw = null) : ShellNode
{
    public IReadOnlyList<string> Source => Raw ?? Words;
}

internal sealed record LoopNode(ShellNode Condition, ShellNode Body, bool Until) : ShellNode;

/// <param name="Variable">The loop variable.</param>
/// <param name="Items">The words after `in` as written; null: no `in` (the positional parameters).</param>
internal sealed record ForNode(int Count, ShellNode Body, string Variable = "", IReadOnlyList<string>? Items = null) : ShellNode;

internal sealed record IfNode(IReadOnlyList<(ShellNode Condition, ShellNode Body)> Branches, ShellNode? Else) : ShellNode;

internal sealed class ShellSyntaxException(string message) : Exception(message);

/// <summary>Recursive-descent parser over <see cref="ShellTokenizer"/> tokens.</summary>
internal sealed class ShellParser(List<ShellToken> tokens)
{
    private int _pos;

    public static ShellNode Parse(string script)
    {
        var parser = new ShellParser(ShellTokenizer.Tokenize(script));
        var list = parser.ParseList();
        if (parser.Peek() is { } rest) throw new ShellSyntaxException($"unexpected {rest.Text}");
        return list;
    }

    private ShellToken? Peek() => _pos < tokens.Count ? tokens[_pos] : null;

    private bool AtWord(params string[] words) => Peek() is { IsOperator: false } t && words.Contains(t.Text);

    private void Expect(string word)
    {
        if (!AtWord(word)) throw new ShellSyntaxException($"expected {word}");
        _pos++;
    }

    private void SkipSeparators()
    {
        while (Peek() is { } t && (t.Is(";") || t.Is("\n"))) _pos++;
    }

    private void SkipNewlines()
    {
        while (Peek() is { } t && t.Is("\n")) _pos++;
    }

    private ListNode ParseList(params string[] terminators)
    {
        var items = new List<(ShellNode, bool)>();
        while (true)
        {
            SkipSeparators();
            if (Peek() is not { } t || t.Is(")") || AtWord(terminators)) break;
            var node = ParseAndOr();
            var background = false;
            if (Peek() is { } next)
            {
                if (next.Is("&")) { background = true; _pos++; }
                else if (next.Is(";") || next.Is("\n")) _pos++;
                else if (!next.Is(")") && !AtWord(terminators) && next.IsOperator) throw new ShellSyntaxException($"unexpected {next.Text}");
            }
            items.Add((node, background));
        }
        return new ListNode(items);
    }

    private ShellNode ParseAndOr()
    {
        var first = ParsePipeline();
        var rest = new List<(bool, ShellNode)>();
        while (Peek() is { } t && (t.Is("&&") || t.Is("||")))
        {
            _pos++;
            SkipNewlines();
            rest.Add((t.Text == "&&", ParsePipeline()));
        }
        return rest.Count == 0 ? first : new AndOrNode(first, rest);
    }

    private ShellNode ParsePipeline()
    {
        var negated = false;
        if (AtWord("!")) { negated = true; _pos++; }
        var parts = new List<ShellNode> { ParseCommand() };
        while (Peek() is { } t && t.Is("|"))
        {
            _pos++;
            SkipNewlines();
            parts.Add(ParseCommand());
        }
        return parts.Count == 1 && !negated ? parts[0] : new PipelineNode(parts, negated);
    }

    private ShellNode ParseCommand()
    {
        var t = Peek() ?? throw new ShellSyntaxException("unexpected end of script");
        if (t.Is("("))
        {
            _pos++;
            var body = ParseList();
            if (Peek() is not { } close || !close.Is(")")) throw new ShellSyntaxException("expected )");
            _pos++;
            return body;
        }
        if (t.IsOperator) throw new ShellSyntaxException($"unexpected {t.Text}");
        switch (t.Text)
        {
            case "while" or "until":
            {
                _pos++;
                var condition = ParseList("do");
                Expect("do");
                var body = ParseList("done");
                Expect("done");
                return new LoopNode(condition, body, t.Text == "until");
            }
            case "for":
            {
                _pos++;
                var variable = Peek()?.Text ?? "";
                _pos++;
                var count = 0;
                List<string>? items = null;
                if (AtWord("in"))
                {
                    _pos++;
                    items = [];
                    while (Peek() is { IsOperator: false } item && item.Text != "do") { count += Items(item.Text); items.Add(item.Source); _pos++; }
                }
                SkipSeparators();
                Expect("do");
                var body = ParseList("done");
                Expect("done");
                return new ForNode(count, body, variable, items);
            }
            case "if":
            {
                _pos++;
                var branches = new List<(ShellNode, ShellNode)>();
                ShellNode? otherwise = null;
                var condition = ParseList("then");
                Expect("then");
                branches.Add((condition, ParseList("elif", "else", "fi")));
                while (AtWord("elif"))
                {
                    _pos++;
                    condition = ParseList("then");
                    Expect("then");
                    branches.Add((condition, ParseList("elif", "else", "fi")));
                }
                if (AtWord("else"))
                {
                    _pos++;
                    otherwise = ParseList("fi");
                }
                Expect("fi");
                return new IfNode(branches, otherwise);
            }
            case "case":
                while (Peek() is { } c && !c.IsWord("esac")) _pos++;
                Expect("esac");
                return new SimpleNode(["true"]);
            case "{":
            {
                _pos++;
                var body = ParseList("}");
                Expect("}");
                return body;
            }
        }
        var words = new List<string>();
        var raw = new List<string>();
        while (Peek() is { IsOperator: false } w)
        {
            words.Add(w.Text);
            raw.Add(w.Source);
            _pos++;
        }
        // A function definition "name() { ...; }" defines nothing we run.
        if (words.Count == 1 && Peek() is { } open && open.Is("(") && _pos + 1 < tokens.Count && tokens[_pos + 1].Is(")"))
        {
            _pos += 2;
            SkipNewlines();
            ParseCommand();
            return new SimpleNode(["true"]);
        }
        return new SimpleNode(words, raw);
    }

    /// <summary>How many items a for-list word stands for: "$(seq 1 5)" is five, a literal word one.</summary>
    private static int Items(string word)
    {
        var parts = word.Trim('$', '(', ')', '`').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length >= 2 && parts[0] == "seq" && int.TryParse(parts[^1], out var last))
        {
            var first = parts.Length >= 3 && int.TryParse(parts[1], out var f) ? f : 1;
            return Math.Max(0, last - first + 1);
        }
        return 1;
    }
}

using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

/// <summary>A shell token: a word (quotes removed) or an operator (; &amp;&amp; || | &amp; newline ( )).</summary>
/// <remarks><paramref name="Raw"/> is the word as written (quotes kept), for the interpreter's expansions.</remarks>
internal readonly record struct ShellToken(string Text, bool IsOperator, string? Raw = null)
{
    public string Source => Raw ?? Text;

    public bool Is(string op) => IsOperator && Text == op;

    public bool IsWord(string word) => !IsOperator && Text == word;
}

/// <summary>Splits a POSIX shell script into words and control operators, enough for container commands.</summary>
internal static class ShellTokenizer
{
    public static List<ShellToken> Tokenize(string script)
    {
        var tokens = new List<ShellToken>();
        var word = new StringBuilder();
        var inWord = false;
        var wordStart = 0;
        // Inside bash's [[ ]] parentheses and && || belong to the expression (a regex, a grouping).
        var inTest = false;
        // Here-documents whose bodies start after the current line: token index, delimiter, <<-, quoted.
        var pending = new List<(int Token, string Delimiter, bool StripTabs, bool Quoted)>();

        void EndWord(int end)
        {
            if (!inWord) return;
            var text = word.ToString();
            if (text == "[[" && wordStart == end - 2) inTest = true;
            else if (text == "]]") inTest = false;
            tokens.Add(new ShellToken(text, false, script[wordStart..end]));
            word.Clear();
            inWord = false;
        }

        for (var i = 0; i < script.Length; i++)
        {
            var c = script[i];
            if (!inWord) wordStart = i;
            if (inTest && c is '(' or ')' or '&' or '|' or '<' or '>')
            {
                inWord = true;
                word.Append(c);
                continue;
            }
            switch (c)
            {
                case '\'':
                    inWord = true;
                    var close = script.IndexOf('\'', i + 1);
                    if (close < 0) close = script.Length;
                    word.Append(script, i + 1, close - i - 1);
                    i = close;
                    break;
                case '"':
                    inWord = true;
                    for (i++; i < script.Length && script[i] != '"'; i++)
                    {
                        if (script[i] == '\\' && i + 1 < script.Length) i++;
                        word.Append(script[i]);
                    }
                    break;
                case '\\':
                    if (i + 1 < script.Length && script[i + 1] == '\n') { i++; break; }
                    inWord = true;
                    if (i + 1 < script.Length) word.Append(script[++i]);
                    break;
                case '#' when !inWord:
                    while (i + 1 < script.Length && script[i + 1] != '\n') i++;
                    break;
                case ' ' or '\t' or '\r':
                    EndWord(i);
                    break;
                case '\n':
                    EndWord(i);
                    tokens.Add(new ShellToken("\n", true));
                    foreach (var (index, delimiter, stripTabs, quoted) in pending)
                    {
                        var after = HereDocument.ReadBody(script, i + 1, delimiter, stripTabs, out var body);
                        tokens[index] = new ShellToken(tokens[index].Text, false, new HereDocument(body, quoted).Encode());
                        i = after - 1;
                    }
                    pending.Clear();
                    break;
                case '<' when !inWord && i + 2 < script.Length && script[i + 1] == '<' && script[i + 2] != '<':
                {
                    // "<<EOF", "<< 'EOF'", "<<-EOF": the word is a placeholder until the line ends.
                    var at = i + 2;
                    var stripTabs = at < script.Length && script[at] == '-';
                    if (stripTabs) at++;
                    while (at < script.Length && script[at] is ' ' or '\t') at++;
                    var delimiter = new StringBuilder();
                    var quoted = false;
                    for (; at < script.Length && script[at] is not (' ' or '\t' or '\n' or ';' or '|' or '&' or ')'); at++)
                    {
                        if (script[at] is '\'' or '"' or '\\') { quoted = true; continue; }
                        delimiter.Append(script[at]);
                    }
                    pending.Add((tokens.Count, delimiter.ToString(), stripTabs, quoted));
                    tokens.Add(new ShellToken("<<" + delimiter, false, new HereDocument("", quoted).Encode()));
                    i = at - 1;
                    break;
                }
                case ';' or '(' or ')':
                    EndWord(i);
                    if (c == ';' && i + 1 < script.Length && script[i + 1] == ';') i++; // ";;" (case) read as ";"
                    tokens.Add(new ShellToken(c.ToString(), true));
                    break;
                case '&' or '|':
                    // "2>&1" and ">&2" are redirections, part of a word.
                    if (c == '&' && inWord && word.Length > 0 && word[^1] == '>') { word.Append(c); break; }
                    EndWord(i);
                    if (i + 1 < script.Length && script[i + 1] == c)
                    {
                        tokens.Add(new ShellToken(new string(c, 2), true));
                        i++;
                    }
                    else tokens.Add(new ShellToken(c.ToString(), true));
                    break;
                case '`':
                {
                    // A backquoted command substitution is one word with its blanks.
                    inWord = true;
                    var end = script.IndexOf('`', i + 1);
                    if (end < 0) end = script.Length - 1;
                    word.Append(script, i, end - i + 1);
                    i = end;
                    break;
                }
                case '$' when i + 1 < script.Length && script[i + 1] == '(':
                    // A command substitution stays one word; its output does not matter here.
                    inWord = true;
                    var depth = 0;
                    for (; i < script.Length; i++)
                    {
                        word.Append(script[i]);
                        if (script[i] == '(') depth++;
                        else if (script[i] == ')' && --depth == 0) break;
                    }
                    break;
                default:
                    inWord = true;
                    word.Append(c);
                    break;
            }
        }
        EndWord(script.Length);
        return tokens;
    }
}

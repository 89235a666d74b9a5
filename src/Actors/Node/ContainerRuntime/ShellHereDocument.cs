namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

/// <summary>
/// A here-document (`cmd &lt;&lt;EOF` ... `EOF`, `&lt;&lt;-EOF` strips leading tabs, a quoted delimiter
/// such as `&lt;&lt;'EOF'` keeps the body as written). The tokenizer reads the body after the line's end
/// and hands it to the command as one word in this marked form, which the interpreter turns into
/// the command's stdin.
/// </summary>
/// <param name="Body">The lines up to the delimiter line, each ending in a newline.</param>
/// <param name="Quoted">The delimiter was quoted: no expansion of the body.</param>
internal sealed record HereDocument(string Body, bool Quoted)
{
    private const char Marker = '\u0001';

    public string Encode() => Marker + (Quoted ? "Q" : "U") + Body;

    /// <summary>The here-document a word stands for; null for any other word.</summary>
    public static HereDocument? Parse(string raw) =>
        raw.Length >= 2 && raw[0] == Marker ? new HereDocument(raw[2..], raw[1] == 'Q') : null;

    /// <summary>
    /// Reads the body that starts at <paramref name="start"/> (just after the newline ending the
    /// command's line); returns where the text after the delimiter line starts. A missing delimiter
    /// ends the body at the end of the script, as bash does (with a warning we do not print).
    /// </summary>
    public static int ReadBody(string script, int start, string delimiter, bool stripTabs, out string body)
    {
        var sb = new System.Text.StringBuilder();
        var pos = start;
        while (pos < script.Length)
        {
            var end = script.IndexOf('\n', pos);
            var line = end < 0 ? script[pos..] : script[pos..end];
            var next = end < 0 ? script.Length : end + 1;
            if (stripTabs) line = line.TrimStart('\t');
            if (line.TrimEnd('\r') == delimiter)
            {
                body = sb.ToString();
                return next;
            }
            sb.Append(line).Append('\n');
            pos = next;
        }
        body = sb.ToString();
        return script.Length;
    }
}

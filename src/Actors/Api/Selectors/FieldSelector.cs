namespace Akka.KubeEmu.Actors.Api.Selectors;

/// <summary>
/// A field selector (k8s.io/apimachinery/pkg/fields): comma-separated <c>path=value</c>,
/// <c>path==value</c> or <c>path!=value</c> terms, all of which must hold.
/// </summary>
public sealed class FieldSelector
{
    public sealed record Term(string Field, string Value, bool Negated)
    {
        public bool Matches(IReadOnlyDictionary<string, string> fields) =>
            (fields.TryGetValue(Field, out var actual) ? actual : "") == Value != Negated;
    }

    public static readonly FieldSelector Everything = new([]);

    public IReadOnlyList<Term> Terms { get; }

    public FieldSelector(IReadOnlyList<Term> terms) => Terms = terms;

    public bool IsEmpty => Terms.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var t in Terms)
            if (!t.Matches(fields)) return false;
        return true;
    }

    /// <summary>The value a term requires of <paramref name="field"/> by equality, if any (used to index watchers).</summary>
    public string? RequiredValue(string field) =>
        Terms.FirstOrDefault(t => t.Field == field && !t.Negated)?.Value;

    /// <summary>The terms that pin a field to one value (<c>=</c>, <c>==</c>): what an index can answer.</summary>
    public IEnumerable<(string Field, string Value)> EqualityRequirements =>
        Terms.Where(t => !t.Negated).Select(t => (t.Field, t.Value));

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var terms = new List<Term>();
        foreach (var raw in SplitTerms(text))
        {
            var part = raw.Trim();
            if (part.Length == 0) continue;
            int at;
            if ((at = part.IndexOf("!=", StringComparison.Ordinal)) > 0)
                terms.Add(new Term(part[..at].Trim(), Unescape(part[(at + 2)..].Trim()), true));
            else if ((at = part.IndexOf("==", StringComparison.Ordinal)) > 0)
                terms.Add(new Term(part[..at].Trim(), Unescape(part[(at + 2)..].Trim()), false));
            else if ((at = part.IndexOf('=')) > 0)
                terms.Add(new Term(part[..at].Trim(), Unescape(part[(at + 1)..].Trim()), false));
            else
                throw new FormatException($"invalid selector: '{text}'; can't understand '{part}'");
        }
        return new FieldSelector(terms);
    }

    public override string ToString() => string.Join(",", Terms.Select(t => $"{t.Field}{(t.Negated ? "!=" : "=")}{t.Value}"));

    // Values may escape ',' and '=' with a backslash (fields.EscapeValue).
    private static IEnumerable<string> SplitTerms(string text)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] == ',') { yield return text[start..i]; start = i + 1; }
        }
        yield return text[start..];
    }

    private static string Unescape(string v) =>
        v.Replace("\\,", ",").Replace("\\=", "=").Replace("\\\\", "\\");
}

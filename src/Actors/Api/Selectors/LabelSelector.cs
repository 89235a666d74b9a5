namespace Akka.KubeEmu.Actors.Api.Selectors;

/// <summary>
/// A label selector in the string form of k8s.io/apimachinery/pkg/labels:
/// <c>a=b,c!=d,e in (x,y),f notin (z),g,!h</c>.
/// </summary>
public sealed class LabelSelector
{
    public enum Operator { Equals, NotEquals, In, NotIn, Exists, DoesNotExist }

    public sealed record Requirement(string Key, Operator Op, IReadOnlyList<string> Values)
    {
        public bool Matches(IReadOnlyDictionary<string, string> labels)
        {
            var has = labels.TryGetValue(Key, out var value);
            return Op switch
            {
                Operator.Exists => has,
                Operator.DoesNotExist => !has,
                Operator.Equals or Operator.In => has && Values.Contains(value!),
                Operator.NotEquals or Operator.NotIn => !has || !Values.Contains(value!),
                _ => false,
            };
        }
    }

    public static readonly LabelSelector Everything = new([]);

    public IReadOnlyList<Requirement> Requirements { get; }

    public LabelSelector(IReadOnlyList<Requirement> requirements) => Requirements = requirements;

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in Requirements)
            if (!r.Matches(labels)) return false;
        return true;
    }

    /// <summary>The requirements that pin a label to one value (<c>=</c>, <c>==</c>, <c>in</c> with one value): what an index can answer.</summary>
    public IEnumerable<(string Key, string Value)> EqualityRequirements =>
        Requirements.Where(r => r.Op is Operator.Equals || (r.Op is Operator.In && r.Values.Count == 1))
            .Select(r => (r.Key, r.Values[0]));

    /// <summary>Parses the selector or throws <see cref="FormatException"/> with the apiserver's wording.</summary>
    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var reqs = new List<Requirement>();
        var i = 0;
        while (i < text.Length)
        {
            SkipSpaces(text, ref i);
            if (i >= text.Length) break;
            var negated = text[i] == '!';
            if (negated) i++;
            var key = ReadToken(text, ref i);
            if (key.Length == 0) throw new FormatException($"unable to parse requirement: found '{Rest(text, i)}', expected: identifier");
            SkipSpaces(text, ref i);
            if (negated)
            {
                reqs.Add(new Requirement(key, Operator.DoesNotExist, []));
            }
            else if (i >= text.Length || text[i] == ',')
            {
                reqs.Add(new Requirement(key, Operator.Exists, []));
            }
            else if (text[i] == '=' || text[i] == '!')
            {
                Operator op;
                if (text[i] == '!') { Expect(text, ref i, "!="); op = Operator.NotEquals; }
                else if (i + 1 < text.Length && text[i + 1] == '=') { i += 2; op = Operator.Equals; }
                else { i++; op = Operator.Equals; }
                SkipSpaces(text, ref i);
                var value = ReadToken(text, ref i);
                reqs.Add(new Requirement(key, op, [value]));
            }
            else
            {
                var word = ReadToken(text, ref i);
                var op = word switch
                {
                    "in" => Operator.In,
                    "notin" => Operator.NotIn,
                    _ => throw new FormatException($"unable to parse requirement: found '{word}', expected: in, notin, =, ==, !=, gt, lt"),
                };
                SkipSpaces(text, ref i);
                if (i >= text.Length || text[i] != '(') throw new FormatException($"unable to parse requirement: found '{Rest(text, i)}', expected: '('");
                i++;
                var values = new List<string>();
                while (true)
                {
                    SkipSpaces(text, ref i);
                    values.Add(ReadToken(text, ref i));
                    SkipSpaces(text, ref i);
                    if (i >= text.Length) throw new FormatException("unable to parse requirement: found '', expected: ',', ')'");
                    if (text[i] == ',') { i++; continue; }
                    if (text[i] == ')') { i++; break; }
                    throw new FormatException($"unable to parse requirement: found '{Rest(text, i)}', expected: ',', ')'");
                }
                reqs.Add(new Requirement(key, op, values));
            }
            SkipSpaces(text, ref i);
            if (i < text.Length)
            {
                if (text[i] != ',') throw new FormatException($"found '{Rest(text, i)}', expected: ',' or 'end of string'");
                i++;
            }
        }
        foreach (var r in reqs) ValidateKey(r.Key);
        return new LabelSelector(reqs);
    }

    /// <summary>Builds a selector from a <c>metav1.LabelSelector</c> (matchLabels + matchExpressions).</summary>
    public static LabelSelector FromMatch(IReadOnlyDictionary<string, string>? matchLabels,
        IEnumerable<(string Key, string Operator, IReadOnlyList<string> Values)>? expressions)
    {
        var reqs = new List<Requirement>();
        if (matchLabels is not null)
            foreach (var (k, v) in matchLabels) reqs.Add(new Requirement(k, Operator.Equals, [v]));
        if (expressions is not null)
            foreach (var (k, op, values) in expressions)
                reqs.Add(new Requirement(k, op switch
                {
                    "In" => Operator.In,
                    "NotIn" => Operator.NotIn,
                    "Exists" => Operator.Exists,
                    "DoesNotExist" => Operator.DoesNotExist,
                    _ => throw new FormatException($"\"{op}\" is not a valid label selector operator"),
                }, values));
        return new LabelSelector(reqs);
    }

    public override string ToString() => string.Join(",", Requirements.Select(r => r.Op switch
    {
        Operator.Exists => r.Key,
        Operator.DoesNotExist => "!" + r.Key,
        Operator.Equals => $"{r.Key}={r.Values[0]}",
        Operator.NotEquals => $"{r.Key}!={r.Values[0]}",
        Operator.In => $"{r.Key} in ({string.Join(",", r.Values)})",
        _ => $"{r.Key} notin ({string.Join(",", r.Values)})",
    }));

    private static void ValidateKey(string key)
    {
        if (key.Length == 0 || key.Length > 317 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
            throw new FormatException($"unable to parse requirement: invalid label key \"{key}\"");
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is not (' ' or ',' or '=' or '!' or '(' or ')')) i++;
        return s[start..i];
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] == ' ') i++;
    }

    private static void Expect(string s, ref int i, string token)
    {
        if (string.CompareOrdinal(s, i, token, 0, token.Length) != 0)
            throw new FormatException($"found '{Rest(s, i)}', expected: {token}");
        i += token.Length;
    }

    private static string Rest(string s, int i) => i < s.Length ? s[i..] : "";
}

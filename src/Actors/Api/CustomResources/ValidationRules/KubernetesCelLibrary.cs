using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using Cel;

namespace Akka.KubeEmu.Actors.Api.CustomResources.ValidationRules;

/// <summary>
/// The functions kube-apiserver adds to CEL for validation rules, beyond the cel-spec standard ones the
/// Cel package implements: cel-go's strings extension (lowerAscii, split, join, ...) and Kubernetes'
/// list and regex libraries (isSorted, sum, min, max, indexOf, find, findAll). The URL, IP/CIDR,
/// quantity and authorizer libraries are not here (docs/custom-resources.md "Not done").
/// </summary>
public static class KubernetesCelLibrary
{
    /// <summary>Every function name a rule may call: cel-spec's, the Cel package's macros, and the ones registered here.</summary>
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        // cel-spec standard functions and macros the Cel package provides.
        "has", "size", "matches", "contains", "startsWith", "endsWith", "all", "exists", "exists_one", "map", "filter",
        "int", "uint", "double", "string", "bool", "bytes", "type", "dyn", "duration", "timestamp",
        "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getFullYear", "getHours", "getMilliseconds",
        "getMinutes", "getMonth", "getSeconds",
        // Registered below.
        "charAt", "indexOf", "lastIndexOf", "lowerAscii", "upperAscii", "replace", "split", "substring", "trim", "join",
        "isSorted", "sum", "min", "max", "find", "findAll",
    };

    /// <summary>Names a rule may use as values besides its variables: the type denotations (<c>type(self) == map</c>).</summary>
    public static readonly IReadOnlySet<string> TypeNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type",
    };

    public static void Register(CelEnvironment env)
    {
        Type s = typeof(string), l = typeof(long), list = typeof(IList), any = typeof(object);
        env.RegisterFunction("charAt", [s, l], a => CharAt(Str(a[0]), (long)a[1]!));
        env.RegisterFunction("indexOf", [s, s], a => (long)Str(a[0]).IndexOf(Str(a[1]), StringComparison.Ordinal));
        env.RegisterFunction("indexOf", [s, s, l], a => IndexOf(Str(a[0]), Str(a[1]), (long)a[2]!));
        env.RegisterFunction("lastIndexOf", [s, s], a => (long)Str(a[0]).LastIndexOf(Str(a[1]), StringComparison.Ordinal));
        env.RegisterFunction("lowerAscii", [s], a => Ascii(Str(a[0]), char.ToLowerInvariant));
        env.RegisterFunction("upperAscii", [s], a => Ascii(Str(a[0]), char.ToUpperInvariant));
        env.RegisterFunction("replace", [s, s, s], a => Str(a[0]).Replace(Str(a[1]), Str(a[2]), StringComparison.Ordinal));
        env.RegisterFunction("replace", [s, s, s, l], a => Replace(Str(a[0]), Str(a[1]), Str(a[2]), (long)a[3]!));
        env.RegisterFunction("split", [s, s], a => Str(a[0]).Split(Str(a[1])).Cast<object?>().ToList());
        env.RegisterFunction("split", [s, s, l], a => Split(Str(a[0]), Str(a[1]), (long)a[2]!));
        env.RegisterFunction("substring", [s, l], a => Substring(Str(a[0]), (long)a[1]!, null));
        env.RegisterFunction("substring", [s, l, l], a => Substring(Str(a[0]), (long)a[1]!, (long)a[2]!));
        env.RegisterFunction("trim", [s], a => Str(a[0]).Trim());
        env.RegisterFunction("join", [list], a => string.Join("", Items(a[0]).Select(Str)));
        env.RegisterFunction("join", [list, s], a => string.Join(Str(a[1]), Items(a[0]).Select(Str)));
        env.RegisterFunction("isSorted", [list], a => Items(a[0]).Zip(Items(a[0]).Skip(1)).All(p => Compare(p.Item1, p.Item2) <= 0));
        env.RegisterFunction("sum", [list], a => Sum(Items(a[0])));
        env.RegisterFunction("min", [list], a => Extreme(Items(a[0]), -1));
        env.RegisterFunction("max", [list], a => Extreme(Items(a[0]), 1));
        env.RegisterFunction("indexOf", [list, any], a => (long)Items(a[0]).FindIndex(x => Equals(x, a[1])));
        env.RegisterFunction("lastIndexOf", [list, any], a => (long)Items(a[0]).FindLastIndex(x => Equals(x, a[1])));
        env.RegisterFunction("find", [s, s], a => Regex.Match(Str(a[0]), Str(a[1])) is { Success: true } m ? m.Value : "");
        env.RegisterFunction("findAll", [s, s], a => Regex.Matches(Str(a[0]), Str(a[1])).Select(m => (object?)m.Value).ToList());
        env.RegisterFunction("findAll", [s, s, l], a => Regex.Matches(Str(a[0]), Str(a[1])).Take(Limit((long)a[2]!)).Select(m => (object?)m.Value).ToList());
    }

    private static string Str(object? value) => value as string ?? throw new CelEvaluationError("no such overload");

    private static List<object?> Items(object? value) => (value as IList)?.Cast<object?>().ToList() ?? throw new CelEvaluationError("no such overload");

    // cel-go's strings extension counts code points, not UTF-16 units.
    private static string CharAt(string text, long index)
    {
        var runes = text.EnumerateRunes().ToArray();
        if (index < 0 || index > runes.Length) throw new CelEvaluationError($"index out of range: {index}");
        return index == runes.Length ? "" : runes[index].ToString();
    }

    private static long IndexOf(string text, string part, long offset)
    {
        if (offset < 0 || offset > text.Length) throw new CelEvaluationError($"index out of range: {offset}");
        return text.IndexOf(part, (int)offset, StringComparison.Ordinal);
    }

    private static string Ascii(string text, Func<char, char> map)
    {
        var b = new StringBuilder(text.Length);
        foreach (var c in text) b.Append(c < 128 ? map(c) : c);
        return b.ToString();
    }

    private static string Replace(string text, string old, string replacement, long count)
    {
        if (count < 0) return text.Replace(old, replacement, StringComparison.Ordinal);
        var b = new StringBuilder();
        var at = 0;
        for (var n = 0; n < count && old.Length > 0; n++)
        {
            var found = text.IndexOf(old, at, StringComparison.Ordinal);
            if (found < 0) break;
            b.Append(text, at, found - at).Append(replacement);
            at = found + old.Length;
        }
        return b.Append(text, at, text.Length - at).ToString();
    }

    private static List<object?> Split(string text, string separator, long limit) =>
        limit == 0 ? [] : limit < 0 ? text.Split(separator).Cast<object?>().ToList()
            : text.Split(separator, (int)Math.Min(limit, int.MaxValue)).Cast<object?>().ToList();

    private static string Substring(string text, long start, long? end)
    {
        var runes = text.EnumerateRunes().ToArray();
        var last = end ?? runes.Length;
        if (start < 0 || start > runes.Length) throw new CelEvaluationError($"index out of range: {start}");
        if (last < start || last > runes.Length) throw new CelEvaluationError($"index out of range: {last}");
        return string.Concat(runes.Skip((int)start).Take((int)(last - start)).Select(r => r.ToString()));
    }

    private static object Sum(List<object?> items)
    {
        if (items.Count == 0) return 0L;
        if (items.All(i => i is long)) return items.Sum(i => (long)i!);
        if (items.All(i => i is double or long)) return items.Sum(i => Convert.ToDouble(i, System.Globalization.CultureInfo.InvariantCulture));
        throw new CelEvaluationError("no such overload");
    }

    private static object? Extreme(List<object?> items, int sign)
    {
        if (items.Count == 0) throw new CelEvaluationError(sign < 0 ? "min(list) argument must not be empty" : "max(list) argument must not be empty");
        var best = items[0];
        foreach (var item in items.Skip(1))
            if (Compare(item, best) * sign > 0) best = item;
        return best;
    }

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (long x, long y) => x.CompareTo(y),
        (double or long, double or long) => Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture)
            .CompareTo(Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)),
        (bool x, bool y) => x.CompareTo(y),
        _ => throw new CelEvaluationError("no such overload"),
    };

    private static int Limit(long n) => n < 0 ? int.MaxValue : (int)Math.Min(n, int.MaxValue);
}

/// <summary>A runtime error of a rule, with cel-go's text ("no such key: x", "division by zero").</summary>
public sealed class CelEvaluationError(string message) : Exception(message);

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// Go's <c>%#v</c> of the values kube-apiserver v1.32 prints in field errors that are neither
/// numbers nor strings (field.Error.ErrorBody falls back to it): maps, label selectors,
/// IntOrStrings. A JSON field that is absent or null is Go's nil; an empty one is not.
/// </summary>
public static class GoSyntax
{
    /// <summary><c>map[string]string{"app":"web", "tier":"db"}</c>, keys sorted as fmt sorts them.</summary>
    public static string StringMap(JsonNode? node) => node is JsonObject map
        ? "map[string]string{" + string.Join(", ", KubeObject.StringMap(map).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{Quote(p.Key)}:{Quote(p.Value)}")) + "}"
        : "map[string]string(nil)";

    /// <summary><c>v1.LabelSelector{MatchLabels:..., MatchExpressions:[]v1.LabelSelectorRequirement(nil)}</c>.</summary>
    public static string LabelSelector(JsonNode? selector)
    {
        var expressions = selector?["matchExpressions"] is JsonArray list
            ? "[]v1.LabelSelectorRequirement{" + string.Join(", ", list.Select(Requirement)) + "}"
            : "[]v1.LabelSelectorRequirement(nil)";
        return $"v1.LabelSelector{{MatchLabels:{StringMap(selector?["matchLabels"])}, MatchExpressions:{expressions}}}";
    }

    /// <summary><c>intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}</c>; Type 0 is an int, 1 a string.</summary>
    public static string IntOrString(JsonNode? value) => KubeObject.Long(value) is { } n
        ? $"intstr.IntOrString{{Type:0, IntVal:{n.ToString(CultureInfo.InvariantCulture)}, StrVal:\"\"}}"
        : $"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{Quote(KubeObject.ScalarText(value) ?? "")}}}";

    /// <summary>strconv.Quote: double quotes, Go escapes for quotes, backslashes and control characters.</summary>
    public static string Quote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
            b.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                < ' ' or '\x7f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        return b.Append('"').ToString();
    }

    /// <summary><c>[]string{"a", "b"}</c>.</summary>
    public static string StringSlice(IEnumerable<string> values) => "[]string{" + string.Join(", ", values.Select(Quote)) + "}";

    private static string Requirement(JsonNode? e)
    {
        var values = e?["values"] is JsonArray v
            ? StringSlice(v.Select(x => KubeObject.ScalarText(x) ?? ""))
            : "[]string(nil)";
        return $"v1.LabelSelectorRequirement{{Key:{Quote(KubeObject.String(e, "key") ?? "")}, Operator:{Quote(KubeObject.String(e, "operator") ?? "")}, Values:{values}}}";
    }
}

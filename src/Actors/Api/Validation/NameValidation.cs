using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>The name formats of k8s.io/apimachinery/pkg/util/validation, with their exact messages.</summary>
public static partial class NameValidation
{
    public const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    /// <summary>Service names (IsDNS1035Label): a label that starts with a letter.</summary>
    public static IEnumerable<string> Dns1035Label(string value)
    {
        if (value.Length > 63) yield return "must be no more than 63 characters";
        if (!Label1035().IsMatch(value)) yield return Dns1035LabelMessage;
    }

    public static IEnumerable<string> Dns1123Subdomain(string value)
    {
        if (value.Length > 253) yield return "must be no more than 253 characters";
        if (!Subdomain().IsMatch(value)) yield return Dns1123SubdomainMessage;
    }

    public static IEnumerable<string> Dns1123Label(string value)
    {
        if (value.Length > 63) yield return "must be no more than 63 characters";
        if (!Label().IsMatch(value)) yield return Dns1123LabelMessage;
    }

    /// <summary>Label and annotation keys: [prefix/]name (IsQualifiedName).</summary>
    public static IEnumerable<string> QualifiedName(string value)
    {
        var parts = value.Split('/');
        string name;
        if (parts.Length == 2)
        {
            if (parts[0].Length == 0) yield return "prefix part must be non-empty";
            else foreach (var m in Dns1123Subdomain(parts[0])) yield return "prefix part " + m;
            name = parts[1];
        }
        else if (parts.Length == 1) name = value;
        else
        {
            yield return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
            yield break;
        }
        if (name.Length == 0) yield return "name part must be non-empty";
        else if (name.Length > 63) yield return "name part must be no more than 63 characters";
        if (name.Length > 0 && !QualifiedNamePart().IsMatch(name))
            yield return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    }

    public static IEnumerable<string> LabelValue(string value)
    {
        if (value.Length > 63) yield return "must be no more than 63 characters";
        if (value.Length > 0 && !QualifiedNamePart().IsMatch(value))
            yield return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label1035();

    [GeneratedRegex(@"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();
}

using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// Kubernetes' version priority (apimachinery CompareKubeAwareVersionStrings): GA before beta before
/// alpha, then higher major, then higher minor versions first; versions that do not look like Kubernetes versions come last, alphabetically.
/// </summary>
public sealed partial class VersionPriority : IComparer<string>
{
    public static readonly VersionPriority Instance = new();

    public int Compare(string? x, string? y)
    {
        var a = Parse(x ?? "");
        var b = Parse(y ?? "");
        if (a is null || b is null)
            return a is not null ? -1 : b is not null ? 1 : string.CompareOrdinal(x, y);
        if (a.Value.Stage != b.Value.Stage) return b.Value.Stage.CompareTo(a.Value.Stage);
        if (a.Value.Major != b.Value.Major) return b.Value.Major.CompareTo(a.Value.Major);
        return b.Value.Minor.CompareTo(a.Value.Minor);
    }

    // Stage: 2 GA, 1 beta, 0 alpha.
    private static (int Major, int Stage, int Minor)? Parse(string version)
    {
        var m = KubeVersion().Match(version);
        if (!m.Success) return null;
        var stage = m.Groups[2].Value switch { "" => 2, "beta" => 1, _ => 0 };
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), stage,
            m.Groups[3].Value.Length > 0 ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    [GeneratedRegex("^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$")]
    private static partial Regex KubeVersion();
}

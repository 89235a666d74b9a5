using System.Globalization;
using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Host.Chaos.Experiments;

/// <summary>Durations as experiment files write them: 500ms, 30s, 2m, 1h, or a sum (1m30s).</summary>
public static partial class ExperimentDuration
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var matches = Part().Matches(text.Trim());
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text.Trim()) return false;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            duration += m.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        }
        return true;
    }

    public static string Format(TimeSpan? d) => d is { } t ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "-";

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ms|s|m|h)")]
    private static partial Regex Part();
}

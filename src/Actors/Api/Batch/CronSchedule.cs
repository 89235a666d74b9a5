using System.Globalization;
using Cronos;

namespace Akka.KubeEmu.Actors.Api.Batch;

/// <summary>
/// A CronJob schedule as robfig/cron's ParseStandard reads it (what kube-apiserver validates and the
/// CronJob controller runs): five fields with names, ranges, steps, '*' and '?', the descriptors
/// @yearly @annually @monthly @weekly @daily @midnight @hourly, and @every &lt;duration&gt;. The syntax
/// check gives robfig's own error messages; occurrences are computed by Cronos (a well-kept library)
/// in the schedule's time zone.
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression? _cron;
    private readonly TimeSpan _every;

    private CronSchedule(CronExpression? cron, TimeSpan every)
    {
        _cron = cron;
        _every = every;
    }

    /// <summary>The zone a CRON_TZ= or TZ= prefix names (schedules written before the timeZone field).</summary>
    public TimeZoneInfo? Zone { get; private init; }

    private static readonly Dictionary<string, string> Descriptors = new(StringComparer.Ordinal)
    {
        ["@yearly"] = "0 0 1 1 *", ["@annually"] = "0 0 1 1 *", ["@monthly"] = "0 0 1 * *", ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *", ["@midnight"] = "0 0 * * *", ["@hourly"] = "0 * * * *",
    };

    private static readonly (string Name, int Min, int Max, string[]? Names)[] Fields =
    [
        ("minute", 0, 59, null), ("hour", 0, 23, null), ("day of month", 1, 31, null),
        ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        ("day of week", 0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    /// <summary>Parses a schedule, or returns robfig/cron's error message.</summary>
    public static (CronSchedule? Schedule, string? Error) Parse(string spec)
    {
        var text = spec.Trim();
        if (text.Length == 0) return (null, "empty spec string");
        TimeZoneInfo? prefixZone = null;
        // CRON_TZ=/TZ= prefixes parse (validation refuses them on create with its own message).
        if (text.StartsWith("TZ=", StringComparison.Ordinal) || text.StartsWith("CRON_TZ=", StringComparison.Ordinal))
        {
            var space = text.IndexOf(' ');
            var zone = space < 0 ? text[(text.IndexOf('=') + 1)..] : text[(text.IndexOf('=') + 1)..space];
            prefixZone = CronZones.Find(zone);
            if (prefixZone is null) return (null, $"provided bad location {zone}: unknown time zone {zone}");
            text = space < 0 ? "" : text[(space + 1)..].Trim();
        }
        if (text.StartsWith('@'))
        {
            if (text.StartsWith("@every ", StringComparison.Ordinal))
            {
                var duration = text["@every ".Length..].Trim();
                if (ParseDuration(duration) is not { } every)
                    return (null, $"failed to parse duration {text}: time: invalid duration \"{duration}\"");
                // robfig: an interval under a second runs every second; it is rounded down to whole seconds.
                every = TimeSpan.FromSeconds(Math.Max(1, Math.Floor(every.TotalSeconds)));
                return (new CronSchedule(null, every) { Zone = prefixZone }, null);
            }
            if (!Descriptors.TryGetValue(text, out var expansion)) return (null, $"unrecognized descriptor: {text}");
            text = expansion;
        }
        var fields = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5) return (null, $"expected exactly 5 fields, found {fields.Length}: [{string.Join(" ", fields)}]");
        var normalised = new string[5];
        for (var i = 0; i < 5; i++)
        {
            if (Field(fields[i], Fields[i].Min, Fields[i].Max, Fields[i].Names) is { } error) return (null, error);
            normalised[i] = fields[i] == "?" ? "*" : fields[i];
        }
        try
        {
            return (new CronSchedule(CronExpression.Parse(string.Join(' ', normalised)), TimeSpan.Zero) { Zone = prefixZone }, null);
        }
        catch (CronFormatException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The first activation strictly after <paramref name="after"/> in <paramref name="zone"/>, if any.</summary>
    public DateTimeOffset? Next(DateTimeOffset after, TimeZoneInfo zone)
    {
        if (_cron is null)
        {
            // ConstantDelaySchedule: the delay from the given time, on a whole second.
            var next = after + _every;
            return new DateTimeOffset(next.UtcTicks - next.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
        }
        return _cron.GetNextOccurrence(after, zone, inclusive: false);
    }

    /// <summary>robfig's getField/getRange: every comma-separated range must name values of the field.</summary>
    private static string? Field(string field, int min, int max, string[]? names)
    {
        foreach (var expr in field.Split(','))
        {
            var slash = expr.Split('/');
            if (slash.Length > 2) return $"too many slashes: {expr}";
            var range = slash[0].Split('-');
            if (range.Length > 2) return $"too many hyphens: {expr}";
            int start, end;
            var singleDigit = false;
            if (range[0] is "*" or "?")
            {
                start = min;
                end = max;
            }
            else
            {
                if (Value(range[0], names, min) is not { } s) return ParseError(range[0]);
                start = s;
                if (range.Length == 2)
                {
                    if (Value(range[1], names, min) is not { } e) return ParseError(range[1]);
                    end = e;
                }
                else
                {
                    end = start;
                    singleDigit = true;
                }
            }
            if (slash.Length == 2)
            {
                if (!int.TryParse(slash[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var step))
                    return ParseError(slash[1]);
                if (step <= 0) return $"step of range should be a positive number: {expr}";
                if (singleDigit) end = max;
            }
            if (start < min) return $"beginning of range ({start}) below minimum ({min}): {expr}";
            if (end > max) return $"end of range ({end}) above maximum ({max}): {expr}";
            if (start > end) return $"beginning of range ({start}) beyond end of range ({end}): {expr}";
        }
        return null;
    }

    private static int? Value(string text, string[]? names, int min)
    {
        if (names is not null)
        {
            var i = Array.IndexOf(names, text.ToLowerInvariant());
            if (i >= 0) return i + (min == 1 ? 1 : 0);
        }
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    /// <summary>time.ParseDuration for what @every takes: "90s", "1h30m", "1.5h".</summary>
    private static TimeSpan? ParseDuration(string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(?:(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s))+$");
        if (!match.Success) return null;
        var total = TimeSpan.Zero;
        for (var i = 0; i < match.Groups[1].Captures.Count; i++)
        {
            var n = double.Parse(match.Groups[1].Captures[i].Value, CultureInfo.InvariantCulture);
            total += match.Groups[2].Captures[i].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                _ => TimeSpan.Zero,
            };
        }
        return total;
    }

    private static string ParseError(string text) =>
        $"failed to parse int from {text}: strconv.Atoi: parsing {Validation.GoSyntax.Quote(text)}: invalid syntax";
}

/// <summary>IANA time zones as Go's time.LoadLocation finds them ("UTC" and "" are UTC; "Local" is refused by validation).</summary>
public static class CronZones
{
    public static TimeZoneInfo? Find(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == "UTC") return TimeZoneInfo.Utc;
        if (name.Contains("..", StringComparison.Ordinal) || name.StartsWith('/')) return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}

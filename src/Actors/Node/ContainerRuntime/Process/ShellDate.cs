using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>`date` in virtual time: the default output and the common +FORMAT specifiers.</summary>
internal static class ShellDate
{
    /// <summary>"Wed Dec  2 00:44:22 UTC 2026", as busybox and coreutils print it in UTC.</summary>
    public static string Default(DateTime utc) =>
        utc.ToString("ddd MMM ", CultureInfo.InvariantCulture) + utc.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) +
        utc.ToString(" HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);

    public static string Format(DateTime utc, string format)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var spec = format[++i];
            sb.Append(spec switch
            {
                'Y' => utc.ToString("yyyy", CultureInfo.InvariantCulture),
                'm' => utc.ToString("MM", CultureInfo.InvariantCulture),
                'd' => utc.ToString("dd", CultureInfo.InvariantCulture),
                'H' => utc.ToString("HH", CultureInfo.InvariantCulture),
                'M' => utc.ToString("mm", CultureInfo.InvariantCulture),
                'S' => utc.ToString("ss", CultureInfo.InvariantCulture),
                'T' => utc.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                'F' => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'D' => utc.ToString("MM/dd/yy", CultureInfo.InvariantCulture),
                's' => new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                'N' => (utc.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture),
                'a' => utc.ToString("ddd", CultureInfo.InvariantCulture),
                'b' => utc.ToString("MMM", CultureInfo.InvariantCulture),
                'Z' => "UTC",
                'z' => "+0000",
                '%' => "%",
                _ => "%" + spec,
            });
        }
        return sb.ToString();
    }
}

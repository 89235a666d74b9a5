using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// Go's time.Duration.String(), which the kubelet puts in event and status messages
/// ("300ms", "1.5s", "2m40s", "5m0s").
/// </summary>
public static class GoDuration
{
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        var sb = new StringBuilder();
        if (d < TimeSpan.Zero)
        {
            sb.Append('-');
            d = d.Negate();
        }
        if (d < TimeSpan.FromSeconds(1))
        {
            // Go picks ms/µs/ns for sub-second values and keeps the fraction.
            var ms = d.TotalMilliseconds;
            if (ms >= 1) return sb.Append(Trim(ms)).Append("ms").ToString();
            var us = d.Ticks / 10.0;
            if (us >= 1) return sb.Append(Trim(us)).Append("µs").ToString();
            return sb.Append(d.Ticks * 100).Append("ns").ToString();
        }
        var hours = (long)d.TotalHours;
        if (hours > 0) sb.Append(hours).Append('h');
        var minutes = d.Minutes;
        if (hours > 0 || minutes > 0) sb.Append(minutes).Append('m');
        var seconds = d.Seconds + d.Ticks % TimeSpan.TicksPerSecond / (double)TimeSpan.TicksPerSecond;
        return sb.Append(Trim(seconds)).Append('s').ToString();
    }

    private static string Trim(double value) =>
        value.ToString("0.#########", CultureInfo.InvariantCulture);
}

using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.Logs;

/// <summary>The pods/log options the kubelet applies (PodLogOptions): since, tail, limitBytes, timestamps.</summary>
/// <param name="FromSequence">Only lines from this sequence on (a follower's position); null: from the start.</param>
public sealed record LogQuery(long? TailLines = null, DateTimeOffset? SinceTime = null, long? LimitBytes = null, bool Timestamps = false, long? FromSequence = null)
{
    /// <summary>The selected lines: since, then tail, as kubelet's ReadLogs applies them.</summary>
    public IEnumerable<LogLine> Select(IReadOnlyList<LogLine> lines)
    {
        IEnumerable<LogLine> selected = lines;
        if (FromSequence is { } from) selected = selected.Where(l => l.Sequence >= from);
        if (SinceTime is { } since) selected = selected.Where(l => l.Time >= since);
        if (TailLines is { } tail)
        {
            var list = selected.ToList();
            selected = tail < 0 ? list : list.Skip((int)Math.Max(0, list.Count - tail));
        }
        return selected;
    }

    /// <summary>The text kubelet answers: each line with its newline, with the RFC3339Nano timestamp when asked.</summary>
    public string Render(IEnumerable<LogLine> lines, long? alreadySent = null)
    {
        var sb = new StringBuilder();
        foreach (var line in lines)
        {
            if (Timestamps) sb.Append(FormatTimestamp(line.Time)).Append(' ');
            sb.Append(line.Text).Append('\n');
        }
        var text = sb.ToString();
        if (LimitBytes is { } limit)
        {
            var remaining = Math.Max(0, limit - (alreadySent ?? 0));
            var bytes = Encoding.UTF8.GetBytes(text);
            if (bytes.Length > remaining) text = Encoding.UTF8.GetString(bytes, 0, (int)remaining);
        }
        return text;
    }

    /// <summary>RFC3339Nano with all nine digits (kubelet's RFC3339NanoFixed), in UTC.</summary>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
}

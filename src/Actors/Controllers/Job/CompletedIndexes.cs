using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Controllers.Job;

/// <summary>
/// indexed_job_utils' orderedIntervals: a set of completion indexes written as Kubernetes writes
/// status.completedIndexes and status.failedIndexes ("1,3-5,7": two adjacent indexes stay a list,
/// three or more become a range).
/// </summary>
public sealed class CompletedIndexes
{
    private readonly SortedSet<int> _indexes;

    public CompletedIndexes(IEnumerable<int>? indexes = null) => _indexes = new SortedSet<int>(indexes ?? []);

    public int Count => _indexes.Count;

    public bool Contains(int index) => _indexes.Contains(index);

    public bool Add(int index) => _indexes.Add(index);

    public IEnumerable<int> Values => _indexes;

    /// <summary>parseIndexesFromString: indexes outside [0, completions) and bad parts are skipped, as Kubernetes does.</summary>
    public static CompletedIndexes Parse(string? text, int completions)
    {
        var set = new CompletedIndexes();
        if (string.IsNullOrEmpty(text)) return set;
        foreach (var part in text.Split(','))
        {
            var dash = part.IndexOf('-');
            if (dash < 0)
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var one) && one < completions) set.Add(one);
                continue;
            }
            if (!int.TryParse(part[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(part[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var last)) continue;
            for (var i = first; i <= Math.Min(last, completions - 1); i++) set.Add(i);
        }
        return set;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        using var e = _indexes.GetEnumerator();
        if (!e.MoveNext()) return "";
        int first = e.Current, last = first;
        void Flush()
        {
            if (text.Length > 0) text.Append(',');
            text.Append(first.ToString(CultureInfo.InvariantCulture));
            if (last > first) text.Append(last == first + 1 ? ',' : '-').Append(last.ToString(CultureInfo.InvariantCulture));
        }
        while (e.MoveNext())
        {
            if (e.Current == last + 1)
            {
                last = e.Current;
                continue;
            }
            Flush();
            first = last = e.Current;
        }
        Flush();
        return text.ToString();
    }
}

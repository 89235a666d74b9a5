using System.Text.RegularExpressions;

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>kubectl's human-readable tables: the header's column names and each row's cells by column.</summary>
public sealed partial class TableOutput
{
    private TableOutput(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        Headers = headers;
        Rows = rows;
    }

    public IReadOnlyList<string> Headers { get; }

    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; }

    /// <summary>Splits on the header's column starts, so cells with spaces ("2 (5s ago)") stay whole.</summary>
    public static TableOutput Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0) return new TableOutput([], []);
        var header = lines[0];
        var starts = ColumnStart().Matches(header).Select(m => m.Index).ToArray();
        var names = starts.Select((s, i) => header[s..(i + 1 < starts.Length ? starts[i + 1] : header.Length)].Trim()).ToArray();
        var rows = lines.Skip(1).Select(line => (IReadOnlyDictionary<string, string>)names.Select((n, i) =>
        {
            var start = Math.Min(starts[i], line.Length);
            var end = i + 1 < starts.Length ? Math.Min(starts[i + 1], line.Length) : line.Length;
            return (n, line[start..end].Trim());
        }).ToDictionary(p => p.n, p => p.Item2)).ToArray();
        return new TableOutput(names, rows);
    }

    public IReadOnlyDictionary<string, string> Row(string name) => Rows.Single(r => r["NAME"] == name);

    // A column starts at a non-space that follows two spaces (or the line start); names like "NOMINATED NODE" keep their single space.
    [GeneratedRegex(@"(?<=^|\s{2})\S")]
    private static partial Regex ColumnStart();
}

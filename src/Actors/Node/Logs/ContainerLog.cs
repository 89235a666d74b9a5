using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Logs;

/// <summary>The kubelet's containerLogMaxSize / containerLogMaxFiles (HOCON kubeemu.node.container-log-max-size / -files).</summary>
public sealed record ContainerLogSettings(long MaxSizeBytes, int MaxFiles)
{
    public static readonly ContainerLogSettings Default = new(10 * 1024 * 1024, 5);

    /// <summary>kubeemu.node.container-log-max-size ("10Mi") and container-log-max-files (5); the kubelet's defaults when absent.</summary>
    public static ContainerLogSettings From(Akka.Configuration.Config config)
    {
        var node = config.GetConfig("kubeemu.node");
        if (node is null || node.IsEmpty) return Default;
        var size = Shared.Quantities.Value(node.GetString("container-log-max-size", null)) ?? Default.MaxSizeBytes;
        var files = node.GetInt("container-log-max-files", Default.MaxFiles);
        // The kubelet requires at least 2 files; a size below one line would rotate every line.
        return new ContainerLogSettings(Math.Max(1024, size), Math.Max(2, files));
    }
}

/// <summary>One line of a container log: when it was written, on which stream, without its newline.</summary>
public readonly record struct LogLine(long Sequence, DateTimeOffset Time, bool Stderr, string Text)
{
    /// <summary>The size of the line in the CRI log file: "2024-01-01T00:00:00.000000000Z stdout F text\n".</summary>
    public long FileBytes => 40 + Encoding.UTF8.GetByteCount(Text);
}

/// <summary>
/// The log of one container instance, as containerd writes it and the kubelet rotates it: lines
/// with their time and stream; when the current file grows past containerLogMaxSize it is
/// rotated, and, as on a real node, `kubectl logs` reads the current file only. Of the rotated
/// files only the count is kept (at most containerLogMaxFiles - 1), not their text.
/// An unfinished line (printf without newline) is held until its newline or the process's end.
/// </summary>
public sealed class ContainerLog(ContainerLogSettings settings, string? containerId = null) : IContainerOutput, IFlushable
{
    /// <summary>The container instance this log belongs to.</summary>
    public string? ContainerId { get; } = containerId;

    private readonly List<LogLine> _lines = [];
    private readonly StringBuilder?[] _partial = new StringBuilder?[2];
    private long _bytes;
    private long _next;

    /// <summary>Rotated files kept beside the current one.</summary>
    public int RotatedFiles { get; private set; }

    /// <summary>The container instance has ended: nothing more will be written.</summary>
    public bool Ended { get; private set; }

    /// <summary>The sequence number the next line will get (for followers).</summary>
    public long NextSequence => _next;

    public IReadOnlyList<LogLine> Lines => _lines;

    public long CurrentBytes => _bytes;

    public void Write(DateTimeOffset at, bool stderr, string text)
    {
        if (Ended) return;
        var stream = stderr ? 1 : 0;
        var start = 0;
        while (true)
        {
            var newline = text.IndexOf('\n', start);
            if (newline < 0)
            {
                if (start < text.Length) (_partial[stream] ??= new StringBuilder()).Append(text, start, text.Length - start);
                return;
            }
            var piece = text[start..newline];
            if (_partial[stream] is { } held)
            {
                piece = held.Append(piece).ToString();
                _partial[stream] = null;
            }
            Add(at, stderr, piece);
            start = newline + 1;
        }
    }

    public void Flush(DateTimeOffset at)
    {
        for (var s = 0; s < 2; s++)
            if (_partial[s] is { } held)
            {
                _partial[s] = null;
                Add(at, s == 1, held.ToString());
            }
    }

    /// <summary>The container stopped: its last unfinished line is written, nothing after.</summary>
    public void End(DateTimeOffset at)
    {
        Flush(at);
        Ended = true;
    }

    private void Add(DateTimeOffset at, bool stderr, string text)
    {
        var line = new LogLine(_next++, at, stderr, text);
        if (_bytes > 0 && _bytes + line.FileBytes > settings.MaxSizeBytes) Rotate();
        _lines.Add(line);
        _bytes += line.FileBytes;
    }

    private void Rotate()
    {
        _lines.Clear();
        _bytes = 0;
        RotatedFiles = Math.Min(RotatedFiles + 1, Math.Max(0, settings.MaxFiles - 1));
    }
}

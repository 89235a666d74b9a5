namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// A stdin the writer may still send to: an exec'd command's (kubectl exec -i), or a container's
/// own with `stdin: true` (kubectl attach -i writes to it). The program runs at once, and only a
/// command that reads stdin waits, until the writer closes it. The first reader gets all of it;
/// later ones find it drained, as from a pipe.
/// </summary>
internal sealed class PendingStdin
{
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MemoryStream? _written;
    private bool _taken;

    /// <summary>Completes when the client has closed stdin.</summary>
    public Task Closed => _closed.Task;

    public void Close(string text) => _closed.TrySetResult(text);

    /// <summary>Bytes for the pipe, read by whoever reads once it is closed.</summary>
    public void Write(byte[] data)
    {
        if (!_closed.Task.IsCompleted) (_written ??= new MemoryStream()).Write(data);
    }

    /// <summary>Closes the pipe with what was written to it.</summary>
    public void Close() => Close(_written is null ? "" : System.Text.Encoding.UTF8.GetString(_written.GetBuffer(), 0, (int)_written.Length));

    public string Take()
    {
        if (_taken) return "";
        _taken = true;
        return _closed.Task.Result;
    }

    /// <summary>Whether <paramref name="name"/> run with <paramref name="args"/> reads stdin (no file operands, or "-").</summary>
    public static bool ReadBy(string name, string[] args)
    {
        var operands = Operands(args);
        return name switch
        {
            "read" or "tr" or "tee" or "xargs" => true,
            "cat" or "wc" or "sort" or "uniq" or "head" or "tail" or "md5sum" or "sha1sum" or "sha256sum" or "base64" or "od" or "hexdump" or "rev" or "nl"
                => operands.Count == 0 || operands.Contains("-"),
            "grep" or "egrep" or "fgrep" or "sed" or "awk" => operands.Count <= 1 || operands.Contains("-"),
            "sh" or "bash" or "ash" or "dash" or "zsh" or "ksh" => operands.Count == 0 && !args.Any(a => a.StartsWith('-') && a.Contains('c')),
            // The client in batch mode reads its statements from stdin unless -e gives them.
            "mysql" => !args.Any(a => a is "-e" or "--execute" || a.StartsWith("--execute=", StringComparison.Ordinal) || (a.StartsWith("-e", StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal))),
            _ => false,
        };
    }

    // Operands, leaving out options and the values of the options that take one (head -n 5).
    private static List<string> Operands(string[] args)
    {
        var operands = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "-" || !args[i].StartsWith('-')) operands.Add(args[i]);
            else if (args[i] is "-n" or "-c" or "-e" or "-f" or "-k" or "-t" or "-d" or "-F" or "-v" && i + 1 < args.Length) i++;
        }
        return operands;
    }
}

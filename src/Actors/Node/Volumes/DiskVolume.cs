using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Volumes;

/// <summary>
/// The folder of one volume on disk, written behind its in-memory tree: containers read and write
/// the tree between two steps of their process (never waiting for a disk), and every change is
/// queued here and applied in order on the thread pool, one at a time. A file is replaced through
/// a temporary file and a rename, so a process killed in the middle of a write leaves the old
/// content or the new one, never half of it.
/// </summary>
public sealed class DiskVolume : IFileTreeSink
{
    /// <summary>The suffix of a file being replaced; such leftovers of a killed process are never loaded.</summary>
    public const string TemporarySuffix = ".kubeemu-tmp";

    private readonly object _gate = new();
    private readonly Queue<Action> _pending = new();
    private readonly Action<string, Exception>? _failed;
    private TaskCompletionSource _idle = Completed();
    private bool _draining;

    /// <param name="failed">Told of a change the disk refused (a file where a directory is, a full disk); the tree keeps it in memory.</param>
    public DiskVolume(string root, Action<string, Exception>? failed = null)
    {
        Root = Path.GetFullPath(root);
        _failed = failed;
    }

    public string Root { get; }

    /// <summary>Completes once every change queued so far is on disk (or refused).</summary>
    public Task WhenIdle()
    {
        lock (_gate) return _idle.Task;
    }

    /// <summary>Reads the folder into a new tree whose changes come back here; the folder is created when missing.</summary>
    public FileTree Load(long maxFileBytes)
    {
        var tree = new FileTree(this, maxFileBytes);
        Directory.CreateDirectory(Root);
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
            if (entry is DirectoryInfo) tree.LoadDirectory(relative);
            else if (!entry.Name.EndsWith(TemporarySuffix, StringComparison.Ordinal)) tree.Load(relative, ReadBounded(entry.FullName, maxFileBytes));
        }
        return tree;
    }

    public void Wrote(string path, string content) => Enqueue(() =>
    {
        var full = FullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + TemporarySuffix;
        File.WriteAllText(temporary, content);
        File.Move(temporary, full, overwrite: true);
    }, path);

    public void Removed(string path) => Enqueue(() =>
    {
        var full = FullPath(path);
        if (File.Exists(full)) File.Delete(full);
        else if (Directory.Exists(full) && full != Root) Directory.Delete(full, recursive: true);
    }, path);

    public void MadeDirectory(string path) => Enqueue(() => Directory.CreateDirectory(FullPath(path)), path);

    /// <summary>A path of the tree inside the folder; anything that would leave it is refused.</summary>
    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path));
        if (full != Root && !full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new IOException($"{path} is outside the volume");
        return full;
    }

    private void Enqueue(Action change, string path)
    {
        void Guarded()
        {
            try { change(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _failed?.Invoke(path, e); }
        }

        lock (_gate)
        {
            _pending.Enqueue(Guarded);
            if (_draining) return;
            _draining = true;
            if (_idle.Task.IsCompleted) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _ = Task.Run(Drain);
    }

    private void Drain()
    {
        while (true)
        {
            Action? next;
            lock (_gate)
            {
                if (!_pending.TryDequeue(out next))
                {
                    _draining = false;
                    // Under the lock: a change queued right after this must get a new, pending task.
                    _idle.TrySetResult();
                    return;
                }
            }
            next();
        }
    }

    private static string ReadBounded(string file, long maxBytes)
    {
        using var reader = new StreamReader(file);
        var buffer = new char[(int)Math.Min(maxBytes, Math.Max(0, new FileInfo(file).Length))];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return new string(buffer, 0, read);
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}

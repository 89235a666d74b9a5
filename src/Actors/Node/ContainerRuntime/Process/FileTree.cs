namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

/// <summary>
/// The files of one directory tree in memory: a container's own root, or an emptyDir volume
/// its pod's containers share. Paths are relative to the tree's root, without a leading slash.
/// Created empty and filled only by what the container's programs write, so an idle container
/// costs two empty dictionaries. A volume whose data lives on disk is a tree with a
/// <see cref="IFileTreeSink"/>: reads stay in memory, every change is handed to the sink.
/// </summary>
public sealed class FileTree
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal) { "" };
    private readonly IFileTreeSink? _sink;
    private readonly long _maxFileChars;

    // Only what differs from a new file's 0644 / a new directory's 0755 (umask 022), and the entries
    // that stand for symbolic links (AtomicWriter's): most trees never hold either.
    private Dictionary<string, int>? _modes;
    private Dictionary<string, string>? _links;

    public FileTree()
    {
        _maxFileChars = long.MaxValue;
    }

    /// <param name="sink">Told of every change (after it is made in memory).</param>
    /// <param name="maxFileChars">Longer contents are cut there, as a full disk cuts a write.</param>
    public FileTree(IFileTreeSink sink, long maxFileChars)
    {
        _sink = sink;
        _maxFileChars = maxFileChars;
    }

    /// <summary>Fills the tree with what is already stored, without telling the sink.</summary>
    public void Load(string path, string content)
    {
        _files[path] = content.Length > _maxFileChars ? content[..(int)_maxFileChars] : content;
        AddParents(path);
    }

    /// <summary>A directory already stored, without telling the sink.</summary>
    public void LoadDirectory(string path)
    {
        _directories.Add(path);
        AddParents(path);
    }

    /// <summary>Every file, for copies and for specs.</summary>
    public IEnumerable<KeyValuePair<string, string>> Files => _files;

    public bool FileExists(string path) => _files.ContainsKey(path);

    public bool DirectoryExists(string path) => _directories.Contains(path);

    public string? Read(string path) => _files.GetValueOrDefault(path);

    public void Write(string path, string content, bool append)
    {
        var next = append && _files.TryGetValue(path, out var old) ? old + content : content;
        if (next.Length > _maxFileChars) next = next[..(int)_maxFileChars];
        _files[path] = next;
        AddParents(path);
        _sink?.Wrote(path, next);
    }

    public const int FileMode = 420; // 0644
    public const int DirectoryMode = 493; // 0755

    /// <summary>The permission bits of a file or directory (of a link's target: links themselves are 0777).</summary>
    public int Mode(string path) =>
        _modes is not null && _modes.TryGetValue(path, out var mode) ? mode : _directories.Contains(path) ? DirectoryMode : FileMode;

    /// <summary>chmod, or a volume plugin's file mode; only the permission bits (07777) are kept.</summary>
    public void SetMode(string path, int mode)
    {
        if (!_files.ContainsKey(path) && !_directories.Contains(path)) return;
        (_modes ??= new Dictionary<string, int>(StringComparer.Ordinal))[path] = mode & 4095;
    }

    /// <summary>Where the entry at <paramref name="path"/> points when it stands for a symbolic link; null otherwise.</summary>
    public string? LinkTarget(string path) => _links?.GetValueOrDefault(path);

    /// <summary>Marks an entry (a copy of what it points to) as the symbolic link to <paramref name="target"/>.</summary>
    public void SetLink(string path, string target) => (_links ??= new Dictionary<string, string>(StringComparer.Ordinal))[path] = target;

    public bool Remove(string path, bool recursive)
    {
        if (_files.Remove(path))
        {
            Forget(path);
            _sink?.Removed(path);
            return true;
        }
        if (!recursive || path.Length == 0 || !_directories.Remove(path)) return false;
        var prefix = path + "/";
        foreach (var f in _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToArray()) _files.Remove(f);
        _directories.RemoveWhere(d => d.StartsWith(prefix, StringComparison.Ordinal));
        Forget(path);
        foreach (var key in (_modes?.Keys ?? Enumerable.Empty<string>()).Concat(_links?.Keys ?? Enumerable.Empty<string>())
                     .Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToArray())
            Forget(key);
        _sink?.Removed(path);
        return true;
    }

    public void MakeDirectory(string path)
    {
        _directories.Add(path);
        AddParents(path);
        _sink?.MadeDirectory(path);
    }

    public IEnumerable<string> List(string directory)
    {
        var prefix = directory.Length == 0 ? "" : directory + "/";
        return _files.Keys.Concat(_directories)
            .Where(p => p.Length > prefix.Length && p.StartsWith(prefix, StringComparison.Ordinal) && !p[prefix.Length..].Contains('/'))
            .Select(p => p[prefix.Length..]).Order(StringComparer.Ordinal);
    }

    private void Forget(string path)
    {
        _modes?.Remove(path);
        _links?.Remove(path);
    }

    private void AddParents(string path)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            if (!_directories.Add(path[..slash])) break;
    }
}

/// <summary>Where a tree's changes go when its data lives elsewhere (a volume's folder on disk).</summary>
public interface IFileTreeSink
{
    /// <summary>The file at <paramref name="path"/> now holds <paramref name="content"/> (its whole content).</summary>
    void Wrote(string path, string content);

    /// <summary>The file or directory (with everything in it) at <paramref name="path"/> is gone.</summary>
    void Removed(string path);

    void MadeDirectory(string path);
}

/// <summary>
/// What one container sees of the file system: its own root, with the pod's volumes mounted
/// at their mountPaths (the longest mount containing a path wins, as in the kernel).
/// </summary>
public sealed class ContainerFileSystem
{
    private readonly FileTree _root = new();

    /// <summary>Each mount with the directory of its volume it shows (a subPath; "" for the whole volume).</summary>
    private readonly (string MountPath, FileTree Tree, string SubPath)[] _mounts;

    public ContainerFileSystem(IReadOnlyList<(string MountPath, FileTree Tree)> mounts)
    {
        _mounts = mounts.Select(m => (m.MountPath, m.Tree, "")).ToArray();
    }

    private ContainerFileSystem((string MountPath, FileTree Tree, string SubPath)[] mounts)
    {
        _mounts = mounts;
    }

    /// <summary>Mounts of which some show only a directory of their volume (volumeMounts[].subPath).</summary>
    public static ContainerFileSystem WithSubPaths(IReadOnlyList<(string MountPath, FileTree Tree, string SubPath)> mounts) =>
        new(mounts.Select(m => (m.MountPath, m.Tree, m.SubPath.Trim('/'))).ToArray());

    public static ContainerFileSystem Empty() => new(Array.Empty<(string, FileTree, string)>());

    /// <summary>The tree and relative path behind an absolute (or relative to /) path.</summary>
    public (FileTree Tree, string Path) Resolve(string path, string cwd = "/")
    {
        var full = Normalize(path.StartsWith('/') ? path : cwd.TrimEnd('/') + "/" + path);
        foreach (var (mountPath, tree, subPath) in _mounts.OrderByDescending(m => m.MountPath.Length))
        {
            if (full == mountPath) return (tree, subPath);
            if (full.StartsWith(mountPath + "/", StringComparison.Ordinal))
                return (tree, subPath.Length == 0 ? full[(mountPath.Length + 1)..] : subPath + "/" + full[(mountPath.Length + 1)..]);
        }
        return (_root, full.TrimStart('/'));
    }

    public string? Read(string path, string cwd = "/")
    {
        var (tree, rel) = Resolve(path, cwd);
        return tree.Read(rel);
    }

    public bool FileExists(string path, string cwd = "/")
    {
        var (tree, rel) = Resolve(path, cwd);
        return tree.FileExists(rel);
    }

    public bool DirectoryExists(string path, string cwd = "/")
    {
        var full = Normalize(path.StartsWith('/') ? path : cwd.TrimEnd('/') + "/" + path);
        if (_mounts.Any(m => m.MountPath == full || m.MountPath.StartsWith(full == "/" ? "/" : full + "/", StringComparison.Ordinal))) return true;
        var (tree, rel) = Resolve(path, cwd);
        return tree.DirectoryExists(rel) || WellKnownDirectories.Contains(full);
    }

    /// <summary>Directories every image has, so `cd /tmp` or `touch /tmp/x` need no mkdir first.</summary>
    private static readonly HashSet<string> WellKnownDirectories =
        ["/", "/tmp", "/etc", "/var", "/var/log", "/usr", "/usr/share", "/bin", "/usr/bin", "/root", "/home", "/data", "/opt", "/run", "/dev", "/proc", "/sys", "/mnt", "/srv", "/var/run", "/var/tmp"];

    public static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}

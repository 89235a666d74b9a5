using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Volumes;

/// <summary>
/// pkg/volume/util AtomicWriter's layout in a volume's tree: the payload in a timestamped
/// directory (..2026_11_22_12_00_00.123456789), `..data` standing for the symlink to it, and each
/// top-level entry beside them standing for its symlink into `..data`. The file tree has no
/// symbolic links, so the three are copies of the same (shared, immutable) strings, the tree marking
/// `..data` and the top-level entries as the links they stand for (`ls -l` shows them so); an update
/// replaces them all at once between two steps of the container's process, which is what the
/// symlink swap gives a reader on a real node.
/// </summary>
public static class AtomicWriter
{
    public const string DataDir = "..data";

    /// <summary>Writes the payload if it differs from what the tree holds; true when it wrote.</summary>
    /// <param name="modes">Each file's mode (defaultMode or the item's); 0644 where it has none.</param>
    public static bool Write(FileTree tree, IReadOnlyDictionary<string, string> payload, IReadOnlyDictionary<string, string>? current, DateTimeOffset now,
        IReadOnlyDictionary<string, int>? modes = null)
    {
        if (current is not null && current.Count == payload.Count && payload.All(p => current.TryGetValue(p.Key, out var v) && v == p.Value))
            return false;
        foreach (var entry in tree.List("").ToArray()) tree.Remove(entry, recursive: true);
        // Go's MkdirTemp suffix is random digits; the instant's nanoseconds keep it unique and readable.
        var stamp = now.UtcDateTime.ToString("..yyyy_MM_dd_HH_mm_ss.", System.Globalization.CultureInfo.InvariantCulture) + (now.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9");
        tree.MakeDirectory(stamp);
        tree.MakeDirectory(DataDir);
        foreach (var (path, content) in payload)
        {
            tree.Write(stamp + "/" + path, content, append: false);
            tree.Write(DataDir + "/" + path, content, append: false);
            tree.Write(path, content, append: false);
            var mode = modes?.GetValueOrDefault(path, FileTree.FileMode) ?? FileTree.FileMode;
            foreach (var copy in (string[])[stamp + "/" + path, DataDir + "/" + path, path]) tree.SetMode(copy, mode);
        }
        tree.SetLink(DataDir, stamp);
        foreach (var top in payload.Keys.Select(p => p.Split('/')[0]).Distinct()) tree.SetLink(top, DataDir + "/" + top);
        return true;
    }

    /// <summary>
    /// A subPath mount: a copy of the file or directory at <paramref name="subPath"/> taken when the
    /// container starts (the kubelet bind-mounts the resolved file, so later updates never reach it).
    /// A path that does not exist becomes an empty directory, as the kubelet creates it.
    /// </summary>
    public static FileTree SubPathCopy(FileTree volume, string subPath)
    {
        var copy = new FileTree();
        var path = subPath.Trim('/');
        if (volume.Read(path) is { } file)
        {
            // The kubelet bind-mounts the file the path resolves to: its mode, no link.
            copy.Write("", file, append: false);
            copy.SetMode("", volume.Mode(path));
            return copy;
        }
        CopyDirectory(volume, path, copy, "");
        return copy;
    }

    private static void CopyDirectory(FileTree from, string dir, FileTree to, string target)
    {
        if (!from.DirectoryExists(dir)) return;
        foreach (var name in from.List(dir))
        {
            var source = dir.Length == 0 ? name : dir + "/" + name;
            var dest = target.Length == 0 ? name : target + "/" + name;
            if (from.Read(source) is { } content)
            {
                to.Write(dest, content, append: false);
                to.SetMode(dest, from.Mode(source));
            }
            else
            {
                to.MakeDirectory(dest);
                CopyDirectory(from, source, to, dest);
            }
        }
    }
}

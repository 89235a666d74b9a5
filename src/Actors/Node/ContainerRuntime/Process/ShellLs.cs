using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// busybox ls: names one per line (no terminal), or with -l its long format, where the entries a
// ConfigMap or Secret volume holds show as the symbolic links the kubelet's AtomicWriter makes
// (-L shows what they point to: the files with the volume's modes).
internal sealed partial class ShellInterpreter
{
    private int List(string[] args)
    {
        var targets = args.Where(a => !a.StartsWith('-') || a == "-").DefaultIfEmpty(Cwd).ToArray();
        // Dot entries (a ConfigMap volume's ..data) only with -a (which adds . and ..) or -A.
        var flags = string.Concat(args.Where(a => a.StartsWith('-') && a != "-"));
        var all = flags.Contains('a');
        var dotted = all || flags.Contains('A');
        var (longFormat, follow, self) = (flags.Contains('l'), flags.Contains('L'), flags.Contains('d'));
        var status = 0;
        foreach (var t in targets)
        {
            var (tree, rel) = _host.Files.Resolve(t, Cwd);
            var isDirectory = !tree.FileExists(rel) && _host.Files.DirectoryExists(t, Cwd);
            if (tree.FileExists(rel) || (isDirectory && self))
            {
                Stdout.Write(longFormat ? LongEntry(tree, rel, t, follow) : t + "\n");
                continue;
            }
            if (!isDirectory)
            {
                Stderr.Write($"ls: {t}: No such file or directory\n");
                status = 1;
                continue;
            }
            var entries = tree.List(rel).Where(e => dotted || !e.StartsWith('.')).ToArray();
            if (!longFormat)
            {
                if (all) Stdout.Write(".\n..\n");
                foreach (var entry in entries) Stdout.Write(entry + "\n");
                continue;
            }
            var lines = new StringBuilder();
            long blocks = 0;
            if (all) lines.Append(LongEntry(tree, rel, ".", follow)).Append(LongEntry(tree, rel, "..", follow));
            foreach (var entry in entries)
            {
                var path = rel.Length == 0 ? entry : rel + "/" + entry;
                lines.Append(LongEntry(tree, path, entry, follow));
                if ((follow || tree.LinkTarget(path) is null) && tree.Read(path) is { Length: > 0 } content)
                    blocks += (Encoding.UTF8.GetByteCount(content) + 4095) / 4096 * 4;
            }
            Stdout.Write($"total {blocks}\n{lines}");
        }
        return status;
    }

    /// <summary>One line of `ls -l`: mode, links, owner, group, size, time, name (and a link's target).</summary>
    private string LongEntry(FileTree tree, string path, string name, bool follow)
    {
        var link = follow ? null : tree.LinkTarget(path);
        var directory = tree.DirectoryExists(path) && !tree.FileExists(path);
        var (mode, size) = link is not null ? ("lrwxrwxrwx", (long)Encoding.UTF8.GetByteCount(link))
            : (ModeString(tree.Mode(path), directory), directory ? 4096L : Encoding.UTF8.GetByteCount(tree.Read(path) ?? ""));
        var when = _host.Now.UtcDateTime.ToString("MMM d HH:mm", CultureInfo.InvariantCulture);
        when = when[..4] + when[4..].PadLeft(8); // %b %e: the day padded to two columns
        return $"{mode} {(directory ? 2 : 1),4} root     root     {size,9} {when} {name}{(link is null ? "" : " -> " + link)}\n";
    }
}

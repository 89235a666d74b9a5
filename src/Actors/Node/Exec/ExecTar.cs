using System.Formats.Tar;
using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

namespace Akka.KubeEmu.Actors.Node.Exec;

/// <summary>A tar invocation kubectl cp makes: `tar cf - PATH...` or `tar -xmf - [-C DIR]`.</summary>
/// <param name="Create">c: write an archive of the paths on stdout; else x: read one from stdin.</param>
/// <param name="Directory">-C: where names are relative to.</param>
internal sealed record TarCommand(bool Create, string? Directory, IReadOnlyList<string> Paths);

/// <summary>
/// busybox tar over the container's in-memory files, with real archives (System.Formats.Tar),
/// so kubectl cp's own archive/tar reads and writes them. Files are text: contents are written
/// and read as UTF-8 (binary files do not survive a round trip).
/// </summary>
internal static class ExecTar
{
    /// <summary>The command when it is a tar kubectl cp's way (archive on stdin/stdout); null otherwise.</summary>
    public static TarCommand? Parse(IReadOnlyList<string> argv)
    {
        if (argv.Count < 2 || Path.GetFileName(argv[0]) != "tar") return null;
        bool? create = null;
        string? file = null, directory = null;
        var paths = new List<string>();
        for (var i = 1; i < argv.Count; i++)
        {
            var a = argv[i];
            if (a == "-C" && i + 1 < argv.Count) directory = argv[++i];
            else if (a.StartsWith("--", StringComparison.Ordinal)) continue; // --no-same-owner, --no-same-permissions
            else if (i == 1 || (a.StartsWith('-') && a.Length > 1))
            {
                var wantsFile = false;
                foreach (var flag in a.TrimStart('-'))
                    switch (flag)
                    {
                        case 'c': create = true; break;
                        case 'x': create = false; break;
                        case 'f': wantsFile = true; break;
                    }
                if (wantsFile && i + 1 < argv.Count) file = argv[++i];
            }
            else paths.Add(a);
        }
        return create is { } c && file == "-" ? new TarCommand(c, directory, paths) : null;
    }

    /// <summary>Writes the archive of the paths; busybox's messages on stderr; the exit code.</summary>
    public static int Create(ContainerFileSystem files, TarCommand command, Stream output, IShellOutput stderr, DateTimeOffset now)
    {
        var baseDir = command.Directory ?? "/";
        if (!files.DirectoryExists(baseDir))
        {
            stderr.Write($"tar: can't change directory to '{baseDir}': No such file or directory\n");
            return 1;
        }
        if (command.Paths.Count == 0)
        {
            stderr.Write("tar: empty archive\n");
            return 1;
        }
        var status = 0;
        var warned = false;
        using (var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var path in command.Paths)
            {
                var full = ContainerFileSystem.Normalize(path.StartsWith('/') ? path : baseDir.TrimEnd('/') + "/" + path);
                var name = path.TrimStart('/');
                if (name.Length != path.Length && !warned)
                {
                    stderr.Write("tar: removing leading '/' from member names\n");
                    warned = true;
                }
                name = name.TrimEnd('/');
                if (files.FileExists(full)) AddFile(writer, files, full, name, now);
                else if (files.DirectoryExists(full)) AddDirectory(writer, files, full, name, now);
                else
                {
                    stderr.Write($"tar: {path}: No such file or directory\n");
                    status = 1;
                }
            }
        }
        return status;
    }

    /// <summary>Unpacks the archive into the container's files; busybox's messages on stderr; the exit code.</summary>
    public static int Extract(ContainerFileSystem files, TarCommand command, byte[] archive, IShellOutput stderr)
    {
        var baseDir = command.Directory ?? "/";
        if (!files.DirectoryExists(baseDir))
        {
            stderr.Write($"tar: can't change directory to '{baseDir}': No such file or directory\n");
            return 1;
        }
        if (archive.Length == 0)
        {
            stderr.Write("tar: short read\n");
            return 1;
        }
        try
        {
            using var reader = new TarReader(new MemoryStream(archive));
            while (reader.GetNextEntry() is { } entry)
            {
                var full = ContainerFileSystem.Normalize(baseDir.TrimEnd('/') + "/" + entry.Name);
                var (tree, rel) = files.Resolve(full);
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        if (rel.Length > 0) tree.MakeDirectory(rel);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        var content = "";
                        if (entry.DataStream is { } data)
                        {
                            using var text = new StreamReader(data, Encoding.UTF8);
                            content = text.ReadToEnd();
                        }
                        tree.Write(rel, content, append: false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            stderr.Write("tar: invalid tar magic\n");
            return 1;
        }
        return 0;
    }

    private static void AddFile(TarWriter writer, ContainerFileSystem files, string full, string name, DateTimeOffset now)
    {
        var bytes = Encoding.UTF8.GetBytes(files.Read(full) ?? "");
        writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(bytes),
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = now,
            UserName = "root",
            GroupName = "root",
        });
    }

    private static void AddDirectory(TarWriter writer, ContainerFileSystem files, string full, string name, DateTimeOffset now)
    {
        if (name.Length > 0)
            writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, name + "/")
            {
                Mode = (UnixFileMode)0b111_101_101,
                ModificationTime = now,
                UserName = "root",
                GroupName = "root",
            });
        var (tree, rel) = files.Resolve(full);
        foreach (var child in tree.List(rel))
        {
            var childFull = full.TrimEnd('/') + "/" + child;
            var childName = name.Length == 0 ? child : name + "/" + child;
            if (files.FileExists(childFull)) AddFile(writer, files, childFull, childName, now);
            else AddDirectory(writer, files, childFull, childName, now);
        }
    }
}

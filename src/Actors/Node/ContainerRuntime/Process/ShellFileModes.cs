using System.Globalization;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// File modes: busybox chmod (octal and symbolic modes, -R) and stat (-c with its common format
// sequences, -L to follow the links a ConfigMap or Secret volume is made of).
internal sealed partial class ShellInterpreter
{
    /// <summary>`-rw-r--r--` for 0644, with the type first (d for a directory).</summary>
    internal static string ModeString(int mode, bool directory)
    {
        var text = new StringBuilder(directory ? "d" : "-");
        for (var shift = 6; shift >= 0; shift -= 3)
        {
            var bits = mode >> shift;
            text.Append((bits & 4) != 0 ? 'r' : '-').Append((bits & 2) != 0 ? 'w' : '-');
            var special = shift switch { 6 => 2048, 3 => 1024, _ => 512 } & mode;
            var execute = (bits & 1) != 0;
            text.Append(special == 0 ? execute ? 'x' : '-' : shift == 0 ? execute ? 't' : 'T' : execute ? 's' : 'S');
        }
        return text.ToString();
    }

    private int Chmod(string[] args)
    {
        // -r is a mode (no read), not recursion: only the -R, -f, -v, -c options come before it.
        var recursive = args.Any(a => a.StartsWith('-') && a.Contains('R'));
        var operands = args.Where(a => !(a.StartsWith('-') && a.Length > 1 && a[1..].All(c => c is 'R' or 'f' or 'v' or 'c'))).ToArray();
        if (operands.Length < 2)
        {
            Stderr.Write("chmod: need at least 2 arguments\n");
            return 1;
        }
        var spec = operands[0];
        var status = 0;
        foreach (var f in operands[1..])
        {
            var (tree, rel) = _host.Files.Resolve(f, Cwd);
            var isDirectory = !tree.FileExists(rel) && _host.Files.DirectoryExists(f, Cwd);
            if (!tree.FileExists(rel) && !isDirectory)
            {
                Stderr.Write($"chmod: {f}: No such file or directory\n");
                status = 1;
                continue;
            }
            foreach (var path in recursive && isDirectory ? Descendants(tree, rel).Prepend(rel) : [rel])
            {
                if (ApplyMode(spec, tree.Mode(path), tree.DirectoryExists(path) && !tree.FileExists(path)) is not { } mode)
                {
                    Stderr.Write($"chmod: invalid mode '{spec}'\n");
                    return 1;
                }
                tree.SetMode(path, mode);
            }
        }
        return status;
    }

    private static IEnumerable<string> Descendants(FileTree tree, string dir) =>
        tree.List(dir).Select(e => dir.Length == 0 ? e : dir + "/" + e).SelectMany(p => Descendants(tree, p).Prepend(p));

    /// <summary>An octal mode, or symbolic clauses (u+x, go-w, a=r, +X); null when it is neither.</summary>
    internal static int? ApplyMode(string spec, int current, bool directory)
    {
        if (spec.Length > 0 && spec.All(c => c is >= '0' and <= '7'))
            return spec.Length <= 4 ? Convert.ToInt32(spec, 8) : null;
        var mode = current;
        foreach (var clause in spec.Split(','))
        {
            var i = 0;
            var who = 0;
            for (; i < clause.Length && clause[i] is 'u' or 'g' or 'o' or 'a'; i++)
                who |= clause[i] switch { 'u' => 0b100, 'g' => 0b010, 'o' => 0b001, _ => 0b111 };
            if (who == 0) who = 0b111;
            if (i == clause.Length) return null;
            while (i < clause.Length)
            {
                var op = clause[i++];
                if (op is not ('+' or '-' or '=')) return null;
                var perm = 0;
                for (; i < clause.Length && clause[i] is 'r' or 'w' or 'x' or 'X' or 's' or 't'; i++)
                    perm |= clause[i] switch
                    {
                        'r' => 4,
                        'w' => 2,
                        'x' => 1,
                        'X' => directory || (current & 73) != 0 ? 1 : 0,
                        _ => 0, // setuid/sticky: not simulated
                    };
                var mask = 0;
                for (var shift = 0; shift < 3; shift++)
                    if ((who & (1 << shift)) != 0) mask |= 7 << (shift * 3);
                var bits = (perm | perm << 3 | perm << 6) & mask;
                mode = op switch { '+' => mode | bits, '-' => mode & ~bits, _ => (mode & ~mask) | bits };
            }
        }
        return mode;
    }

    private int Stat(string[] args)
    {
        string? format = null;
        var follow = false;
        var files = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "-c" && i + 1 < args.Length) format = args[++i];
            else if (args[i].StartsWith("--format=", StringComparison.Ordinal)) format = args[i]["--format=".Length..];
            else if (args[i] is "-L" or "--dereference") follow = true;
            else if (!args[i].StartsWith('-')) files.Add(args[i]);
        }
        if (files.Count == 0)
        {
            Stderr.Write("stat: missing operand\n");
            return 1;
        }
        var status = 0;
        foreach (var f in files)
        {
            var (tree, rel) = _host.Files.Resolve(f, Cwd);
            var directory = !tree.FileExists(rel) && _host.Files.DirectoryExists(f, Cwd);
            if (!tree.FileExists(rel) && !directory)
            {
                Stderr.Write($"stat: can't stat '{f}': No such file or directory\n");
                status = 1;
                continue;
            }
            var link = follow ? null : tree.LinkTarget(rel);
            var mode = link is null ? tree.Mode(rel) : 511;
            var size = link is not null ? Encoding.UTF8.GetByteCount(link) : directory ? 4096 : Encoding.UTF8.GetByteCount(tree.Read(rel) ?? "");
            var type = link is not null ? "symbolic link" : directory ? "directory" : size == 0 ? "regular empty file" : "regular file";
            var modeText = link is not null ? "lrwxrwxrwx" : ModeString(mode, directory);
            var name = link is null ? f : $"'{f}' -> '{link}'";
            Stdout.Write(format is null
                ? $"  File: {name}\n  Size: {size,-10}\tBlocks: {(size + 511) / 512,-10} IO Block: 4096   {type}\n" +
                  $"Access: ({Convert.ToString(mode, 8).PadLeft(4, '0')}/{modeText})  Uid: (    0/    root)   Gid: (    0/    root)\n"
                : StatFormat(format, f, link, mode, modeText, size, type) + "\n");
        }
        return status;
    }

    private static string StatFormat(string format, string file, string? link, int mode, string modeText, long size, string type)
    {
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                text.Append(format[i]);
                continue;
            }
            text.Append(format[++i] switch
            {
                'a' => Convert.ToString(mode, 8),
                'A' => modeText,
                'n' => file,
                'N' => link is null ? $"'{file}'" : $"'{file}' -> '{link}'",
                's' => size.ToString(CultureInfo.InvariantCulture),
                'F' => type,
                'U' or 'G' => "root",
                'u' or 'g' => "0",
                'f' => Convert.ToString(mode | (link is not null ? 0xA000 : type == "directory" ? 0x4000 : 0x8000), 16),
                '%' => "%",
                var other => "?" + other,
            });
        }
        return text.ToString();
    }
}

using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// The simulated xbstream archive: a text stream of `xbstream dir PATH` and `xbstream file PATH
/// BASE64` lines (the real format is binary chunks; only xtrabackup, xbstream and ncat here read it).
/// </summary>
internal static class XbStream
{
    public static string Write(IEnumerable<(string Path, string? Content)> entries)
    {
        var sb = new StringBuilder();
        foreach (var (path, content) in entries)
            sb.Append(content is null ? $"xbstream dir {path}\n" : $"xbstream file {path} {Convert.ToBase64String(Encoding.UTF8.GetBytes(content))}\n");
        return sb.ToString();
    }

    /// <summary>The entries of a stream; null when it is not one (xbstream's "incorrect chunk magic").</summary>
    public static List<(string Path, string? Content)>? Read(string stream)
    {
        var entries = new List<(string, string?)>();
        foreach (var line in stream.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length < 3 || parts[0] != "xbstream") return null;
            if (parts[1] == "dir") entries.Add((parts[2], null));
            else if (parts[1] == "file" && parts.Length == 4) entries.Add((parts[2], Encoding.UTF8.GetString(Convert.FromBase64String(parts[3]))));
            else return null;
        }
        return entries;
    }

    /// <summary>`xbstream -x [-C DIR]`: unpacks stdin into the directory.</summary>
    public static int Extract(ShellInterpreter shell, string[] args)
    {
        if (!args.Contains("-x") && !args.Contains("--extract"))
        {
            shell.Stderr.Write("xbstream: only -x (extract) is supported here\n");
            return 1;
        }
        var at = Array.IndexOf(args, "-C");
        var dir = at >= 0 && at + 1 < args.Length ? args[at + 1] : args.FirstOrDefault(a => a.StartsWith("--directory=", StringComparison.Ordinal))?[12..] ?? shell.Cwd;
        var entries = Read(shell.Stdin ?? "");
        if (entries is null)
        {
            shell.Stderr.Write("xbstream: incorrect chunk magic\nxbstream: failed to read chunk.\n");
            return 1;
        }
        foreach (var (path, content) in entries)
        {
            var (tree, rel) = shell.Host.Files.Resolve(dir.TrimEnd('/') + "/" + path, shell.Cwd);
            if (content is null) tree.MakeDirectory(rel);
            else tree.Write(rel, content, append: false);
        }
        return 0;
    }
}

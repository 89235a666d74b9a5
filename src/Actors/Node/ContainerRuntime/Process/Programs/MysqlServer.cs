using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// The simulated mysqld of a container: its state lives in the container's files, as the real
/// server's does, so it survives restarts with the volume and `ls /var/lib/mysql` shows it. The data
/// directory gets the system schemas (`mysql`, `sys`, `performance_schema`), `auto.cnf` and, with
/// `log-bin`, the first binary log; a database is a directory, a table `&lt;t&gt;.frm` (its columns) and
/// `&lt;t&gt;.ibd` (its rows, one a line, tab-separated). Options come from /etc/mysql/conf.d/*.cnf.
/// </summary>
internal sealed class MysqlServer
{
    public const string DataDir = "/var/lib/mysql";
    public const string ConfDir = "/etc/mysql/conf.d";

    private readonly ContainerFileSystem _files;

    public MysqlServer(ContainerFileSystem files, string hostname)
    {
        _files = files;
        Hostname = hostname;
        ReadOptions();
        Initialize();
    }

    public string Hostname { get; }

    /// <summary>server-id from the option files; 0 (MySQL 5.7's default) when none sets it.</summary>
    public long ServerId { get; private set; }

    public bool LogBin { get; private set; }

    public bool SuperReadOnly { get; private set; }

    /// <summary>The binary log's name (`&lt;hostname&gt;-bin.000001`, as mysqld names it without a value) and position.</summary>
    public string BinlogFile => $"{Hostname}-bin.000001";

    public const int BinlogStart = 154;

    private void ReadOptions()
    {
        if (!_files.DirectoryExists(ConfDir)) return;
        var (tree, rel) = _files.Resolve(ConfDir);
        foreach (var entry in tree.List(rel).Where(e => e.EndsWith(".cnf", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var text = _files.Read(ConfDir + "/" + entry) ?? "";
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] is '#' or ';' or '[') continue;
                var eq = line.IndexOf('=');
                var key = (eq < 0 ? line : line[..eq]).Trim().Replace('_', '-');
                var value = eq < 0 ? "" : line[(eq + 1)..].Trim();
                switch (key)
                {
                    case "server-id" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id): ServerId = id; break;
                    case "log-bin": LogBin = true; break;
                    case "super-read-only": SuperReadOnly = value is "" or "1" or "ON" or "on" or "TRUE" or "true"; break;
                }
            }
        }
    }

    /// <summary>What the entrypoint's --initialize leaves in an empty data directory.</summary>
    private void Initialize()
    {
        if (!_files.DirectoryExists(DataDir + "/mysql"))
        {
            foreach (var schema in SystemSchemas) MakeDirectory(DataDir + "/" + schema);
            var uuid = new Guid(MD5.HashData(Encoding.UTF8.GetBytes(Hostname))).ToString();
            Write(DataDir + "/auto.cnf", $"[auto]\nserver-uuid={uuid}\n");
            Write(DataDir + "/ibdata1", "");
        }
        if (LogBin && !_files.FileExists(DataDir + "/" + BinlogFile))
        {
            Write(DataDir + "/" + BinlogFile, "");
            Write(DataDir + $"/{Hostname}-bin.index", $"./{BinlogFile}\n");
        }
    }

    public static readonly string[] SystemSchemas = ["mysql", "performance_schema", "sys"];

    public IEnumerable<string> Databases()
    {
        var (tree, rel) = _files.Resolve(DataDir);
        return new[] { "information_schema" }.Concat(tree.List(rel).Where(e => _files.DirectoryExists(DataDir + "/" + e)).Order(StringComparer.Ordinal));
    }

    public bool DatabaseExists(string db) => db == "information_schema" || _files.DirectoryExists(DataDir + "/" + db);

    public void CreateDatabase(string db) => MakeDirectory(DataDir + "/" + db);

    public void DropDatabase(string db)
    {
        var (tree, rel) = _files.Resolve(DataDir + "/" + db);
        tree.Remove(rel, recursive: true);
    }

    public bool TableExists(string db, string table) => _files.FileExists($"{DataDir}/{db}/{table}.frm");

    public IReadOnlyList<string> Tables(string db)
    {
        var (tree, rel) = _files.Resolve(DataDir + "/" + db);
        return tree.List(rel).Where(e => e.EndsWith(".frm", StringComparison.Ordinal)).Select(e => e[..^4]).Order(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<string> Columns(string db, string table) =>
        (_files.Read($"{DataDir}/{db}/{table}.frm") ?? "").TrimEnd('\n').Split('\t');

    public void CreateTable(string db, string table, IReadOnlyList<string> columns)
    {
        Write($"{DataDir}/{db}/{table}.frm", string.Join('\t', columns) + "\n");
        Write($"{DataDir}/{db}/{table}.ibd", "");
    }

    public IReadOnlyList<string[]> Rows(string db, string table) =>
        (_files.Read($"{DataDir}/{db}/{table}.ibd") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t').Select(Unescape).ToArray()).ToArray();

    public void Insert(string db, string table, IEnumerable<string[]> rows)
    {
        var (tree, rel) = _files.Resolve($"{DataDir}/{db}/{table}.ibd");
        foreach (var row in rows) tree.Write(rel, string.Join('\t', row.Select(Escape)) + "\n", append: true);
    }

    /// <summary>CHANGE MASTER TO ...: kept as master.info, as a replica does (START SLAVE then "runs" it).</summary>
    public void ChangeMaster(string settings) => Write(DataDir + "/master.info", settings.Trim() + "\n");

    public bool HasMaster => _files.FileExists(DataDir + "/master.info");

    /// <summary>The CHANGE MASTER settings the replica runs with; null on a server that replicates from none.</summary>
    public string? MasterInfo => _files.Read(DataDir + "/master.info");

    /// <summary>Where the binary log ends: the position a replica cloned now would start from.</summary>
    public long BinlogPosition => BinlogStart + System.Text.Encoding.UTF8.GetByteCount(_files.Read(DataDir + "/" + BinlogFile) ?? "");

    /// <summary>One Query event (its Info: `use `db`; statement`) at the end of the binary log.</summary>
    public void AppendBinlog(string info)
    {
        var (tree, rel) = _files.Resolve(DataDir + "/" + BinlogFile);
        tree.Write(rel, info + "\n", append: true);
    }

    /// <summary>The events from <paramref name="from"/> on, with their start and end positions (a line of the file each).</summary>
    public IEnumerable<(long Position, long End, string Info)> BinlogEvents(long from)
    {
        long at = BinlogStart;
        foreach (var line in (_files.Read(DataDir + "/" + BinlogFile) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var end = at + System.Text.Encoding.UTF8.GetByteCount(line) + 1;
            if (at >= from) yield return (at, end, line);
            at = end;
        }
    }

    public static string Escape(string value) => value.Replace("\\", @"\\").Replace("\t", @"\t").Replace("\n", @"\n");

    public static string Unescape(string value) => value.Replace(@"\n", "\n").Replace(@"\t", "\t").Replace(@"\\", "\\");

    private void MakeDirectory(string path)
    {
        var (tree, rel) = _files.Resolve(path);
        tree.MakeDirectory(rel);
    }

    private void Write(string path, string content)
    {
        var (tree, rel) = _files.Resolve(path);
        tree.Write(rel, content, append: false);
    }
}

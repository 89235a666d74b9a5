using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>One failed statement: MySQL's error number, SQLSTATE and message.</summary>
internal sealed class MysqlError(int code, string state, string message) : Exception(message)
{
    public int Code { get; } = code;
    public string State { get; } = state;
}

/// <summary>
/// The SQL the tutorials send, run against a <see cref="MysqlServer"/>: SELECT of literals, system
/// variables (@@server_id, @@hostname, @@version), NOW() and whole tables; CREATE/DROP DATABASE,
/// CREATE TABLE, INSERT, USE, SHOW DATABASES/TABLES; CHANGE MASTER TO, START/STOP SLAVE, SHOW BINLOG
/// EVENTS. Results are written as the client's batch mode prints them (a header line, then
/// tab-separated rows). With log-bin, each change is written to the binary log as a Query event
/// (statement-based), which is what replicas replay (<see cref="MysqlReplication"/>).
/// </summary>
internal sealed partial class MysqlSql(MysqlServer server, DateTimeOffset now)
{
    public string? Database { get; set; }

    public bool ColumnNames { get; init; } = true;

    /// <summary>Results as boxed tables, as the client prints them on a terminal (or with -t); else tab-separated.</summary>
    public bool Tables { get; init; }

    /// <summary>The replication applier's thread: super-read-only does not stop it, and it writes no binary log of its own.</summary>
    public bool Replicating { get; init; }

    /// <summary>Runs a script statement by statement; stops at the first error, which it reports with its line.</summary>
    public int Run(string script, StringBuilder output, out string? error)
    {
        error = null;
        foreach (var (statement, line) in Split(script))
        {
            try
            {
                Execute(statement, output);
            }
            catch (MysqlError e)
            {
                error = $"ERROR {e.Code} ({e.State}) at line {line}: {e.Message}";
                return 1;
            }
        }
        return 0;
    }

    /// <summary>Statements separated by `;` outside quotes, each with the line it starts on.</summary>
    public static IEnumerable<(string Statement, int Line)> Split(string script)
    {
        var current = new StringBuilder();
        var line = 1;
        var startLine = 1;
        char quote = '\0';
        foreach (var c in script)
        {
            if (c == '\n') line++;
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                current.Append(c);
                continue;
            }
            if (c is '\'' or '"' or '`') quote = c;
            if (c == ';')
            {
                if (current.ToString().Trim().Length > 0) yield return (current.ToString().Trim(), startLine);
                current.Clear();
                startLine = line;
                continue;
            }
            if (current.ToString().Trim().Length == 0 && !char.IsWhiteSpace(c)) startLine = line;
            current.Append(c);
        }
        if (current.ToString().Trim().Length > 0) yield return (current.ToString().Trim(), startLine);
    }

    private void Execute(string statement, StringBuilder output)
    {
        var sql = Regex.Replace(statement, @"\s+", " ").Trim();
        Match m;
        if ((m = SelectFrom().Match(sql)).Success) { SelectTable(m.Groups[1].Value, m.Groups[2].Value, output); return; }
        if ((m = Select().Match(sql)).Success) { SelectValues(m.Groups[1].Value, output); return; }
        if ((m = CreateDatabase().Match(sql)).Success)
        {
            Writable();
            var db = Name(m.Groups[2].Value);
            if (server.DatabaseExists(db))
            {
                if (m.Groups[1].Success) return;
                throw new MysqlError(1007, "HY000", $"Can't create database '{db}'; database exists");
            }
            server.CreateDatabase(db);
            Logged(sql);
            return;
        }
        if ((m = DropDatabase().Match(sql)).Success)
        {
            Writable();
            var db = Name(m.Groups[2].Value);
            if (!server.DatabaseExists(db))
            {
                if (m.Groups[1].Success) return;
                throw new MysqlError(1008, "HY000", $"Can't drop database '{db}'; database doesn't exist");
            }
            server.DropDatabase(db);
            Logged(sql);
            return;
        }
        if ((m = CreateTable().Match(sql)).Success)
        {
            Writable();
            var (db, table) = Table(m.Groups[2].Value);
            if (!server.DatabaseExists(db)) throw new MysqlError(1049, "42000", $"Unknown database '{db}'");
            if (server.TableExists(db, table))
            {
                if (m.Groups[1].Success) return;
                throw new MysqlError(1050, "42S01", $"Table '{table}' already exists");
            }
            var columns = SplitTop(m.Groups[3].Value).Select(d => d.Trim())
                .Where(d => !Regex.IsMatch(d, @"^(PRIMARY|UNIQUE|KEY|INDEX|CONSTRAINT|FOREIGN)\b", RegexOptions.IgnoreCase))
                .Select(d => Name(d.Split(' ')[0])).ToArray();
            server.CreateTable(db, table, columns);
            Logged(sql);
            return;
        }
        if ((m = Insert().Match(sql)).Success)
        {
            Writable();
            var (db, table) = Existing(m.Groups[1].Value);
            var columns = server.Columns(db, table);
            var rows = new List<string[]>();
            foreach (Match tuple in Tuple().Matches(m.Groups[3].Value))
            {
                var values = SplitTop(tuple.Groups[1].Value).Select(v => Value(v.Trim())).ToArray();
                if (values.Length != columns.Count && !m.Groups[2].Success)
                    throw new MysqlError(1136, "21S01", $"Column count doesn't match value count at row {rows.Count + 1}");
                rows.Add(values);
            }
            server.Insert(db, table, rows);
            Logged(sql);
            return;
        }
        if ((m = Use().Match(sql)).Success)
        {
            var db = Name(m.Groups[1].Value);
            if (!server.DatabaseExists(db)) throw new MysqlError(1049, "42000", $"Unknown database '{db}'");
            Database = db;
            return;
        }
        if (ShowDatabases().IsMatch(sql))
        {
            Result(["Database"], server.Databases().Select(d => new[] { d }), output);
            return;
        }
        if (ShowTables().IsMatch(sql))
        {
            var db = Database ?? throw new MysqlError(1046, "3D000", "No database selected");
            Result([$"Tables_in_{db}"], server.Tables(db).Select(t => new[] { t }), output);
            return;
        }
        if ((m = ChangeMaster().Match(sql)).Success)
        {
            server.ChangeMaster(m.Groups[1].Value);
            return;
        }
        if (Slave().IsMatch(sql)) return;
        if ((m = ShowBinlogEvents().Match(sql)).Success) { BinlogEvents(m, output); return; }
        var near = statement.Length > 80 ? statement[..80] : statement;
        throw new MysqlError(1064, "42000",
            $"You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '{near}' at line 1");
    }

    private void Writable()
    {
        if (server.SuperReadOnly && !Replicating)
            throw new MysqlError(1290, "HY000", "The MySQL server is running with the --super-read-only option so it cannot execute this statement");
    }

    private void Logged(string sql)
    {
        if (server.LogBin && !Replicating) server.AppendBinlog(Database is { } db ? $"use `{db}`; {sql}" : sql);
    }

    /// <summary>SHOW BINLOG EVENTS [IN 'file'] [FROM pos]: the Query events (this server's binary log holds no others).</summary>
    private void BinlogEvents(Match m, StringBuilder output)
    {
        if (!server.LogBin) return;
        if (m.Groups[1].Success && m.Groups[1].Value != server.BinlogFile)
            throw new MysqlError(1220, "HY000", "Error when executing command SHOW BINLOG EVENTS: Could not find target log");
        var from = m.Groups[2].Success ? long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        Result(["Log_name", "Pos", "Event_type", "Server_id", "End_log_pos", "Info"],
            server.BinlogEvents(from).Select(e => new[]
            {
                server.BinlogFile, e.Position.ToString(CultureInfo.InvariantCulture), "Query",
                server.ServerId.ToString(CultureInfo.InvariantCulture), e.End.ToString(CultureInfo.InvariantCulture), e.Info,
            }), output);
    }

    private void SelectTable(string what, string name, StringBuilder output)
    {
        var (db, table) = Existing(name);
        var columns = server.Columns(db, table);
        var wanted = what.Trim() == "*" ? columns.ToArray() : SplitTop(what).Select(c => Name(c.Trim())).ToArray();
        var indexes = wanted.Select(w => columns.ToList().FindIndex(c => c.Equals(w, StringComparison.OrdinalIgnoreCase))).ToArray();
        var missing = Array.FindIndex(indexes, i => i < 0);
        if (missing >= 0) throw new MysqlError(1054, "42S22", $"Unknown column '{wanted[missing]}' in 'field list'");
        Result(wanted, server.Rows(db, table).Select(r => indexes.Select(i => i < r.Length ? r[i] : "NULL").ToArray()), output);
    }

    private void SelectValues(string what, StringBuilder output)
    {
        var expressions = SplitTop(what).Select(e => e.Trim()).ToArray();
        Result(expressions.Select(Header).ToArray(), [expressions.Select(Evaluate).ToArray()], output);
    }

    private static string Header(string expression)
    {
        var alias = Regex.Match(expression, @"\s+AS\s+`?(\w+)`?$", RegexOptions.IgnoreCase);
        if (alias.Success) return alias.Groups[1].Value;
        return expression.StartsWith('\'') && expression.EndsWith('\'') ? expression[1..^1] : expression;
    }

    private string Evaluate(string expression)
    {
        expression = Regex.Replace(expression, @"\s+AS\s+`?\w+`?$", "", RegexOptions.IgnoreCase);
        switch (expression.ToLowerInvariant())
        {
            case "@@server_id" or "@@global.server_id": return server.ServerId.ToString(CultureInfo.InvariantCulture);
            case "@@hostname": return server.Hostname;
            case "@@version" or "version()": return "5.7.44" + (server.LogBin ? "-log" : "");
            case "@@super_read_only" or "@@read_only": return server.SuperReadOnly ? "1" : "0";
            case "now()" or "current_timestamp()" or "current_timestamp" or "sysdate()":
                return now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            case "database()": return Database ?? "NULL";
            case "null": return "NULL";
        }
        if (decimal.TryParse(expression, NumberStyles.Number, CultureInfo.InvariantCulture, out _)) return expression;
        if (expression.Length >= 2 && expression[0] is '\'' or '"' && expression[^1] == expression[0]) return expression[1..^1];
        if (ArithmeticSum().Match(expression) is { Success: true } sum)
            return (long.Parse(sum.Groups[1].Value, CultureInfo.InvariantCulture) + long.Parse(sum.Groups[2].Value, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);
        throw new MysqlError(1054, "42S22", $"Unknown column '{expression}' in 'field list'");
    }

    private void Result(string[] columns, IEnumerable<string[]> rows, StringBuilder output)
    {
        var list = rows.ToList();
        if (list.Count == 0) return; // batch mode prints nothing for an empty result
        if (Tables)
        {
            BoxedTable(columns, list, output);
            return;
        }
        if (ColumnNames) output.Append(string.Join('\t', columns)).Append('\n');
        foreach (var row in list) output.Append(string.Join('\t', row.Select(MysqlServer.Escape))).Append('\n');
    }

    /// <summary>The client's table format: numbers right-aligned, everything else (and the header) left-aligned.</summary>
    private void BoxedTable(string[] columns, List<string[]> rows, StringBuilder output)
    {
        var widths = columns.Select((c, i) => Math.Max(ColumnNames ? c.Length : 0, rows.Max(r => i < r.Length ? r[i].Length : 0))).ToArray();
        var numeric = columns.Select((_, i) => rows.All(r => i >= r.Length || r[i] == "NULL" || decimal.TryParse(r[i], NumberStyles.Number, CultureInfo.InvariantCulture, out decimal _))).ToArray();
        var rule = "+" + string.Join('+', widths.Select(w => new string('-', w + 2))) + "+\n";
        void Line(IReadOnlyList<string> cells, bool header)
        {
            output.Append('|');
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = i < cells.Count ? cells[i] : "";
                output.Append(' ').Append(numeric[i] && !header ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i])).Append(" |");
            }
            output.Append('\n');
        }
        output.Append(rule);
        if (ColumnNames)
        {
            Line(columns, header: true);
            output.Append(rule);
        }
        foreach (var row in rows) Line(row, header: false);
        output.Append(rule);
    }

    private (string Db, string Table) Table(string name)
    {
        var parts = name.Split('.').Select(Name).ToArray();
        if (parts.Length == 2) return (parts[0], parts[1]);
        return (Database ?? throw new MysqlError(1046, "3D000", "No database selected"), parts[0]);
    }

    private (string Db, string Table) Existing(string name)
    {
        var (db, table) = Table(name);
        if (!server.TableExists(db, table)) throw new MysqlError(1146, "42S02", $"Table '{db}.{table}' doesn't exist");
        return (db, table);
    }

    private static string Name(string name) => name.Trim().Trim('`');

    private static string Value(string literal)
    {
        if (literal.Length >= 2 && literal[0] is '\'' or '"' && literal[^1] == literal[0])
            return literal[1..^1].Replace("''", "'").Replace("\\'", "'");
        return literal.Equals("NULL", StringComparison.OrdinalIgnoreCase) ? "NULL" : literal;
    }

    /// <summary>Splits on commas outside parentheses and quotes.</summary>
    private static List<string> SplitTop(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        char quote = '\0';
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c is '\'' or '"' or '`') quote = c;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) { parts.Add(text[start..i]); start = i + 1; }
        }
        parts.Add(text[start..]);
        return parts;
    }

    [GeneratedRegex(@"^SELECT (.+?) FROM ([\w.`]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SelectFrom();

    [GeneratedRegex(@"^SELECT (.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Select();

    [GeneratedRegex(@"^CREATE (?:DATABASE|SCHEMA) (IF NOT EXISTS )?([\w`]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateDatabase();

    [GeneratedRegex(@"^DROP (?:DATABASE|SCHEMA) (IF EXISTS )?([\w`]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex DropDatabase();

    [GeneratedRegex(@"^CREATE TABLE (IF NOT EXISTS )?([\w.`]+) ?\((.*)\)[^)]*$", RegexOptions.IgnoreCase)]
    private static partial Regex CreateTable();

    [GeneratedRegex(@"^INSERT INTO ([\w.`]+) ?(\([^)]*\))? ?VALUES ?(.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Insert();

    [GeneratedRegex(@"\(((?:[^()']|'[^']*')*)\)")]
    private static partial Regex Tuple();

    [GeneratedRegex(@"^USE ([\w`]+)$", RegexOptions.IgnoreCase)]
    private static partial Regex Use();

    [GeneratedRegex(@"^SHOW DATABASES$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowDatabases();

    [GeneratedRegex(@"^SHOW TABLES$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowTables();

    [GeneratedRegex(@"^CHANGE MASTER TO (.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ChangeMaster();

    [GeneratedRegex(@"^(START|STOP|RESET) SLAVE\b", RegexOptions.IgnoreCase)]
    private static partial Regex Slave();

    [GeneratedRegex(@"^SHOW BINLOG EVENTS(?: IN '([^']+)')?(?: FROM (\d+))?$", RegexOptions.IgnoreCase)]
    private static partial Regex ShowBinlogEvents();

    [GeneratedRegex(@"^(\d+) ?\+ ?(\d+)$")]
    private static partial Regex ArithmeticSum();
}

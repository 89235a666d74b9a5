namespace Akka.KubeEmu.Tests.Support;

/// <summary>
/// The PostgreSQL server the test command (scripts/test) starts and names in
/// KUBEEMU_TEST_POSTGRES. Without it the PostgreSQL tests fail loudly rather than pass silently.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "KUBEEMU_TEST_POSTGRES";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException($"{Variable} is not set: run the test suite with scripts/test, which starts PostgreSQL");

    /// <summary>A fresh schema per test run keeps runs independent on a shared database.</summary>
    public static string WithFreshSchema(out string schema)
    {
        schema = "t" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE SCHEMA {schema}";
        command.ExecuteNonQuery();
        return ConnectionString.TrimEnd(';') + $";Search Path={schema}";
    }
}

namespace Akka.KubeEmu.IntegrationTests.Support;

/// <summary>
/// The PostgreSQL server scripts/test starts, named in KUBEEMU_TEST_POSTGRES; each test gets a
/// schema of its own. Without the variable the test fails loudly rather than pass silently.
/// </summary>
public static class TestPostgres
{
    public static string FreshSchema()
    {
        var cs = Environment.GetEnvironmentVariable("KUBEEMU_TEST_POSTGRES") is { Length: > 0 } v
            ? v
            : throw new InvalidOperationException("KUBEEMU_TEST_POSTGRES is not set: run the suite with scripts/test, which starts PostgreSQL");
        var schema = "it" + Guid.NewGuid().ToString("N")[..12];
        using var connection = new Npgsql.NpgsqlConnection(cs);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE SCHEMA {schema}";
        command.ExecuteNonQuery();
        return cs.TrimEnd(';') + $";Search Path={schema}";
    }
}

using Npgsql;

namespace Rectify.Tests.Support;

/// <summary>Databases of their own for tests that run extra hosts: hosts sharing one would share durable envelopes.</summary>
public static class TestDatabases
{
    /// <summary>Creates the database beside the test database if missing; returns its connection string.</summary>
    public static async Task<string> Create(string name)
    {
        var database = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("ConnectionStrings__marten")
            ?? throw new InvalidOperationException("Tests need PostgreSQL: run them with ops/test.")) { Database = name };
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", admin) { Parameters = { new() { Value = name } } };
        if (await exists.ExecuteScalarAsync() is null)
            await new NpgsqlCommand($"create database \"{name}\"", admin).ExecuteNonQueryAsync();
        return database.ConnectionString;
    }
}

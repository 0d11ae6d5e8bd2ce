using System.Text.Json;
using Npgsql;

namespace Rectify.Bench;

/// <summary>
/// The HTTP baseline: a minimal ASP.NET Core endpoint per command that parses the same JSON body and stores it with one
/// plain Npgsql INSERT into a plain table, with no validation, no event store and no outbox. Same routes as Rectify,
/// so the load driver sends the same requests to both.
/// </summary>
public static class BaselineServer
{
    public static async Task<int> RunAsync(Options options)
    {
        await using var data = NpgsqlDataSource.Create(options.Get("connection"));
        await using (var setup = data.CreateCommand("""
            drop table if exists bench_baseline_issues, bench_baseline_acts;
            create table bench_baseline_issues (id uuid primary key, body jsonb not null, stored_at timestamptz not null);
            create table bench_baseline_acts (id bigint generated always as identity primary key, issue_id uuid not null, body jsonb not null, stored_at timestamptz not null);
            """))
            await setup.ExecuteNonQueryAsync();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Get("urls"));
        var app = builder.Build();

        app.MapPost("/api/v1/issues", async (HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            var id = Guid.CreateVersion7();
            await using var insert = data.CreateCommand("insert into bench_baseline_issues (id, body, stored_at) values ($1, $2, now())");
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = body.RootElement.GetRawText(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
            await insert.ExecuteNonQueryAsync();
            return Results.Text($$"""{"id":"{{id}}","version":1}""", "application/json", statusCode: 201);
        });
        app.MapPost("/api/v1/issues/{id:guid}/resolve-on-spot", async (Guid id, HttpRequest request) =>
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            await using var insert = data.CreateCommand("insert into bench_baseline_acts (issue_id, body, stored_at) values ($1, $2, now())");
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = body.RootElement.GetRawText(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb });
            await insert.ExecuteNonQueryAsync();
            return Results.Text($$"""{"id":"{{id}}","version":2}""", "application/json", statusCode: 200);
        });
        app.MapGet("/health", () => "ok");
        await app.RunAsync();
        return 0;
    }
}

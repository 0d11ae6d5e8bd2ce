using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Tests.Support;
using Wolverine;

namespace Rectify.Tests.Contract;

/// <summary>
/// A host whose database goes away (through a relay the test cuts, as a PostgreSQL restart would) answers 503 with
/// Retry-After and a problem body, never 500, and serves again by itself once the database is back.
/// </summary>
public sealed class DatabaseOutageTests
{
    [Fact]
    public async Task While_the_database_is_unreachable_the_answer_is_503_with_retry_after_and_it_recovers_by_itself()
    {
        var direct = new NpgsqlConnectionStringBuilder(await TestDatabases.Create("rectify_test_outage"));
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        proxy.Open();
        var relayed = new NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 5 };

        await using var host = await AlbaHost.For<Program>(x =>
        {
            x.UseSetting("ConnectionStrings:marten", relayed.ConnectionString);
            x.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                Rectify.Tests.Keys.CapturedLogs.AddTo(services);
            });
        });
        var key = ApiClient.NewKey();
        await using (var session = host.DocumentStore().LightweightSession())
        {
            session.Store(new ApiClient { Id = ApiClient.Hash(key), Name = "admin", Role = Role.Admin, RegisteredAt = DateTimeOffset.UtcNow });
            await session.SaveChangesAsync();
        }
        Assert.Equal(201, await Collect(host, key, "before"));

        proxy.Cut();
        foreach (var attempt in new[] { "first", "second" })
        {
            var write = await host.Scenario(s =>
            {
                s.Post.Json(Issue()).ToUrl("/api/v1/issues");
                s.WithRequestHeader("Authorization", $"Bearer {key}");
                s.WithRequestHeader(CorrelationIds.Header, $"outage-{attempt}");
                s.StatusCodeShouldBe(503);
            });
            Assert.Equal(DatabaseUnavailable.RetryAfterSeconds.ToString(), write.Context.Response.Headers.RetryAfter.ToString());
            Assert.Equal("application/problem+json", write.Context.Response.ContentType);
            Assert.Equal($"outage-{attempt}", write.Context.Response.Headers[CorrelationIds.Header].ToString());
            var problem = await write.ReadAsJsonAsync<Problem>();
            Assert.Equal("https://rectify.invalid/problems/unavailable", problem!.Type);
            Assert.Equal(503, problem.Status);
        }
        var read = await host.Scenario(s =>
        {
            s.Get.Url("/api/v1/issues");
            s.WithRequestHeader("Authorization", $"Bearer {key}");
            s.StatusCodeShouldBe(503);
        });
        Assert.False(string.IsNullOrEmpty(read.Context.Response.Headers.RetryAfter.ToString()));

        proxy.Open();
        var status = 0;
        var until = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < until && (status = await Collect(host, key, "after")) != 201)
        {
            Assert.Equal(503, status); // recovering, never a server error
            await Task.Delay(500);
        }
        Assert.Equal(201, status);
    }

    private static async Task<int> Collect(IAlbaHost host, string key, string description)
    {
        var result = await host.Scenario(s =>
        {
            s.Post.Json(Issue(description)).ToUrl("/api/v1/issues");
            s.WithRequestHeader("Authorization", $"Bearer {key}");
            s.IgnoreStatusCode();
        });
        return result.Context.Response.StatusCode;
    }

    private static object Issue(string description = "d") =>
        new { townId = "qicun", address = "a", categoryId = "other", description, channel = "visit", visitorId = "v" };

    private sealed record Problem(string Type, int Status);
}

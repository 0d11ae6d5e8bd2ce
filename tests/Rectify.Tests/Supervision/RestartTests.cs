using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.Supervision;
using Rectify.Tests.Support;
using Npgsql;
using Wolverine;

namespace Rectify.Tests.Supervision;

/// <summary>
/// The supervision checks an assignment schedules outlive the host that scheduled them: the host stops, the
/// checks come due a few real seconds later, a new host on the same database fires them, and each overdue event
/// appears exactly once.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task Scheduled_checks_fire_after_a_restart_exactly_once()
    {
        var database = await TestDatabases.Create("rectify_test_restart");
        var clock = new TestClock();
        clock.Set(new DateTimeOffset(2030, 1, 7, 9, 0, 0, TimeSpan.FromHours(8))); // the domain's day; deadline 10 January
        var key = ApiClient.NewKey();

        Guid issueId;
        await using (var first = await StartHost(database, clock))
        {
            await first.ResetAllMartenDataAsync();
            await Execute(database, "delete from rectify.wolverine_incoming_envelopes"); // left by an earlier run on this database
            await using (var session = first.DocumentStore().LightweightSession())
            {
                session.Store(new ApiClient { Id = ApiClient.Hash(key), Name = "admin", Role = Role.Admin, RegisteredAt = DateTimeOffset.UtcNow });
                await session.SaveChangesAsync();
            }

            var created = await first.Scenario(s =>
            {
                s.Post.Json(new { townId = "qicun", address = "a", categoryId = "other", description = "d", channel = "visit", visitorId = "v" }).ToUrl("/api/v1/issues");
                s.WithRequestHeader("Authorization", $"Bearer {key}");
                s.StatusCodeShouldBe(201);
            });
            issueId = (await created.ReadAsJsonAsync<IdOnly>())!.Id;
            await first.Scenario(s =>
            {
                s.Post.Json(new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }).ToUrl($"/api/v1/issues/{issueId}/assign");
                s.WithRequestHeader("Authorization", $"Bearer {key}");
            });
        }

        // The collection scheduled its assignment check, the assignment its handling and acceptance checks, for the
        // end of their due dates in 2030, in real time. With the first host stopped, bring them due a few seconds from
        // now, as if those days had come. The issue was assigned in time: its assignment check records nothing.
        clock.Set(new DateTimeOffset(2030, 1, 14, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal(3, await Execute(database,
            "update rectify.wolverine_incoming_envelopes set execution_time = now() + interval '3 seconds' " +
            "where message_type = 'Rectify.Supervision.CheckClock' and status = 'Scheduled'"));

        await using var second = await StartHost(database, clock);
        var until = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < until && (await Missed(second, issueId)).Count < 2) await Task.Delay(250);
        Assert.Equal([SupervisionClock.Handling, SupervisionClock.Acceptance], (await Missed(second, issueId)).Order());

        await Task.Delay(TimeSpan.FromSeconds(3)); // polling runs on: nothing more may appear
        Assert.Equal(2, (await Missed(second, issueId)).Count);
    }

    private static async Task<int> Execute(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<SupervisionClock>> Missed(IAlbaHost host, Guid issueId)
    {
        await using var session = host.DocumentStore().QuerySession();
        var events = await session.Events.FetchStreamAsync(issueId);
        return events.Select(e => e.Data).OfType<DeadlineMissed>().Where(m => m.Level == 1).Select(m => m.Clock).ToList();
    }

    private static Task<IAlbaHost> StartHost(string database, TestClock clock) =>
        AlbaHost.For<Program>(x =>
        {
            x.UseSetting("ConnectionStrings:marten", database);
            x.UseSetting("Supervision:PollingInterval", "00:00:00.500");
            x.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                Rectify.Tests.Keys.CapturedLogs.AddTo(services);
                services.AddSingleton<TimeProvider>(clock);
            });
        });

    private sealed record IdOnly(Guid Id);
}

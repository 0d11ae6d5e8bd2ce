using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.Supervision;
using Rectify.Tests.Support;
using Wolverine;

namespace Rectify.Tests.Supervision;

/// <summary>
/// A deadline check scheduled a few real seconds ahead survives the host that scheduled it: a new host on the same
/// database fires it, and the overdue event appears exactly once.
/// </summary>
public sealed class RestartTests
{
    [Fact]
    public async Task A_scheduled_check_fires_after_a_restart_exactly_once()
    {
        var database = await TestDatabases.Create("rectify_test_restart");
        var clock = new TestClock();
        clock.Set(new DateTimeOffset(2030, 1, 7, 9, 0, 0, TimeSpan.FromHours(8))); // the domain's day; deadline 10 January
        var key = ApiClient.NewKey();

        Guid issueId;
        CheckClock check;
        DateTimeOffset due;
        await using (var first = await StartHost(database, clock))
        {
            await first.ResetAllMartenDataAsync();
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

            await using var query = first.DocumentStore().LightweightSession();
            var issue = (await query.Events.FetchLatest<Issue>(issueId))!;
            check = new CheckClock(issueId, SupervisionClock.Handling, issue.DeadlineId!.Value, issue.Deadline!.Value, 1);
            clock.Set(new DateTimeOffset(2030, 1, 14, 9, 0, 0, TimeSpan.FromHours(8))); // past the deadline
            using var scope = first.Services.CreateScope();
            due = DateTimeOffset.UtcNow.AddSeconds(4);
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().ScheduleAsync(check, due);
        }

        // Only a host stopped before the check was due proves the check outlived it.
        Assert.True(DateTimeOffset.UtcNow < due, "The first host took too long to stop; the test proves nothing.");

        await using var second = await StartHost(database, clock);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until && await MissedCount(second, issueId) == 0) await Task.Delay(250);
        Assert.Equal(1, await MissedCount(second, issueId));

        await Task.Delay(TimeSpan.FromSeconds(3)); // polling runs on: nothing more may appear
        Assert.Equal(1, await MissedCount(second, issueId));
    }

    private static async Task<int> MissedCount(IAlbaHost host, Guid issueId)
    {
        await using var session = host.DocumentStore().QuerySession();
        var events = await session.Events.FetchStreamAsync(issueId);
        return events.Count(e => e.Data is DeadlineMissed { Level: 1 });
    }

    private static Task<IAlbaHost> StartHost(string database, TestClock clock) =>
        AlbaHost.For<Program>(x =>
        {
            x.UseSetting("ConnectionStrings:marten", database);
            x.UseSetting("Supervision:PollingInterval", "00:00:00.500");
            x.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddSingleton<TimeProvider>(clock);
            });
        });

    private sealed record IdOnly(Guid Id);
}

using System.Text.Json.Nodes;
using Marten;
using Marten.Events;
using Rectify.Audit;
using Rectify.Seeding;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;

namespace Rectify.Tests.Audit;

/// <summary>ops/cli audit replay-check: the stored read models equal the replay of their events, and a changed row is named.</summary>
public sealed class ReplayCheckTests(AppFixture app) : ApiTest(app)
{
    private static Task<(int ExitCode, string Output)> RunCommand(params string[] args) =>
        Checkout.RunToEnd("dotnet", [Path.Combine(AppContext.BaseDirectory, "Rectify.dll"), "audit", .. args], info =>
        {
            info.WorkingDirectory = AppContext.BaseDirectory;
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        });

    private async Task Seed()
    {
        var plan = new CampaignPlan(5, 0.01, Given.References, Given.Calendar);
        await CampaignSeeder.AppendAsync(Store, plan, _ => { }, CancellationToken.None);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(2));
    }

    private async Task Sql(string sql, params object[] args)
    {
        await using var session = Store.LightweightSession();
        session.QueueSqlCommand(sql, args);
        await session.SaveChangesAsync();
    }

    [Fact]
    public async Task A_seeded_campaign_passes_and_every_corrupted_row_is_named_with_stored_and_replayed_values()
    {
        await Seed();
        // A few acts through the API too: the inline models written by commands, not only by the seeder's rebuild.
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/escalate", new { version = 1, departmentId = "housing", reason = "需区住建局统筹改造" }, "qicun-office", 200);

        var clean = await ReplayCheck.RunAsync(Store, CancellationToken.None);
        Assert.True(clean.Clean, string.Join("\n", clean.Differences.Take(20)));
        Assert.Equal(["Issue", "IssueSummary", "VisitorDay", "TownDay", "VisitedHousehold"], clean.Models.Select(m => m.Document));
        Assert.All(clean.Models, m => Assert.True(m.Stored > 0 && m.Stored == m.Replayed, $"{m}"));
        var (passed, passOutput) = await RunCommand("replay-check");
        Assert.True(passed == 0, passOutput);
        Assert.Contains("replay check passed", passOutput);

        await using var query = Store.QuerySession();
        var open = (await query.QueryAsync<string>(
            "select id::text from rectify.mt_doc_issuesummary where data -> 'state' ->> 'status' <> 'Closed' order by id limit 1")).Single();
        var openStatus = (await query.QueryAsync<string>("select data -> 'state' ->> 'status' from rectify.mt_doc_issuesummary where id = ?::uuid", open)).Single();
        var townDay = (await query.QueryAsync<string>("select id from rectify.mt_doc_townday order by id limit 1")).Single();
        var visits = (await query.QueryAsync<int>("select (data ->> 'visits')::int from rectify.mt_doc_townday where id = ?", townDay)).Single();
        var household = (await query.QueryAsync<string>("select id from rectify.mt_doc_visitedhousehold order by id limit 1")).Single();
        await Sql("update rectify.mt_doc_issuesummary set data = jsonb_set(data, '{state,status}', '\"Closed\"') where id = ?::uuid", open);
        await Sql("update rectify.mt_doc_issue set data = jsonb_set(data, '{townId}', '\"mengzhuang\"') where id = ?", id);
        await Sql("update rectify.mt_doc_townday set data = jsonb_set(data, '{visits}', to_jsonb((data ->> 'visits')::int + 1)) where id = ?", townDay);
        await Sql("delete from rectify.mt_doc_visitedhousehold where id = ?", household);

        var report = await ReplayCheck.RunAsync(Store, CancellationToken.None);
        Assert.Equal(
            new[]
            {
                new ReplayDifference("Issue", id.ToString(), "townId", "\"mengzhuang\"", "\"qicun\""),
                new ReplayDifference("IssueSummary", open, "state.status", "\"Closed\"", $"\"{openStatus}\""),
                new ReplayDifference("TownDay", townDay, "visits", (visits + 1).ToString(), visits.ToString()),
                new ReplayDifference("VisitedHousehold", household, "(document)", ReplayDifference.Absent, "present")
            },
            report.Differences);

        var (failed, failOutput) = await RunCommand("replay-check");
        Assert.NotEqual(0, failed);
        Assert.Contains($"DIFFERENCE IssueSummary {open} state.status: stored \"Closed\", replayed \"{openStatus}\"", failOutput);
        Assert.Contains($"DIFFERENCE TownDay {townDay} visits: stored {visits + 1}, replayed {visits}", failOutput);
        Assert.Contains("replay check FAILED: 4 difference(s)", failOutput);

        var (unknown, unknownOutput) = await RunCommand("replay-everything");
        Assert.NotEqual(0, unknown);
        Assert.Contains("replay-check", unknownOutput);
    }

    [Fact]
    public void A_field_added_since_a_row_was_written_is_null_and_numbers_compare_by_value()
    {
        var found = new List<string>();
        ReplayCheck.Diff(JsonNode.Parse("""{"a":1.0,"b":[1,2],"c":"x"}"""), JsonNode.Parse("""{"a":1,"b":[1,3,4],"c":"x","d":null}"""), "",
            (field, stored, replayed) => found.Add($"{field}:{stored}:{replayed}"));
        Assert.Equal(["b.length:2:3", "b[1]:2:3"], found);
    }
}

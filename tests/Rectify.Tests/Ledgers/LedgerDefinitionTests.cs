using System.Text.Json;
using Marten;
using Marten.Events;
using Rectify.Seeding;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;

namespace Rectify.Tests.Ledgers;

/// <summary>
/// A ledger's totals mean what the statistics mean: a department's ledger counts the issues it holds (as its statistics
/// and ranking do), a domain's ledger counts its on-the-spot and in-group settlements (as the category's statistics do).
/// </summary>
public sealed class LedgerDefinitionTests(AppFixture app) : ApiTest(app)
{
    private Task<Reply> Act(Guid id, string command, object body, string client) => Post($"/api/v1/issues/{id}/{command}", body, client, 200);

    private static Guid[] Ids(JsonElement list) => list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("issueId").GetGuid()).ToArray();

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

    /// <summary>The department ledger's totals against the department's statistics and its ranking row (absent when it holds nothing).</summary>
    private async Task AssertLedgerEqualsStatistics(string departmentId, JsonElement rankings)
    {
        var ledger = (await Get($"/api/v1/ledgers/departments/{departmentId}", "auditor", 200)).Json;
        var totals = ledger.GetProperty("totals");
        var figures = (await Get($"/api/v1/statistics?departmentId={departmentId}", "auditor", 200)).Json;
        Assert.Equal((Int(figures, "ledger"), Int(figures, "closed"), Int(figures, "inProgress"), Int(figures, "overdue")),
            (Int(totals, "inLedger"), Int(totals, "closed"), Int(totals, "inProgress"), Int(totals, "overdue")));
        var ranked = rankings.GetProperty("departments").EnumerateArray().Where(d => d.GetProperty("id").GetString() == departmentId).ToList();
        Assert.Equal(Int(totals, "inLedger") == 0 ? [] : [(Int(totals, "inLedger"), Int(totals, "closed"))],
            ranked.Select(d => (Int(d, "ledger"), Int(d, "closed"))));
    }

    [Fact]
    public async Task A_departments_ledger_counts_what_it_holds_and_lists_what_it_handed_on_apart()
    {
        var kept = await Collect();
        await Act(kept, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office");
        await Act(kept, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");
        var rerouted = await Collect();
        await Act(rerouted, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office");
        await Act(rerouted, "request-reroute", new { version = 2, reason = "应由交通局办理" }, "housing");
        await Act(rerouted, "reroute", new { version = 3, departmentId = "transport" }, "supervisor");
        var returned = await Collect();
        await Act(returned, "assign", new { version = 1, unitId = "housing", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office");
        await Act(returned, "return", new { version = 2, reason = "不属本局职责" }, "housing");

        App.Clock.Set(App.Clock.GetUtcNow().AddMinutes(1)); // the statistics read a moment after the acts
        var housing = (await Get("/api/v1/ledgers/departments/housing", "auditor", 200)).Json;
        Assert.Equal([kept], Ids(housing));
        Assert.Equal(1, Int(housing, "total"));
        Assert.Equal(2, Int(housing.GetProperty("formerlyHeld"), "total"));
        Assert.Equal(new[] { rerouted, returned }.Order(), Ids(housing.GetProperty("formerlyHeld")).Order());
        Assert.Equal([rerouted], Ids((await Get("/api/v1/ledgers/departments/transport", "auditor", 200)).Json));

        var rankings = (await Get("/api/v1/statistics/rankings", "auditor", 200)).Json;
        await AssertLedgerEqualsStatistics("housing", rankings);
        await AssertLedgerEqualsStatistics("transport", rankings);

        // The export carries what the department handed on as a part of its own.
        var csv = (await Get("/api/v1/ledgers/departments/housing?format=csv&part=formerly-held", "auditor", 200)).Text;
        Assert.Equal(3, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_domain_ledger_counts_its_on_the_spot_and_in_group_settlements_as_the_statistics_do()
    {
        var group = (await Post("/api/v1/wechat-groups", new { townId = "qicun", communityId = "qicun-qicun", name = "齐村群", members = 10 }, "qicun-office", 201))
            .Json.GetProperty("id").GetString();
        var inGroup = await Collect(b => { b["channel"] = "wechat-group"; b["wechatGroupId"] = group; });
        await Act(inGroup, "resolve-on-spot", new { version = 1, outcome = "群内答复" }, "qicun-office");
        var onSpot = await Collect();
        await Act(onSpot, "resolve-on-spot", new { version = 1, outcome = "当场解决" }, "qicun-visitor");
        await Collect();
        await Collect(b => b["categoryId"] = "public-security");

        App.Clock.Set(App.Clock.GetUtcNow().AddMinutes(1)); // the statistics read a moment after the acts
        var domain = (await Get("/api/v1/ledgers/domains/living-environment", "auditor", 200)).Json;
        var totals = domain.GetProperty("ledger").GetProperty("totals");
        Assert.Equal((3, 1, 1, 1), (Int(totals, "collected"), Int(totals, "inLedger"), Int(totals, "resolvedOnSpot"), Int(totals, "resolvedInGroups")));
        var qicun = domain.GetProperty("byTown").GetProperty("qicun");
        Assert.Equal((1, 1), (Int(qicun, "resolvedOnSpot"), Int(qicun, "resolvedInGroups")));
        var figures = (await Get("/api/v1/statistics?categoryId=living-environment", "auditor", 200)).Json;
        Assert.Equal((Int(figures, "ledger"), Int(figures, "resolvedOnSpot"), Int(figures, "resolvedInGroups")),
            (Int(totals, "inLedger"), Int(totals, "resolvedOnSpot"), Int(totals, "resolvedInGroups")));
    }

    [Fact]
    public async Task On_a_seeded_campaign_every_departments_ledger_equals_its_statistics_and_every_domain_its_categorys()
    {
        var plan = new CampaignPlan(7, 0.01, Given.References, Given.Calendar);
        await CampaignSeeder.AppendAsync(Store, plan, _ => { }, CancellationToken.None);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));

        var rankings = (await Get("/api/v1/statistics/rankings", "auditor", 200)).Json;
        var departments = Given.References.Departments.Select(d => d.Id).ToList();
        foreach (var department in departments) await AssertLedgerEqualsStatistics(department, rankings);
        var held = 0;
        foreach (var department in departments)
            held += Int((await Get($"/api/v1/ledgers/departments/{department}", "auditor", 200)).Json, "total");
        Assert.True(held > 0);

        foreach (var category in Given.References.Categories)
        {
            var totals = (await Get($"/api/v1/ledgers/domains/{category.Id}", "auditor", 200)).Json.GetProperty("ledger").GetProperty("totals");
            var figures = (await Get($"/api/v1/statistics?categoryId={category.Id}", "auditor", 200)).Json;
            Assert.Equal((Int(figures, "ledger"), Int(figures, "closed"), Int(figures, "resolvedOnSpot"), Int(figures, "resolvedInGroups"), Int(figures, "overdue")),
                (Int(totals, "inLedger"), Int(totals, "closed"), Int(totals, "resolvedOnSpot"), Int(totals, "resolvedInGroups"), Int(totals, "overdue")));
        }
    }
}

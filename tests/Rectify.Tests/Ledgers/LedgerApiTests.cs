using System.Text.Json;
using Marten;
using Marten.Events;
using Rectify.Tests.Support;

namespace Rectify.Tests.Ledgers;

/// <summary>Visits, coverage, the ledgers and search, on the real host: every ledger a projection of events.</summary>
public sealed class LedgerApiTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset June1 = new(2022, 6, 1, 9, 0, 0, Beijing);

    private Task<Reply> Visit(string householdId, DateTimeOffset at, string gridId = "qicun-qicun-g01", int leaflets = 1, Guid[]? issueIds = null, string client = "qicun-visitor", int expected = 201) =>
        Post("/api/v1/visits", new
        {
            townId = "qicun", gridId, householdId, visitorId = "visitor-017", occurredAt = at.ToString("O"),
            anyoneHome = true, leaflets, issueIds = issueIds ?? []
        }, client, expected);

    private Task WaitForLedgers() => Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));

    private static List<JsonElement> Items(Reply reply) => reply.Json.GetProperty("items").EnumerateArray().ToList();

    private Task<Reply> Act(Guid id, string command, object body, string client) => Post($"/api/v1/issues/{id}/{command}", body, client, 200);

    [Fact]
    public async Task A_visitors_day_ledger_lists_the_visits_and_the_issues_collected()
    {
        var issue = await Collect(b => b["collectedAt"] = June1.ToString("O"));
        await Visit("0101", June1, leaflets: 2, issueIds: [issue]);
        await Visit("0102", June1.AddHours(1), leaflets: 1);
        await Visit("0101", June1.AddHours(2), leaflets: 0); // a revisit
        await Visit("0103", June1.AddDays(1));
        await WaitForLedgers();

        var ledger = (await Get("/api/v1/ledgers/visitors/visitor-017/2022-06-01", "auditor", 200)).Json;

        Assert.Equal(3, ledger.GetProperty("visits").GetInt32());
        Assert.Equal(2, ledger.GetProperty("households").GetInt32());
        Assert.Equal(3, ledger.GetProperty("leaflets").GetInt32());
        var collected = Assert.Single(ledger.GetProperty("issues").EnumerateArray());
        Assert.Equal(issue, collected.GetProperty("issueId").GetGuid());
        Assert.Equal("collected", collected.GetProperty("status").GetString());

        var empty = (await Get("/api/v1/ledgers/visitors/visitor-017/2022-06-05", "auditor", 200)).Json;
        Assert.Equal(0, empty.GetProperty("visits").GetInt32());
        await Get("/api/v1/ledgers/visitors/visitor-017/June-1", "auditor", 400);
    }

    [Fact]
    public async Task Coverage_counts_each_household_once_per_grid_community_and_town()
    {
        await Visit("0001", June1);
        await Visit("0001", June1.AddDays(2)); // revisit
        await Visit("0002", June1);
        await Visit("0009", June1, gridId: "qicun-qicun-g02");
        await WaitForLedgers();

        var coverage = (await Get("/api/v1/coverage?townId=qicun", "auditor", 200)).Json;

        var town = Assert.Single(coverage.GetProperty("towns").EnumerateArray());
        Assert.Equal(3, town.GetProperty("visited").GetInt32());
        var community = town.GetProperty("communities").EnumerateArray().Single(c => c.GetProperty("communityId").GetString() == "qicun-qicun");
        var grids = community.GetProperty("grids").EnumerateArray().ToDictionary(g => g.GetProperty("gridId").GetString()!);
        Assert.Equal(2, grids["qicun-qicun-g01"].GetProperty("visited").GetInt32());
        var households = grids["qicun-qicun-g01"].GetProperty("households").GetInt32();
        Assert.Equal(Math.Round(200m / households, 1), grids["qicun-qicun-g01"].GetProperty("rate").GetDecimal());
        Assert.Equal(1, grids["qicun-qicun-g02"].GetProperty("visited").GetInt32());
        Assert.Equal(3, community.GetProperty("visited").GetInt32());
    }

    [Fact]
    public async Task Visits_are_checked_and_nothing_is_stored_on_error()
    {
        var bad = await Post("/api/v1/visits", new { townId = "qicun", gridId = "mengzhuang-x-g01", householdId = "", visitorId = "v", leaflets = -1, anyoneHome = "yes", issueIds = new[] { "nope" } }, "admin", 400);
        Assert.Equal(["anyoneHome", "gridId", "householdId", "issueIds[0]", "leaflets"], bad.ErrorFields.Order());
        var unknownIssue = await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "v", issueIds = new[] { Guid.NewGuid() } }, "admin", 400);
        Assert.Equal(["issueIds[0]"], unknownIssue.ErrorFields);
        var zero = await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "v", issueIds = new[] { Guid.Empty } }, "admin", 400);
        Assert.Equal(["issueIds[0]"], zero.ErrorFields);
        var elsewhere = await Collect(b => { b["townId"] = "mengzhuang"; b.Remove("communityId"); }, "admin");
        var before = await StoredEventCount();
        var otherTown = await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "v", issueIds = new[] { elsewhere } }, "admin", 400);
        Assert.Equal(["issueIds[0]"], otherTown.ErrorFields);
        // The answer names the caller's town, never the other town the issue belongs to.
        Assert.Contains("not an issue of town qicun", otherTown.Text);
        Assert.DoesNotContain("mengzhuang", otherTown.Text);
        Assert.Equal(before, await StoredEventCount());
        await Visit("0001", June1, client: "mengzhuang-office", expected: 403);
        Assert.Equal(before, await StoredEventCount());
    }

    [Fact]
    public async Task A_towns_daily_ledger_lists_every_issue_collected_that_day_with_routing_and_status()
    {
        var routed = await Collect(b => b["collectedAt"] = June1.ToString("O"));
        await Act(routed, "assign", new { version = 1, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office");
        var onSpot = await Collect(b => b["collectedAt"] = June1.AddHours(3).ToString("O"));
        await Act(onSpot, "resolve-on-spot", new { version = 1, outcome = "当场解决", occurredAt = June1.AddHours(3.5).ToString("O") }, "qicun-visitor");
        await Collect(b => b["collectedAt"] = June1.AddDays(1).ToString("O"));
        await Collect(b => { b["collectedAt"] = June1.ToString("O"); b["townId"] = "mengzhuang"; b.Remove("communityId"); }, "admin");

        var ledger = (await Get("/api/v1/ledgers/towns/qicun/2022-06-01", "auditor", 200)).Json;

        var items = ledger.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([routed, onSpot], items.Select(i => i.GetProperty("issueId").GetGuid()));
        Assert.Equal("qicun-enforcement", items[0].GetProperty("unitId").GetString());
        Assert.Equal("齐村镇综合行政执法办", items[0].GetProperty("unitName").GetString());
        Assert.Equal("居住环境", items[0].GetProperty("categoryName").GetString());
        Assert.Equal(("齐村镇", "齐村"), (items[0].GetProperty("townName").GetString(), items[0].GetProperty("communityName").GetString()));
        Assert.Equal(("m", "o", "p"), (items[0].GetProperty("measures").GetString(), items[0].GetProperty("responsibleOffice").GetString(),
            items[0].GetProperty("responsiblePerson").GetString()));
        Assert.Equal("resolved-on-spot", items[1].GetProperty("status").GetString());
        var totals = ledger.GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("inLedger").GetInt32());
        Assert.Equal(1, totals.GetProperty("resolvedOnSpot").GetInt32());

        var cumulative = (await Get("/api/v1/ledgers/towns/qicun", "auditor", 200)).Json;
        Assert.Equal(3, cumulative.GetProperty("total").GetInt32());
        Assert.Equal(2, cumulative.GetProperty("totals").GetProperty("inProgress").GetInt32());
        await Get("/api/v1/ledgers/towns/atlantis", "auditor", 404);
    }

    [Fact]
    public async Task A_departments_ledger_lists_what_it_holds_and_apart_what_it_handed_on_and_the_domain_ledger_every_issue_of_its_category()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/escalate", new { version = 1, reason = "r" }, "qicun-office", 200); // lead: housing
        await Act(id, "request-reroute", new { version = 2, reason = "应由交通局办理" }, "housing");
        await Act(id, "reroute", new { version = 3, departmentId = "transport" }, "supervisor");
        var other = await Collect(b => b["categoryId"] = "public-security");

        var housing = (await Get("/api/v1/ledgers/departments/housing", "auditor", 200)).Json;
        var transport = (await Get("/api/v1/ledgers/departments/transport", "auditor", 200)).Json;
        Assert.Empty(housing.GetProperty("items").EnumerateArray());
        Assert.Equal([id], housing.GetProperty("formerlyHeld").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("issueId").GetGuid()));
        Assert.Equal("transport", Assert.Single(transport.GetProperty("items").EnumerateArray()).GetProperty("unitId").GetString());

        var domain = (await Get("/api/v1/ledgers/domains/living-environment", "auditor", 200)).Json;
        Assert.Equal("housing", domain.GetProperty("leadDepartmentId").GetString());
        Assert.Equal([id], domain.GetProperty("ledger").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("issueId").GetGuid()));
        Assert.Equal(1, domain.GetProperty("byTown").GetProperty("qicun").GetProperty("inLedger").GetInt32());
        Assert.DoesNotContain(other, domain.GetProperty("ledger").GetProperty("items").EnumerateArray().Select(i => i.GetProperty("issueId").GetGuid()));
        await Get("/api/v1/ledgers/departments/nowhere", "auditor", 404);
    }

    [Fact]
    public async Task Search_combines_filters_finds_chinese_text_and_pages()
    {
        var lamp = await Collect(b => { b["description"] = "村口路灯坏了一个月"; b["collectedAt"] = June1.ToString("O"); });
        var road = await Collect(b => { b["description"] = "道路积水严重"; b["categoryId"] = "infrastructure"; b["collectedAt"] = June1.AddDays(3).ToString("O"); });
        var elsewhere = await Collect(b => { b["description"] = "路灯不亮"; b["townId"] = "mengzhuang"; b.Remove("communityId"); b["collectedAt"] = June1.AddDays(5).ToString("O"); }, "admin");
        await Act(road, "assign", new { version = 1, unitId = "qicun-economy", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office");

        Guid[] Ids(Reply r) => Items(r).Select(i => i.GetProperty("issueId").GetGuid()).ToArray();
        Assert.Equal([lamp, elsewhere], Ids(await Get("/api/v1/issues?q=路灯", "auditor", 200)));
        Assert.Equal([lamp], Ids(await Get("/api/v1/issues?q=路灯&townId=qicun", "auditor", 200)));
        Assert.Equal([road], Ids(await Get("/api/v1/issues?status=assigned&unitId=qicun-economy", "auditor", 200)));
        Assert.Equal([road], Ids(await Get("/api/v1/issues?categoryId=infrastructure", "auditor", 200)));
        Assert.Equal([road, elsewhere], Ids(await Get("/api/v1/issues?from=2022-06-02&to=2022-06-30", "auditor", 200)));
        Assert.Empty(Ids(await Get("/api/v1/issues?overdue=true", "auditor", 200)));

        var paged = await Get("/api/v1/issues?pageSize=2&page=2", "auditor", 200);
        Assert.Equal(3, paged.Json.GetProperty("total").GetInt32());
        Assert.Equal([elsewhere], Ids(paged));

        // The route as the issue writes it: a parameter with no value is no filter, whichever it is.
        var blank = await Get("/api/v1/issues?townId=&unitId=&status=&categoryId=&overdue=&from=&to=&q=&page=&pageSize=&format=&part=", "auditor", 200);
        Assert.Equal([lamp, road, elsewhere], Ids(blank));
        Assert.Equal([lamp], Ids(await Get("/api/v1/issues?q=路灯&townId=qicun&status=&from=&overdue=", "auditor", 200)));

        var bad = await Get("/api/v1/issues?status=lost&from=2022-13-01&overdue=maybe&townId=atlantis&pageSize=0", "auditor", 400);
        Assert.Equal(["from", "overdue", "pageSize", "status", "townId"], bad.ErrorFields.Order());
    }

    [Fact]
    public async Task A_parameter_with_no_value_is_no_filter_on_every_ledger_and_statistics_route()
    {
        await Collect(b => b["collectedAt"] = June1.ToString("O"));
        string[] urls =
        [
            "/api/v1/ledgers/towns/qicun?page=&pageSize=&format=&part=", "/api/v1/ledgers/towns/qicun/2022-06-01?format=&part=",
            "/api/v1/ledgers/departments/housing?page=&pageSize=&format=", "/api/v1/ledgers/domains/living-environment?page=&format=&part=",
            "/api/v1/ledgers/visitors/visitor-017/2022-06-01?format=&part=", "/api/v1/coverage?townId=",
            "/api/v1/statistics?asOf=&townId=&departmentId=&categoryId=&format=", "/api/v1/statistics/rankings?asOf=&format=&part=",
            "/api/v1/reports/bulletin?asOf=&format="
        ];
        foreach (var url in urls) await Get(url, "auditor", 200);

        var all = (await Get("/api/v1/statistics?asOf=2022-06-02", "auditor", 200)).Text;
        Assert.Equal(all, (await Get("/api/v1/statistics?asOf=2022-06-02&townId=&departmentId=&categoryId=", "auditor", 200)).Text);
        Assert.Equal(1, (await Get("/api/v1/ledgers/towns/qicun?page=&pageSize=", "auditor", 200)).Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_wechat_group_counts_its_posts_the_issues_raised_in_it_and_those_settled_there()
    {
        var created = await Post("/api/v1/wechat-groups", new { townId = "qicun", communityId = "qicun-qicun", name = "齐村社情民意群", members = 312 }, "qicun-office", 201);
        var groupId = created.Json.GetProperty("id").GetGuid();
        await Post($"/api/v1/wechat-groups/{groupId}/posts", new { posts = 3, title = "医保缴费提醒" }, "qicun-office", 200);
        await Post($"/api/v1/wechat-groups/{groupId}/posts", new { }, "qicun-office", 200);
        var settled = await Collect(b => { b["channel"] = "wechat-group"; b["wechatGroupId"] = groupId.ToString(); });
        await Act(settled, "resolve-on-spot", new { version = 1, outcome = "群内答复解决" }, "qicun-office");
        await Collect(b => { b["channel"] = "wechat-group"; b["wechatGroupId"] = groupId.ToString(); });

        var group = Assert.Single((await Get("/api/v1/wechat-groups?townId=qicun", "auditor", 200)).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(4, group.GetProperty("posts").GetInt32());
        Assert.Equal(2, group.GetProperty("issuesRaised").GetInt32());
        Assert.Equal(1, group.GetProperty("resolvedInGroup").GetInt32());

        // The town's ledger counts the group's settlement apart from those at visits, as the statistics do.
        var onSpot = await Collect();
        await Act(onSpot, "resolve-on-spot", new { version = 1, outcome = "当场解决" }, "qicun-visitor");
        var totals = (await Get("/api/v1/ledgers/towns/qicun", "auditor", 200)).Json.GetProperty("totals");
        Assert.Equal((1, 1, 1), (totals.GetProperty("resolvedOnSpot").GetInt32(), totals.GetProperty("resolvedInGroups").GetInt32(),
            totals.GetProperty("inLedger").GetInt32()));

        var unknownTown = await Get("/api/v1/wechat-groups?townId=atlantis", "auditor", 400);
        Assert.Equal(["townId"], unknownTown.ErrorFields);
        Assert.Equal(["townId"], (await Get("/api/v1/coverage?townId=atlantis", "auditor", 400)).ErrorFields);
        Assert.Single((await Get("/api/v1/wechat-groups?townId=&format=&page=&pageSize=", "auditor", 200)).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(["format"], (await Get("/api/v1/wechat-groups?format=csv", "auditor", 400)).ErrorFields);
        Assert.Equal(["format"], (await Get("/api/v1/coverage?format=xlsx", "auditor", 400)).ErrorFields);

        var wrongChannel = await Post("/api/v1/issues", NewIssue(b => b["wechatGroupId"] = groupId.ToString()), "admin", 400);
        Assert.Equal(["wechatGroupId"], wrongChannel.ErrorFields);
        await Post($"/api/v1/wechat-groups/{Guid.NewGuid()}/posts", new { }, "admin", 404);
    }

    [Fact]
    public async Task The_wechat_group_list_pages_like_every_other_list()
    {
        var ids = new List<Guid>();
        for (var g = 1; g <= 5; g++)
        {
            var created = await Post("/api/v1/wechat-groups", new { townId = "qicun", communityId = "qicun-qicun", name = $"齐村群{g}", members = g,
                occurredAt = June1.AddHours(g).ToString("O") }, "qicun-office", 201);
            ids.Add(created.Json.GetProperty("id").GetGuid());
        }
        var raised = await Collect(b => { b["channel"] = "wechat-group"; b["wechatGroupId"] = ids[3].ToString(); });
        await Act(raised, "resolve-on-spot", new { version = 1, outcome = "群内答复解决" }, "qicun-office");

        var second = (await Get("/api/v1/wechat-groups?townId=qicun&page=2&pageSize=2", "auditor", 200)).Json;
        Assert.Equal((2, 2, 5), (second.GetProperty("page").GetInt32(), second.GetProperty("pageSize").GetInt32(), second.GetProperty("total").GetInt32()));
        Assert.Equal(ids[2..4], second.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("id").GetGuid()));
        Assert.Equal([0, 1], second.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("resolvedInGroup").GetInt32()));
        var last = (await Get("/api/v1/wechat-groups?page=3&pageSize=2", "auditor", 200)).Json;
        Assert.Equal([ids[4]], last.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("id").GetGuid()));
        Assert.Equal(50, (await Get("/api/v1/wechat-groups", "auditor", 200)).Json.GetProperty("pageSize").GetInt32());
        Assert.Equal(["page", "pageSize"], (await Get("/api/v1/wechat-groups?page=0&pageSize=201", "auditor", 400)).ErrorFields.Order());
    }

    [Fact]
    public async Task Rebuilding_every_projection_from_the_events_gives_identical_ledgers()
    {
        var issue = await Collect(b => b["collectedAt"] = June1.ToString("O"));
        await Act(issue, "assign", new { version = 1, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office");
        await Visit("0001", June1, issueIds: [issue]);
        await Visit("0001", June1.AddHours(1));
        await WaitForLedgers();
        string[] urls =
        [
            "/api/v1/ledgers/towns/qicun/2022-06-01", "/api/v1/ledgers/towns/qicun", "/api/v1/ledgers/visitors/visitor-017/2022-06-01",
            "/api/v1/coverage?townId=qicun", "/api/v1/issues?townId=qicun", $"/api/v1/issues/{issue}"
        ];
        var before = new List<string>();
        foreach (var url in urls) before.Add((await Get(url, "auditor", 200)).Text);

        // Throw the read models away first, so that only a replay of the events can bring them back.
        await using (var session = Store.LightweightSession())
        {
            session.DeleteWhere<Rectify.Ledgers.IssueSummary>(_ => true);
            session.DeleteWhere<Rectify.Ledgers.VisitorDay>(_ => true);
            session.DeleteWhere<Rectify.Visits.Coverage.VisitedHousehold>(_ => true);
            await session.SaveChangesAsync();
        }
        Assert.Equal(0, (await Get("/api/v1/ledgers/towns/qicun", "auditor", 200)).Json.GetProperty("total").GetInt32());

        using var daemon = await Store.BuildProjectionDaemonAsync();
        foreach (var projection in new[] { "Issue", "IssueSummary", "VisitorDay", "VisitedHousehold", "WechatGroup" })
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(5), CancellationToken.None);

        for (var i = 0; i < urls.Length; i++) Assert.Equal(before[i], (await Get(urls[i], "auditor", 200)).Text);
    }
}

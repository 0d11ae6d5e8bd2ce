using System.Text;
using System.Text.Json;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rectify.Identity;
using Rectify.ReferenceData;
using Rectify.Tests.Support;

namespace Rectify.Tests.ReferenceData;

/// <summary>Reference data changed by admins on the running host: effective from its day, without a restart, with a history.</summary>
public sealed class ReferenceDataApiTests(AppFixture app) : ApiTest(app)
{
    private static string Day(DateTimeOffset now, int days = 0) =>
        Rectify.Calendar.WorkingCalendar.ShanghaiDate(now).AddDays(days).ToString("yyyy-MM-dd");

    private string Today(int days = 0) => Day(App.Clock.GetUtcNow(), days);

    private async Task<string> AssignByRule(Guid id) =>
        (await Post($"/api/v1/issues/{id}/assign", new { version = 1, measures = "清理", responsibleOffice = "执法办", responsiblePerson = "赵强" }, "qicun-office", 200))
        .Json.GetProperty("unitId").GetString()!;

    [Fact]
    public async Task A_district_wide_rule_added_today_routes_from_today_on_and_earlier_routings_keep_their_unit()
    {
        var before = await Collect();
        Assert.Equal("qicun-enforcement", await AssignByRule(before));

        var added = await Post("/api/v1/routing-rules", new { categoryId = "living-environment", officeKind = "governance", reason = "督导办：居住环境问题改由综治中心牵头" }, "admin", 201);
        var ruleId = added.Json.GetProperty("rule").GetProperty("id").GetString()!;

        var after = await Collect();
        Assert.Equal("qicun-governance", await AssignByRule(after));
        Assert.Equal("qicun-enforcement", (await Get($"/api/v1/issues/{before}", "admin", 200)).Json.GetProperty("unitId").GetString());

        var inEffect = (await Get($"/api/v1/routing-rules?asOf={Today()}", null, 200)).Json.EnumerateArray()
            .Where(r => r.GetProperty("categoryId").GetString() == "living-environment").Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains(ruleId, inEffect);
        var history = (await Get($"/api/v1/routing-rules/{ruleId}/history", "auditor", 200)).Json.EnumerateArray().Single();
        Assert.Equal("routing-rule-added", history.GetProperty("type").GetString());
        Assert.Equal("admin", history.GetProperty("actor").GetProperty("clientName").GetString());
        Assert.StartsWith("督导办", history.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_rule_change_is_a_new_version_from_its_day_and_a_stale_version_is_409()
    {
        const string rule = "living-environment-2022-05-27";
        var changed = await Post($"/api/v1/routing-rules/{rule}/change",
            new { version = 1, officeKind = "enforcement", departmentId = "urban-management", effectiveFrom = Today(1), reason = "改由综合执法局承办" }, "admin", 200);

        var versions = changed.Json.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([1, 2], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(Today(1), versions[0].GetProperty("effectiveTo").GetString());
        await Post($"/api/v1/routing-rules/{rule}/change", new { version = 1, officeKind = "enforcement", effectiveFrom = Today(2), reason = "再改" }, "admin", 409);
        await Post($"/api/v1/routing-rules/{rule}/end", new { version = 2, effectiveFrom = Today(5), reason = "停用" }, "admin", 200);
        await Post($"/api/v1/routing-rules/{rule}/change", new { version = 2, officeKind = "enforcement", effectiveFrom = Today(9), reason = "再改" }, "admin", 409);

        // Escalations today still go to housing; the escalation route picks by the day of the act.
        var id = await Collect();
        var escalated = await Post($"/api/v1/issues/{id}/escalate", new { version = 1, reason = "镇级无法解决" }, "qicun-office", 200);
        Assert.Equal("housing", escalated.Json.GetProperty("unitId").GetString());
    }

    [Fact]
    public async Task Writes_are_for_admins_bad_fields_are_named_unknown_ids_are_404_and_conflicts_409()
    {
        var count = await ReferenceDataEventCount();
        await Post("/api/v1/routing-rules", new { categoryId = "other", officeKind = "governance", reason = "x" }, "supervisor", 403);
        var bad = await Post("/api/v1/routing-rules", new { townId = 7, effectiveFrom = Today(-1), ruleId = "Not An Id" }, "admin", 400);
        Assert.Equal(["categoryId", "effectiveFrom", "reason", "ruleId", "townId"], bad.ErrorFields.Order());
        var unknown = await Post("/api/v1/routing-rules", new { categoryId = "weather", townId = "atlantis", departmentId = "nope", reason = "x" }, "admin", 400);
        Assert.Equal(["categoryId", "departmentId", "townId"], unknown.ErrorFields.Order());
        await Post("/api/v1/routing-rules/nope/change", new { version = 1, officeKind = "governance", reason = "x" }, "admin", 404);
        await Post("/api/v1/units/nope/rename", new { name = "x", reason = "x" }, "admin", 404);
        await Post("/api/v1/towns/atlantis/offices", new { id = "atlantis-water", name = "水务站", kind = "water", reason = "x" }, "admin", 404);
        await Post("/api/v1/grids/nope/households", new { households = 3, reason = "x" }, "admin", 404);
        await Post("/api/v1/departments", new { id = "housing", name = "重复", reason = "x" }, "admin", 409);
        var end = await Post("/api/v1/units/housing/end", new { reason = "机构改革" }, "admin", 409);
        Assert.Contains("living-environment-2022-05-27", end.Json.GetProperty("detail").GetString());
        await Post("/api/v1/grids/qicun-qicun-g01/households", new { households = 3, register = Array.Empty<object>(), reason = "x" }, "admin", 400);
        Assert.Equal(count, await ReferenceDataEventCount());
    }

    [Fact]
    public async Task A_rename_dated_tomorrow_shows_tomorrow_and_the_history_says_who_and_why()
    {
        await Post("/api/v1/units/civil-affairs/rename", new { name = "区民政局（更名）", effectiveFrom = Today(1), reason = "机构改革" }, "admin", 200);

        static string? Name(Reply r) => r.Json.EnumerateArray().Single(d => d.GetProperty("id").GetString() == "civil-affairs").GetProperty("name").GetString();
        Assert.Equal("区民政局", Name(await Get("/api/v1/departments", null, 200)));
        Assert.Equal("区民政局（更名）", Name(await Get($"/api/v1/departments?asOf={Today(1)}", null, 200)));
        await Get("/api/v1/departments?asOf=tomorrow", null, 400);

        var history = (await Get("/api/v1/units/civil-affairs/history", "admin", 200)).Json.EnumerateArray().ToList();
        Assert.Equal(["reference-data-imported", "unit-renamed"], history.Select(h => h.GetProperty("type").GetString()));
        Assert.Equal("机构改革", history[1].GetProperty("reason").GetString());
        Assert.Equal(Today(1), history[1].GetProperty("effectiveFrom").GetString());
        await Get("/api/v1/units/nope/history", "admin", 404);
    }

    [Fact]
    public async Task A_new_office_community_and_grid_are_usable_at_once()
    {
        await Post("/api/v1/towns/qicun/offices", new { id = "qicun-water", name = "齐村镇水务站", kind = "water", reason = "新设" }, "admin", 201);
        await Post("/api/v1/routing-rules", new { categoryId = "infrastructure", townId = "qicun", officeKind = "water", reason = "供水问题归水务站" }, "admin", 201);
        await Post("/api/v1/towns/qicun/communities", new { id = "qicun-xincun", name = "新村", reason = "村居调整" }, "admin", 201);
        var grid = await Post("/api/v1/communities/qicun-xincun/grids", new { id = "qicun-xincun-g01", name = "第1网格", households = 40, reason = "划分网格" }, "admin", 201);
        Assert.Equal(40, grid.Json.GetProperty("households").GetInt32());

        var id = await Collect(b => b["categoryId"] = "infrastructure");
        Assert.Equal("qicun-water", await AssignByRule(id));
        var town = (await Get("/api/v1/towns", null, 200)).Json.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "qicun");
        Assert.Contains(town.GetProperty("communities").EnumerateArray(), c => c.GetProperty("id").GetString() == "qicun-xincun");
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-xincun-g01", householdId = "0040", visitorId = "v-1" }, "qicun-visitor", 201);
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-xincun-g01", householdId = "0041", visitorId = "v-1" }, "qicun-visitor", 400);
        // The grid did not exist yesterday: a visit back-dated to then names no household of any register.
        var backDated = await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-xincun-g01", householdId = "0040", visitorId = "v-1",
            occurredAt = App.Clock.GetUtcNow().AddDays(-1) }, "qicun-visitor", 400);
        Assert.Equal(["gridId"], backDated.ErrorFields);
    }

    [Fact]
    public async Task Visits_name_a_household_of_the_register_or_by_setting_register_it_on_the_spot()
    {
        var unknown = await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "9-9-909", visitorId = "v-1" }, "qicun-visitor", 400);
        Assert.Equal(["householdId"], unknown.ErrorFields);

        var settings = Host.Services.GetRequiredService<IOptions<ReferenceDataOptions>>().Value;
        settings.RegisterUnknownHouseholds = true;
        try
        {
            var visit = await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "9-9-909", visitorId = "v-1" }, "qicun-visitor", 201);
            Assert.True(visit.Json.GetProperty("registeredOnSpot").GetBoolean());
        }
        finally
        {
            settings.RegisterUnknownHouseholds = false;
        }

        // Registered now: the next visit needs no setting, and the register says how the household came in.
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "9-9-909", visitorId = "v-1" }, "qicun-visitor", 201);
        var register = (await Get("/api/v1/grids/qicun-qicun-g01/households?pageSize=1000&page=1", "admin", 200)).Json;
        var total = register.GetProperty("total").GetInt32();
        var last = (await Get($"/api/v1/grids/qicun-qicun-g01/households?pageSize=1&page={total}", "admin", 200)).Json.GetProperty("items")[0];
        Assert.Equal("9-9-909", last.GetProperty("householdId").GetString());
        Assert.True(last.GetProperty("registeredOnSpot").GetBoolean());
        var history = (await Get("/api/v1/grids/qicun-qicun-g01/history", "admin", 200)).Json.EnumerateArray().Last();
        Assert.Equal("household-registered-on-spot", history.GetProperty("type").GetString());
        await using var session = Store.QuerySession();
        var marks = await session.QueryAsync<string>(
            "select coalesce(data ->> 'registeredOnSpot', 'null') from rectify.mt_events where type = 'household_visited.v1' order by seq_id");
        Assert.Equal(["true", "null"], marks);
    }

    [Fact]
    public async Task A_register_imported_from_csv_replaces_the_count_and_coverage_never_exceeds_100_percent()
    {
        foreach (var household in new[] { "0001", "0002", "0003" })
            await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = household, visitorId = "v-1" }, "qicun-visitor", 201);

        const string csv = "householdId,address\n0001,齐村 1 号\n3-1-101,\"齐村 3 号楼, 1 单元 101\"\n";
        var imported = await Host.Scenario(s =>
        {
            s.Post.Text(csv).ToUrl("/api/v1/grids/qicun-qicun-g01/households/import").QueryString("reason", "2026 年住户名册");
            s.WithRequestHeader("Content-Type", "text/csv");
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys["admin"]}");
            s.IgnoreStatusCode();
        });
        var importedText = await imported.ReadAsTextAsync();
        Assert.True(imported.Context.Response.StatusCode == 200, importedText);
        Assert.Equal(2, JsonDocument.Parse(importedText).RootElement.GetProperty("households").GetInt32());

        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var coverage = (await Get("/api/v1/coverage?townId=qicun", "admin", 200)).Json;
        var grid = coverage.GetProperty("towns")[0].GetProperty("communities").EnumerateArray().SelectMany(c => c.GetProperty("grids").EnumerateArray())
            .Single(g => g.GetProperty("gridId").GetString() == "qicun-qicun-g01");
        Assert.Equal(2, grid.GetProperty("households").GetInt32());
        Assert.Equal(1, grid.GetProperty("visited").GetInt32());
        Assert.Equal(50m, grid.GetProperty("rate").GetDecimal());
        Assert.True(coverage.GetProperty("rate").GetDecimal() <= 100m);

        // The figures as they would have been served (knownAt) count registered households too, never past 100%.
        var knownAt = Uri.EscapeDataString(App.Clock.GetUtcNow().AddMinutes(1).ToString("O"));
        foreach (var url in new[] { "/api/v1/statistics?townId=qicun", $"/api/v1/statistics?townId=qicun&knownAt={knownAt}" })
        {
            var figures = (await Get(url, "admin", 200)).Json;
            Assert.Equal(1, figures.GetProperty("householdsVisited").GetInt32());
            Assert.True(figures.GetProperty("coverageRate").GetDecimal() <= 100m);
        }

        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0002", visitorId = "v-1" }, "qicun-visitor", 400);
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "3-1-101", visitorId = "v-1" }, "qicun-visitor", 201);
        var page = (await Get("/api/v1/grids/qicun-qicun-g01/households", "admin", 200)).Json.GetProperty("items");
        Assert.Equal("齐村 3 号楼, 1 单元 101", page[1].GetProperty("address").GetString());
    }

    [Fact]
    public async Task A_register_imported_from_xlsx_and_a_bad_file_is_400_naming_the_line()
    {
        using var xlsx = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(xlsx, new[] { new { 户号 = "1-1-101", 地址 = "一号楼" }, new { 户号 = "1-1-102", 地址 = "一号楼" } });
        var imported = await Host.Scenario(s =>
        {
            s.Post.ByteArray(xlsx.ToArray()).ToUrl("/api/v1/grids/qicun-qicun-g02/households/import").QueryString("reason", "import").QueryString("effectiveFrom", Today(1));
            s.WithRequestHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys["admin"]}");
            s.StatusCodeShouldBe(200);
        });
        Assert.Equal(2, JsonDocument.Parse(await imported.ReadAsTextAsync()).RootElement.GetProperty("households").GetInt32());
        Assert.Equal(2, (await Get($"/api/v1/grids/qicun-qicun-g02/households?asOf={Today(1)}", "admin", 200)).Json.GetProperty("total").GetInt32());
        Assert.NotEqual(2, (await Get("/api/v1/grids/qicun-qicun-g02/households", "admin", 200)).Json.GetProperty("total").GetInt32());

        var bad = await Host.Scenario(s =>
        {
            s.Post.Text("householdId\n1-1\n1-1\n").ToUrl("/api/v1/grids/qicun-qicun-g02/households/import").QueryString("reason", "import");
            s.WithRequestHeader("Content-Type", "text/csv");
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys["admin"]}");
            s.StatusCodeShouldBe(400);
        });
        var problem = JsonDocument.Parse(await bad.ReadAsTextAsync()).RootElement.GetProperty("errors").GetProperty("body")[0].GetString();
        Assert.Equal("line 3: householdId '1-1' appears twice.", problem);
        var noReason = await Post("/api/v1/grids/qicun-qicun-g02/households/import", "householdId\n1-1\n", "admin", 400);
        Assert.Contains("reason", noReason.ErrorFields);
    }

    [Fact]
    public async Task A_change_written_by_another_node_reaches_this_one_without_a_restart()
    {
        // Another node writes straight to the shared database; this node's cache notices on its next look.
        await using (var session = Store.LightweightSession())
        {
            session.Events.Append(ReferenceDataStream.Id, new UnitRenamed("health", "区卫健局（他节点）", null, DateOnly.MinValue, "另一节点",
                new Actor("admin", Role.Admin, null, null), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }

        string? name = null;
        // A generous limit: a loaded machine may take long to look again, but a node that never notices fails.
        var until = DateTime.UtcNow.AddMinutes(3);
        for (var i = 0; DateTime.UtcNow < until && name != "区卫健局（他节点）"; i++)
        {
            if (i > 0) await Task.Delay(500);
            name = (await Get("/api/v1/departments", null, 200)).Json.EnumerateArray()
                .Single(d => d.GetProperty("id").GetString() == "health").GetProperty("name").GetString();
        }
        Assert.Equal("区卫健局（他节点）", name);
    }

    [Fact]
    public async Task The_shipped_file_is_imported_once()
    {
        var cache = Host.Services.GetRequiredService<ReferenceDataCache>();
        await cache.RefreshAsync(CancellationToken.None);
        await cache.RefreshAsync(CancellationToken.None);

        await using var session = Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(ReferenceDataStream.Id);
        Assert.IsType<ReferenceDataImported>(Assert.Single(events).Data);
        var towns = (await Get("/api/v1/towns", null, 200)).Json.EnumerateArray();
        Assert.Equal(186_276, towns.Sum(t => t.GetProperty("households").GetInt32()));
    }

    [Fact]
    public async Task The_api_document_states_the_answers_of_the_reference_data_routes()
    {
        var paths = (await Get("/openapi/v1.json", null, 200)).Json.GetProperty("paths");
        string[] Answers(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(p => p.Name).Order().ToArray();

        // 422: the same Idempotency-Key sent with another body (docs/errors.md).
        Assert.Equal(["201", "400", "401", "403", "404", "409", "413", "414", "422", "429", "503"], Answers("/api/v1/routing-rules", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "409", "413", "414", "422", "429", "503"], Answers("/api/v1/routing-rules/{ruleId}/change", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "409", "413", "414", "422", "429", "503"], Answers("/api/v1/grids/{gridId}/households/import", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "414", "429", "503"], Answers("/api/v1/grids/{gridId}/households", "get"));
        Assert.DoesNotContain("401", Answers("/api/v1/routing-rules", "get"));
    }

    private async Task<int> ReferenceDataEventCount()
    {
        await using var session = Store.QuerySession();
        return (await session.QueryAsync<int>("select count(*)::int from rectify.mt_events where stream_id = ?", ReferenceDataStream.Id)).Single();
    }
}

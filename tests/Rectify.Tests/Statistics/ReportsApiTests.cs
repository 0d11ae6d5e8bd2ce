using System.Text;
using Marten;
using Marten.Events;
using MiniExcelLibs;
using Rectify.Querying;
using Rectify.Seeding;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;

namespace Rectify.Tests.Statistics;

/// <summary>Exports with Chinese headers (read back), the bulletin, rankings, and statistics as of a moment.</summary>
public sealed class ReportsApiTests(AppFixture app) : ApiTest(app)
{
    private async Task Seed()
    {
        await CampaignSeeder.AppendAsync(Store, new CampaignPlan(3, 0.01, Given.References, Given.Calendar), _ => { }, CancellationToken.None);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
    }

    private async Task<byte[]> Download(string url, string expectedContentType)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys["auditor"]}");
            s.StatusCodeShouldBe(200);
            s.Header("Content-Type").SingleValueShouldEqual(expectedContentType);
        });
        using var memory = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(memory);
        return memory.ToArray();
    }

    [Fact]
    public async Task A_town_ledger_exported_as_xlsx_reads_back_with_chinese_headers_and_every_row()
    {
        await Seed();
        var json = (await Get("/api/v1/ledgers/towns/qicun?pageSize=1", "auditor", 200)).Json;

        var bytes = await Download("/api/v1/ledgers/towns/qicun?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");

        var rows = MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(json.GetProperty("total").GetInt32(), rows.Count);
        Assert.Contains("问题描述", rows[0].Keys);
        Assert.Contains("办理状态", rows[0].Keys);
        Assert.Equal(json.GetProperty("items")[0].GetProperty("issueId").GetString(), rows[0]["问题编号"]?.ToString());
        Assert.Equal("齐村镇", rows.Select(r => r["镇街"]?.ToString()).Distinct().Single());
        Assert.Equal("qicun", rows.Select(r => r["镇街编码"]?.ToString()).Distinct().Single());
    }

    [Fact]
    public async Task Search_and_statistics_export_as_csv_with_a_byte_order_mark()
    {
        await Seed();

        var search = await Download("/api/v1/issues?townId=qicun&format=csv", "text/csv; charset=utf-8");
        var statistics = await Download("/api/v1/statistics?asOf=2022-07-31&format=csv", "text/csv; charset=utf-8");

        Assert.Equal(Encoding.UTF8.GetPreamble(), search[..3]);
        var lines = Encoding.UTF8.GetString(search[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("问题编号,收集时间,镇街", lines[0]);
        Assert.Equal((await Get("/api/v1/issues?townId=qicun", "auditor", 200)).Json.GetProperty("total").GetInt32(), lines.Length - 1);
        var figures = Encoding.UTF8.GetString(statistics[3..]);
        Assert.Contains($"台账问题诉求(个),{PublishedFigures.Campaign.Scaled(0.01).Ledger}", figures);
        Assert.Equal(["format"], (await Get("/api/v1/statistics?format=pdf", "auditor", 400)).ErrorFields);
        var workbook = await Download("/api/v1/statistics?asOf=2022-07-31&format=xlsx", Exports.XlsxType);
        Assert.Equal(["统计"], MiniExcel.GetSheetNames(new MemoryStream(workbook)));
    }

    [Fact]
    public async Task The_bulletin_prints_the_headline_figures_as_a_newspaper_would()
    {
        await Seed();
        var target = PublishedFigures.Campaign.Scaled(0.01);

        var bulletin = (await Get("/api/v1/reports/bulletin?asOf=2022-07-31", "auditor", 200)).Text;

        Assert.Contains("截至2022年7月31日", bulletin);
        Assert.Contains($"入户走访{target.HouseholdsVisited}户", bulletin);
        Assert.Contains($"收集问题诉求{target.Ledger}个，已办结{target.Closed}个", bulletin);
        Assert.Contains($"正在协调解决{target.InProgress}个，另有当场协调解决问题{target.ResolvedOnSpot}个", bulletin);
        Assert.Contains("| 排名 | 镇街 |", bulletin);
    }

    [Fact]
    public async Task Towns_and_departments_are_ranked_by_the_three_rates()
    {
        await Seed();

        var rankings = (await Get("/api/v1/statistics/rankings?asOf=2022-07-31", "auditor", 200)).Json;

        var towns = rankings.GetProperty("towns").EnumerateArray().ToList();
        Assert.Equal(11, towns.Count);
        var rates = towns.Select(t => t.GetProperty("resolutionRate").ValueKind == System.Text.Json.JsonValueKind.Null ? -1m : t.GetProperty("resolutionRate").GetDecimal()).ToList();
        Assert.Equal(rates.OrderByDescending(r => r), rates);
        Assert.Equal(1, towns[0].GetProperty("resolutionRank").GetInt32());
        Assert.NotEmpty(rankings.GetProperty("departments").EnumerateArray());
    }

    [Fact]
    public async Task Statistics_follow_the_domain_time_of_each_act()
    {
        var collectedAt = new DateTimeOffset(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var id = await Collect(b => b["collectedAt"] = collectedAt.ToString("O"));
        async Task Act(string command, object body, string client) => await Post($"/api/v1/issues/{id}/{command}", body, client, 200);
        await Act("assign", new { version = 1, measures = "m", responsibleOffice = "o", responsiblePerson = "p", occurredAt = "2022-06-01T10:00:00+08:00" }, "qicun-office");
        await Act("accept", new { version = 2, occurredAt = "2022-06-01T11:00:00+08:00" }, "qicun-office");
        await Act("resolve", new { version = 3, outcome = "o", occurredAt = "2022-06-02T11:00:00+08:00" }, "qicun-office");
        await Act("feedback", new { version = 4, satisfaction = "basically-satisfied", occurredAt = "2022-06-03T11:00:00+08:00" }, "qicun-visitor");
        await Act("close", new { version = 5, occurredAt = "2022-06-03T12:00:00+08:00" }, "qicun-leader");

        async Task<System.Text.Json.JsonElement> At(string asOf) => (await Get($"/api/v1/statistics?asOf={Uri.EscapeDataString(asOf)}&townId=qicun", "auditor", 200)).Json;
        var before = await At("2022-05-31");
        var open = await At("2022-06-02T12:00:00+08:00");
        var closed = await At("2022-06-03");

        Assert.Equal(0, before.GetProperty("ledger").GetInt32());
        Assert.Equal(1, open.GetProperty("inProgress").GetInt32());
        Assert.Equal(100m, open.GetProperty("onTimeRate").GetDecimal());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, open.GetProperty("satisfactionRate").ValueKind);
        Assert.Equal(1, closed.GetProperty("closed").GetInt32());
        Assert.Equal(100m, closed.GetProperty("resolutionRate").GetDecimal());
        Assert.Equal(100m, closed.GetProperty("satisfactionRate").GetDecimal());
        await Get("/api/v1/statistics?asOf=yesterday", "auditor", 400);
    }

    [Theory]
    [InlineData("2022-07-31", 200)]
    [InlineData("2022-07-31T18:00:00+08:00", 200)]
    [InlineData("2022-07-31T18:00+08:00", 200)]
    [InlineData("2022-07-31T10:00:00.5Z", 200)]
    [InlineData("1/2/2022 +08:00", 400)]
    [InlineData("2022-07-31 18:00:00+08:00", 400)]
    [InlineData("2022-07-31T18:00:00", 400)]
    [InlineData("31 Jul 2022 18:00 +08:00", 400)]
    [InlineData("2022-7-31", 400)]
    public async Task AsOf_is_iso_8601_only(string asOf, int expected)
    {
        var reply = await Get($"/api/v1/statistics?asOf={Uri.EscapeDataString(asOf)}", "auditor", expected);
        if (expected == 400) Assert.Equal(["asOf"], reply.ErrorFields);
        await Get($"/api/v1/statistics/rankings?asOf={Uri.EscapeDataString(asOf)}", "auditor", expected);
    }

    [Fact]
    public async Task Visits_and_group_figures_stand_as_at_the_moment_even_inside_a_day()
    {
        async Task Visit(string household, string at, int leaflets) => await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01",
            householdId = household, visitorId = "visitor-9", leaflets, occurredAt = at }, "qicun-visitor", 201);
        await Visit("0001", "2022-06-01T16:00:00+08:00", 5); // the day before: counted whole
        await Visit("0002", "2022-06-02T09:00:00+08:00", 2);
        await Visit("0003", "2022-06-02T15:00:00+08:00", 7);
        var group = (await Post("/api/v1/wechat-groups", new { townId = "qicun", communityId = "qicun-qicun", name = "齐村群", members = 10,
            occurredAt = "2022-06-02T10:00:00+08:00" }, "qicun-office", 201)).Json.GetProperty("id").GetGuid();
        await Post($"/api/v1/wechat-groups/{group}/posts", new { posts = 4, occurredAt = "2022-06-02T16:00:00+08:00" }, "qicun-office", 200);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        async Task<int[]> At(string asOf)
        {
            var f = (await Get($"/api/v1/statistics?townId=qicun&asOf={Uri.EscapeDataString(asOf)}", "auditor", 200)).Json;
            return new[] { "visits", "leaflets", "wechatGroups", "policyPosts", "householdsVisited" }.Select(n => f.GetProperty(n).GetInt32()).ToArray();
        }
        Assert.Equal(new[] { 1, 5, 0, 0, 1 }, await At("2022-06-02T08:00:00+08:00"));
        Assert.Equal(new[] { 2, 7, 1, 0, 2 }, await At("2022-06-02T12:00:00+08:00"));
        Assert.Equal(new[] { 3, 14, 1, 0, 3 }, await At("2022-06-02T15:00:00+08:00"));
        Assert.Equal(new[] { 3, 14, 1, 4, 3 }, await At("2022-06-02"));
    }

    [Fact]
    public async Task A_department_is_judged_on_what_it_held_at_the_moment_asked_about()
    {
        var tz = TimeSpan.FromHours(8);
        var id = await Collect(b => b["collectedAt"] = new DateTimeOffset(2022, 6, 1, 9, 0, 0, tz).ToString("O"));
        async Task Act(string command, object body, string client) => await Post($"/api/v1/issues/{id}/{command}", body, client, 200);
        await Act("escalate", new { version = 1, departmentId = "housing", reason = "r", occurredAt = "2022-06-01T10:00:00+08:00" }, "qicun-office");
        await Act("request-reroute", new { version = 2, reason = "不属本局", occurredAt = "2022-06-01T11:00:00+08:00" }, "housing");
        await Act("reroute", new { version = 3, departmentId = "transport", occurredAt = "2022-06-10T09:00:00+08:00" }, "supervisor");

        Assert.Equal(0, (await Get("/api/v1/statistics?departmentId=housing&asOf=2022-05-31", "auditor", 200)).Json.GetProperty("ledger").GetInt32());
        Assert.Equal(1, (await Get("/api/v1/statistics?departmentId=housing&asOf=2022-06-05", "auditor", 200)).Json.GetProperty("ledger").GetInt32());
        Assert.Equal(0, (await Get("/api/v1/statistics?departmentId=transport&asOf=2022-06-05", "auditor", 200)).Json.GetProperty("ledger").GetInt32());

        var early = (await Get("/api/v1/statistics/rankings?asOf=2022-06-05", "auditor", 200)).Json.GetProperty("departments").EnumerateArray();
        var late = (await Get("/api/v1/statistics/rankings?asOf=2022-06-20", "auditor", 200)).Json.GetProperty("departments").EnumerateArray();
        Assert.Equal(["housing"], early.Select(d => d.GetProperty("id").GetString()));
        Assert.Equal(["transport"], late.Select(d => d.GetProperty("id").GetString()));

        // After the re-route the figures judge the holder, as the rankings do: the issue left housing's figures.
        Assert.Equal(0, (await Get("/api/v1/statistics?departmentId=housing&asOf=2022-06-20", "auditor", 200)).Json.GetProperty("ledger").GetInt32());
        Assert.Equal(1, (await Get("/api/v1/statistics?departmentId=transport&asOf=2022-06-20", "auditor", 200)).Json.GetProperty("ledger").GetInt32());
        Assert.Equal(1, late.Single().GetProperty("ledger").GetInt32());
    }

    [Fact]
    public async Task Text_a_spreadsheet_would_run_as_a_formula_is_exported_as_text()
    {
        const string formula = "=HYPERLINK(\"http://evil.example\",\"点我\")";
        await Collect(b => { b["description"] = formula; b["address"] = "+86 齐村 3 号"; b["visitorId"] = "@visitor"; });
        await Collect(b => b["description"] = "-1+1 路灯");

        var csv = Encoding.UTF8.GetString((await Download("/api/v1/ledgers/towns/qicun?format=csv", "text/csv; charset=utf-8"))[3..]);
        var workbook = await Download("/api/v1/ledgers/towns/qicun?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var xlsx = MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();

        Assert.Contains($",\"'{formula.Replace("\"", "\"\"")}\",", csv);
        Assert.Contains(",'+86 齐村 3 号,", csv);
        Assert.Contains(",'@visitor,", csv);
        Assert.Contains(",'-1+1 路灯,", csv);
        // A workbook holds the text as text cells: no formula element anywhere, and the text exactly as written.
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(workbook)))
            foreach (var part in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(part.Open());
                var xml = await reader.ReadToEndAsync();
                Assert.DoesNotMatch(@"<(\w+:)?f[ >]", xml);
            }
        Assert.Equal([formula, "-1+1 路灯"], xlsx.Select(r => r["问题描述"]?.ToString()));
        Assert.Equal("+86 齐村 3 号", xlsx[0]["地址"]?.ToString());
    }

    private static List<IDictionary<string, object>> Sheet(byte[] workbook, string name) =>
        MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object>>().ToList();

    private static string[] CsvLines(byte[] csv) => Encoding.UTF8.GetString(csv[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Every_ledger_exports_all_its_parts_a_sheet_each_with_places_by_name_and_the_assignment()
    {
        var june1 = new DateTimeOffset(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var routed = await Collect(b => { b["collectedAt"] = june1.ToString("O"); b["gridId"] = "qicun-qicun-g01"; });
        await Post($"/api/v1/issues/{routed}/assign", new { version = 1, measures = "更换路灯", responsibleOffice = "市政科", responsiblePerson = "张伟" }, "qicun-office", 200);
        var onSpot = await Collect(b => b["collectedAt"] = june1.AddHours(1).ToString("O"));
        await Post($"/api/v1/issues/{onSpot}/resolve-on-spot", new { version = 1, outcome = "当场解决", occurredAt = june1.AddHours(2).ToString("O") }, "qicun-visitor", 200);
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0007", visitorId = "visitor-017", leaflets = 2,
            occurredAt = june1.ToString("O"), issueIds = new[] { routed } }, "qicun-visitor", 201);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        var visitor = await Download("/api/v1/ledgers/visitors/visitor-017/2022-06-01?format=xlsx", Exports.XlsxType);
        Assert.Equal(["走访记录", "收集问题", "合计"], MiniExcel.GetSheetNames(new MemoryStream(visitor)));
        Assert.Equal([routed.ToString(), onSpot.ToString()], Sheet(visitor, "收集问题").Select(r => r["问题编号"]?.ToString()));
        var day = Assert.Single(Sheet(visitor, "合计"));
        Assert.Equal(("1", "2", "2"), (day["走访次数"]?.ToString(), day["发放彩页"]?.ToString(), day["收集问题"]?.ToString()));
        Assert.StartsWith("问题编号,收集时间,镇街", CsvLines(await Download("/api/v1/ledgers/visitors/visitor-017/2022-06-01?format=csv&part=issues", "text/csv; charset=utf-8"))[0]);

        var town = await Download("/api/v1/ledgers/towns/qicun/2022-06-01?format=xlsx", Exports.XlsxType);
        Assert.Equal(["问题台账", "合计"], MiniExcel.GetSheetNames(new MemoryStream(town)));
        var row = Sheet(town, "问题台账")[0];
        Assert.Equal(("齐村镇", "齐村", "第1网格", "qicun-qicun-g01"), (row["镇街"]?.ToString(), row["村居"]?.ToString(), row["网格"]?.ToString(), row["网格编码"]?.ToString()));
        Assert.Equal(("更换路灯", "市政科", "张伟"), (row["整改措施"]?.ToString(), row["责任科室"]?.ToString(), row["责任人"]?.ToString()));
        var totals = Assert.Single(Sheet(town, "合计"));
        Assert.Equal(("齐村镇 2022-06-01", "1", "1"), (totals["范围"]?.ToString(), totals["台账问题"]?.ToString(), totals["当场协调解决"]?.ToString()));
        var csvTotals = CsvLines(await Download("/api/v1/ledgers/towns/qicun/2022-06-01?format=csv&part=totals", "text/csv; charset=utf-8"));
        Assert.Equal(["范围,收集问题,台账问题,已办结,正在协调解决,当场协调解决,群内办结,超期", "齐村镇 2022-06-01,2,1,0,1,1,0,0"], csvTotals);

        var domain = await Download("/api/v1/ledgers/domains/living-environment?format=xlsx", Exports.XlsxType);
        var byTown = Sheet(domain, "合计").ToDictionary(r => r["范围"]!.ToString()!, r => r["台账问题"]?.ToString());
        Assert.Equal(12, byTown.Count);
        Assert.Equal(("1", "1", "0"), (byTown["居住环境 合计"], byTown["齐村镇"], byTown["孟庄镇"]));
        foreach (var url in new[] { "/api/v1/ledgers/towns/qicun", "/api/v1/issues?townId=qicun" })
            Assert.Equal(["问题台账", "合计"], MiniExcel.GetSheetNames(new MemoryStream(await Download($"{url}{(url.Contains('?') ? '&' : '?')}format=xlsx", Exports.XlsxType))));
        // A department's workbook also lists, apart, the issues it handed on.
        Assert.Equal(["问题台账", "合计", "曾办理已转出"], MiniExcel.GetSheetNames(new MemoryStream(await Download("/api/v1/ledgers/departments/housing?format=xlsx", Exports.XlsxType))));

        Assert.Equal(["part"], (await Get("/api/v1/ledgers/towns/qicun?format=csv&part=visits", "auditor", 400)).ErrorFields);
        Assert.Equal(["part"], (await Get("/api/v1/ledgers/towns/qicun?format=xlsx&part=totals", "auditor", 400)).ErrorFields);
        Assert.Equal(["format"], (await Get("/api/v1/ledgers/visitors/visitor-017/2022-06-01?format=pdf", "auditor", 400)).ErrorFields);
    }

    [Fact]
    public async Task Rankings_export_as_xlsx_and_csv_and_the_bulletin_as_html()
    {
        await Seed();
        var json = (await Get("/api/v1/statistics/rankings?asOf=2022-07-31", "auditor", 200)).Json;

        var workbook = await Download("/api/v1/statistics/rankings?asOf=2022-07-31&format=xlsx", Exports.XlsxType);
        Assert.Equal(["镇街考核", "部门考核"], MiniExcel.GetSheetNames(new MemoryStream(workbook)));
        Assert.Equal(json.GetProperty("towns").EnumerateArray().Select(t => t.GetProperty("name").GetString()), Sheet(workbook, "镇街考核").Select(r => r["名称"]?.ToString()));
        Assert.Equal(json.GetProperty("departments").GetArrayLength(), Sheet(workbook, "部门考核").Count);
        var csv = CsvLines(await Download("/api/v1/statistics/rankings?asOf=2022-07-31&format=csv&part=departments", "text/csv; charset=utf-8"));
        Assert.Equal("编码,名称,台账问题,已办结,按时办结率(%),办结率(%),群众满意率(%),按时办结率排名,办结率排名,群众满意率排名", csv[0]);
        Assert.Equal(json.GetProperty("departments").GetArrayLength() + 1, csv.Length);
        Assert.Equal(["format"], (await Get("/api/v1/statistics/rankings?format=csvx", "auditor", 400)).ErrorFields);

        var html = (await Get("/api/v1/reports/bulletin?asOf=2022-07-31&format=html", "auditor", 200,
            s => s.Header("Content-Type").SingleValueShouldEqual("text/html; charset=utf-8"))).Text;
        Assert.Contains("<h1>市中区联系服务群众入户走访活动情况通报</h1>", html);
        Assert.Contains($"<td>{json.GetProperty("towns")[0].GetProperty("name").GetString()}</td>", html);
        Assert.Equal(["format"], (await Get("/api/v1/reports/bulletin?format=pdf", "auditor", 400)).ErrorFields);
    }

    [Fact]
    public async Task An_empty_ledger_exports_its_header_row_and_a_visitors_day_exports_the_visits()
    {
        var empty = await Download("/api/v1/ledgers/towns/qicun/2022-01-01?format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var header = MiniExcel.Query(new MemoryStream(empty)).Cast<IDictionary<string, object>>().First();
        Assert.Contains("问题描述", header.Values.Select(v => v?.ToString()));

        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0007", visitorId = "visitor-9", leaflets = 3,
            occurredAt = "2022-06-01T10:00:00+08:00" }, "qicun-visitor", 201);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var csv = Encoding.UTF8.GetString((await Download("/api/v1/ledgers/visitors/visitor-9/2022-06-01?format=csv", "text/csv; charset=utf-8"))[3..]);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("走访时间,镇街,村居,网格,户号,是否有人在家,发放彩页,收集问题,镇街编码,村居编码,网格编码", lines[0]);
        Assert.Equal("2022-06-01 10:00,齐村镇,齐村,第1网格,0007,是,3,,qicun,qicun-qicun,qicun-qicun-g01", lines[1]);
    }
}

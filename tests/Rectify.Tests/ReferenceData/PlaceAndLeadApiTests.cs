using Rectify.Tests.Support;

namespace Rectify.Tests.ReferenceData;

/// <summary>Towns renamed, communities and grids renamed or ended, a category's lead moved: by admins, from a day on, with a history.</summary>
public sealed class PlaceAndLeadApiTests(AppFixture app) : ApiTest(app)
{
    private string Today(int days = 0) => Rectify.Calendar.WorkingCalendar.ShanghaiDate(App.Clock.GetUtcNow()).AddDays(days).ToString("yyyy-MM-dd");

    private static string? TownName(Reply r, string id) =>
        r.Json.EnumerateArray().Single(t => t.GetProperty("id").GetString() == id).GetProperty("name").GetString();

    [Fact]
    public async Task A_town_renamed_from_tomorrow_keeps_its_id_and_today_keeps_its_old_name()
    {
        await Post("/api/v1/towns/qicun/rename", new { name = "齐村街道", reason = "撤镇设街道", effectiveFrom = Today(1) }, "qicun-office", 403);
        await Post("/api/v1/towns/qicun/rename", new { reason = "撤镇设街道" }, "admin", 400);
        await Post("/api/v1/towns/nowhere/rename", new { name = "x", reason = "r" }, "admin", 404);
        await Post("/api/v1/towns/qicun/rename", new { name = "齐村街道", nameEn = "Qicun Subdistrict", reason = "撤镇设街道", effectiveFrom = Today(1) }, "admin", 200);

        Assert.Equal("齐村镇", TownName(await Get("/api/v1/towns", null, 200), "qicun"));
        Assert.Equal("齐村街道", TownName(await Get($"/api/v1/towns?asOf={Today(1)}", null, 200), "qicun"));
        var history = (await Get("/api/v1/towns/qicun/history", "admin", 200)).Json.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["reference-data-imported", "town-renamed"], history.Select(h => h.GetProperty("type").GetString()));
        Assert.Equal("撤镇设街道", history[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_community_with_grids_in_effect_is_409_naming_them_and_ends_after_its_grids()
    {
        var end = Today(3);
        var refused = await Post("/api/v1/communities/qicun-kekou/end", new { reason = "并村", effectiveFrom = end }, "admin", 409);
        Assert.Contains("qicun-kekou-g01", refused.Text);
        Assert.Contains("qicun-kekou-g06", refused.Text);

        await Post("/api/v1/grids/qicun-kekou-g01/rename", new { name = "可口东网格", reason = "更名", effectiveFrom = Today(1) }, "admin", 200);
        for (var g = 1; g <= 6; g++)
            await Post($"/api/v1/grids/qicun-kekou-g0{g}/end", new { reason = "并村", effectiveFrom = end }, "admin", 200);
        await Post("/api/v1/communities/qicun-kekou/rename", new { name = "可口村（待并）", reason = "更名", effectiveFrom = Today(1) }, "admin", 200);
        var ended = await Post("/api/v1/communities/qicun-kekou/end", new { reason = "并村", effectiveFrom = end }, "admin", 200);
        Assert.True(ended.Json.GetProperty("versions").EnumerateArray().Last().GetProperty("ended").GetBoolean());
        await Post("/api/v1/grids/qicun-kekou-g01/rename", new { name = "又改", reason = "r", effectiveFrom = Today(4) }, "admin", 409);

        static System.Text.Json.JsonElement? Kekou(Reply r) => r.Json.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "qicun")
            .GetProperty("communities").EnumerateArray().Cast<System.Text.Json.JsonElement?>().SingleOrDefault(c => c!.Value.GetProperty("id").GetString() == "qicun-kekou");
        var before = Kekou(await Get($"/api/v1/towns?asOf={Today(2)}", null, 200))!.Value;
        Assert.Equal("可口村（待并）", before.GetProperty("name").GetString());
        Assert.Equal("可口东网格", before.GetProperty("grids").EnumerateArray().First().GetProperty("name").GetString());
        Assert.Null(Kekou(await Get($"/api/v1/towns?asOf={end}", null, 200)));
        var history = (await Get("/api/v1/grids/qicun-kekou-g01/history", "admin", 200)).Json.EnumerateArray().Select(h => h.GetProperty("type").GetString());
        Assert.Equal(["reference-data-imported", "grid-renamed", "grid-ended"], history);
    }

    [Fact]
    public async Task A_categorys_lead_moved_today_shows_in_departments_and_the_domain_ledger()
    {
        static string[] Leads(Reply r, string id) => r.Json.EnumerateArray().Single(d => d.GetProperty("id").GetString() == id)
            .GetProperty("leadsCategoryIds").EnumerateArray().Select(c => c.GetString()!).ToArray();
        var yesterday = await Get($"/api/v1/departments?asOf={Today()}", null, 200);
        Assert.Contains("living-environment", Leads(yesterday, "housing"));

        await Post("/api/v1/categories/living-environment/lead", new { departmentId = "urban-management", reason = "督导办：改由城管局牵头" }, "qicun-office", 403);
        await Post("/api/v1/categories/living-environment/lead", new { reason = "督导办" }, "admin", 400);
        await Post("/api/v1/categories/living-environment/lead", new { departmentId = "nope", reason = "督导办" }, "admin", 404);
        await Post("/api/v1/categories/living-environment/lead", new { departmentId = "urban-management", reason = "督导办：改由城管局牵头", effectiveFrom = Today(1) }, "admin", 200);

        Assert.Contains("living-environment", Leads(await Get("/api/v1/departments", null, 200), "housing"));
        var tomorrow = await Get($"/api/v1/departments?asOf={Today(1)}", null, 200);
        Assert.Contains("living-environment", Leads(tomorrow, "urban-management"));
        Assert.DoesNotContain("living-environment", Leads(tomorrow, "housing"));

        App.Clock.Set(App.Clock.GetUtcNow().AddDays(1));
        var domain = await Get("/api/v1/ledgers/domains/living-environment", "admin", 200);
        Assert.Equal("urban-management", domain.Json.GetProperty("leadDepartmentId").GetString());
        var history = (await Get("/api/v1/categories/living-environment/history", "admin", 200)).Json.GetProperty("history").EnumerateArray();
        Assert.Equal(["reference-data-imported", "category-lead-changed"], history.Select(h => h.GetProperty("type").GetString()));
        await Get("/api/v1/categories/nope/history", "admin", 404);
    }

    [Fact]
    public async Task The_api_document_states_the_answers_of_the_new_writes()
    {
        var paths = (await Get("/openapi/v1.json", null, 200)).Json.GetProperty("paths");
        foreach (var path in new[] { "/api/v1/towns/{townId}/rename", "/api/v1/communities/{communityId}/end", "/api/v1/grids/{gridId}/rename", "/api/v1/categories/{categoryId}/lead" })
            // 422: the same Idempotency-Key sent with another body; 414, 429, 503: any route (docs/errors.md).
            Assert.Equal(["200", "400", "401", "403", "404", "409", "413", "414", "422", "429", "503"],
                paths.GetProperty(path).GetProperty("post").GetProperty("responses").EnumerateObject().Select(p => p.Name).Order().ToArray());
    }
}

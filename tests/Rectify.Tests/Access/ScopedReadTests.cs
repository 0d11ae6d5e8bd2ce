using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity;
using Rectify.ReferenceData;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

/// <summary>Reads are scoped like writes: lists filter to the caller's scope, figures must name a scope the caller holds.</summary>
public sealed class ScopedReadTests(AppFixture app) : ApiTest(app)
{
    private string MengzhuangCommunity =>
        Host.Services.GetRequiredService<ReferenceDataCache>().Current.FindTown("mengzhuang")!.Communities[0].Id;

    private async Task<(Guid Qicun, Guid Mengzhuang)> TwoTowns()
    {
        var qicun = await Collect();
        var mengzhuang = await Collect(b => { b["townId"] = "mengzhuang"; b["communityId"] = MengzhuangCommunity; b["address"] = "孟庄镇 5 号"; }, "mengzhuang-office");
        return (qicun, mengzhuang);
    }

    private async Task<List<Guid>> Search(string client) =>
        (await Get("/api/v1/issues", client, 200)).Json.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("issueId").GetGuid()).ToList();

    [Fact]
    public async Task Search_lists_only_what_the_caller_may_see_and_refuses_a_town_outside_it()
    {
        var (qicun, mengzhuang) = await TwoTowns();

        Assert.Equal([qicun], await Search("qicun-office"));
        Assert.Equal([qicun], await Search("qicun-leader"));
        Assert.Equal([mengzhuang], await Search("mengzhuang-office"));
        Assert.Empty(await Search("housing"));
        Assert.Equal(2, (await Search("auditor")).Count);
        var refused = await Get("/api/v1/issues?townId=mengzhuang", "qicun-office", 403);
        Assert.Contains("mengzhuang", refused.Json.GetProperty("detail").GetString());
        await Get("/api/v1/issues?unitId=transport", "housing", 403);
        await Get("/api/v1/issues?format=csv&townId=mengzhuang", "qicun-visitor", 403);
    }

    [Fact]
    public async Task A_department_keeps_seeing_an_issue_it_handed_on()
    {
        var (id, _) = await TwoTowns();
        await Get($"/api/v1/issues/{id}", "housing", 403);
        await Tracked(() => Post($"/api/v1/issues/{id}/escalate", new { version = 1, departmentId = "housing", reason = "镇级无法解决" }, "qicun-office", 200));
        await Post($"/api/v1/issues/{id}/request-reroute", new { version = 2, reason = "属道路管理" }, "housing", 200);
        await Tracked(() => Post($"/api/v1/issues/{id}/reroute", new { version = 3, departmentId = "transport" }, "supervisor", 200));

        Assert.Equal("transport", (await Get($"/api/v1/issues/{id}", "housing", 200)).Json.GetProperty("unitId").GetString());
        await Get($"/api/v1/issues/{id}/history", "housing", 200);
        await Get($"/api/v1/issues/{id}", "transport", 200);
        Assert.Equal([id], await Search("housing"));
        Assert.Equal([id], await Search("transport"));
    }

    [Fact]
    public async Task Figures_are_those_of_a_scope_the_caller_holds()
    {
        await TwoTowns();
        var district = await Get("/api/v1/statistics", "qicun-office", 403);
        Assert.Contains("?townId=qicun", district.Json.GetProperty("detail").GetString());
        Assert.Equal(1, (await Get("/api/v1/statistics?townId=qicun", "qicun-office", 200)).Json.GetProperty("ledger").GetInt32());
        await Get("/api/v1/statistics?townId=mengzhuang", "qicun-leader", 403);
        await Get("/api/v1/statistics?townId=qicun&format=csv", "qicun-visitor", 200);
        await Get("/api/v1/statistics", "housing", 403);
        await Get("/api/v1/statistics?departmentId=housing", "housing", 200);
        await Get("/api/v1/statistics?departmentId=transport", "housing", 403);

        // The place figures are the towns': a department gets null for them, and may not name a town.
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "visitor-017", anyoneHome = true, leaflets = 3 },
            "qicun-visitor", 201);
        string[] places = ["householdsTotal", "householdsVisited", "coverageRate", "visits", "leaflets", "wechatGroups", "policyPosts"];
        var own = (await Get("/api/v1/statistics?departmentId=housing", "housing", 200)).Json;
        Assert.All(places, p => Assert.Equal(System.Text.Json.JsonValueKind.Null, own.GetProperty(p).ValueKind));
        Assert.Contains("qicun", (await Get("/api/v1/statistics?departmentId=housing&townId=qicun", "housing", 403)).Json.GetProperty("detail").GetString());
        // The district's answer for a department keeps them, as before.
        var asked = (await Get("/api/v1/statistics?departmentId=housing", "auditor", 200)).Json;
        Assert.True(asked.GetProperty("householdsTotal").GetInt32() > 0);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, asked.GetProperty("visits").ValueKind);
        Assert.Equal(2, (await Get("/api/v1/statistics", "auditor", 200)).Json.GetProperty("ledger").GetInt32());
        foreach (var client in new[] { "qicun-office", "qicun-leader", "housing" })
        {
            await Get("/api/v1/statistics/rankings", client, 403);
            await Get("/api/v1/reports/bulletin", client, 403);
        }
        await Get("/api/v1/coverage", "qicun-office", 403);
        Assert.Single((await Get("/api/v1/coverage?townId=qicun", "qicun-office", 200)).Json.GetProperty("towns").EnumerateArray());
    }

    [Fact]
    public async Task A_town_lists_its_own_wechat_groups()
    {
        foreach (var (town, communityId) in new[] { ("qicun", "qicun-qicun"), ("mengzhuang", MengzhuangCommunity) })
            await Post("/api/v1/wechat-groups", new { townId = town, communityId, name = $"{town} 群", members = 10 }, "supervisor", 201);
        var groups = (await Get("/api/v1/wechat-groups", "qicun-visitor", 200)).Json.GetProperty("items").EnumerateArray().ToList();
        await Post($"/api/v1/wechat-groups/{Guid.Empty}/posts", new { posts = 1 }, "supervisor", 404);
        // Groups belong to towns, not units: a ?unitId= is no filter here, so it is not refused either.
        Assert.Equal(1, (await Get("/api/v1/wechat-groups?unitId=housing", "qicun-visitor", 200)).Json.GetProperty("total").GetInt32());
        Assert.Equal("qicun", Assert.Single(groups).GetProperty("townId").GetString());
        Assert.Equal(2, (await Get("/api/v1/wechat-groups", "auditor", 200)).Json.GetProperty("total").GetInt32());
        await Get("/api/v1/wechat-groups?townId=mengzhuang", "qicun-visitor", 403);
    }

    [Fact]
    public async Task An_external_system_calls_only_its_registered_routes()
    {
        var (qicun, mengzhuang) = await TwoTowns();
        var key = ApiClient.NewKey();
        App.Keys["archive-system"] = key;
        await using (var session = Store.LightweightSession())
        {
            session.Store(new ApiClient
            {
                Id = ApiClient.Hash(key), Name = "archive-system", Role = Role.ExternalSystem,
                AllowedRoutes = ["GET /api/v1/issues/{id}"], RegisteredAt = DateTimeOffset.UtcNow
            });
            await session.SaveChangesAsync();
        }

        await Get($"/api/v1/issues/{qicun}", "archive-system", 200);
        await Get($"/api/v1/issues/{mengzhuang}", "archive-system", 200);
        var refused = await Get($"/api/v1/issues/{qicun}/history", "archive-system", 403);
        Assert.Contains("GET /api/v1/issues/{id}/history", refused.Json.GetProperty("detail").GetString());
        await Get("/api/v1/statistics", "archive-system", 403);
    }
}

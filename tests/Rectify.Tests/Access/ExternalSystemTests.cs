using Rectify.Identity;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

/// <summary>
/// An external system is answered on every route its client lists, with district scope: reads as the district reads them,
/// collection writes as a district supervisor would make them. Writes on an issue may not be listed for it at all.
/// </summary>
public sealed class ExternalSystemTests(AppFixture app) : ApiTest(app)
{
    private static readonly string[] Routes =
    [
        "POST /api/v1/issues", "GET /api/v1/issues/{id}", "POST /api/v1/visits", "POST /api/v1/wechat-groups",
        "GET /api/v1/units/{unitId}/inbox", "GET /api/v1/units/{unitId}/notices", "GET /api/v1/supervision/notices",
        "GET /api/v1/access-log", "GET /api/v1/audit", "GET /api/v1/audit/digests/{date}", "GET /api/v1/events",
        "GET /api/v1/clients/{name}/history"
    ];

    private async Task Register(string name, params string[] routes)
    {
        var created = await Post("/api/v1/clients", new { name, role = "external-system", allowedRoutes = routes }, "admin", 201);
        App.Keys[name] = created.Json.GetProperty("key").GetString()!;
    }

    [Fact]
    public async Task An_external_system_is_answered_on_each_route_its_client_lists()
    {
        await Register("cityline", Routes);

        // README's example: cityline collects an issue and reads it back.
        var id = (await Post("/api/v1/issues", NewIssue(b => b["channel"] = "hotline"), "cityline", 201)).Json.GetProperty("id").GetGuid();
        await Get($"/api/v1/issues/{id}", "cityline", 200);
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "visitor-017", anyoneHome = true, leaflets = 1 },
            "cityline", 201);
        await Post("/api/v1/wechat-groups", new { townId = "qicun", communityId = "qicun-qicun", name = "齐村民意群", members = 10 }, "cityline", 201);

        foreach (var read in new[] { "/api/v1/units/qicun/inbox", "/api/v1/units/qicun-governance/inbox", "/api/v1/units/housing/inbox",
                     "/api/v1/units/qicun/notices", "/api/v1/units/housing/notices", "/api/v1/supervision/notices", "/api/v1/access-log",
                     "/api/v1/audit", "/api/v1/events", "/api/v1/clients/cityline/history" })
            await Get(read, "cityline", 200);
        var head = (await Get($"/api/v1/issues/{id}/chain", "auditor", 200)).Json.GetProperty("head");
        var day = Rectify.Calendar.WorkingCalendar.ShanghaiDate(head.GetProperty("storedAt").GetDateTimeOffset()).ToString("yyyy-MM-dd");
        await Get($"/api/v1/audit/digests/{day}", "cityline", 200);

        // What it does not list stays refused.
        await Get($"/api/v1/issues/{id}/history", "cityline", 403);
    }

    [Fact]
    public async Task Writes_on_an_issue_may_not_be_listed_for_an_external_system()
    {
        var refused = await Post("/api/v1/clients", new
        {
            name = "cityline", role = "external-system",
            allowedRoutes = new[] { "POST /api/v1/issues", "POST /api/v1/issues/{id}/close", "POST /api/v1/clients" }
        }, "admin", 400);
        Assert.Equal(["allowedRoutes[1]", "allowedRoutes[2]"], refused.ErrorFields.Order());
        Assert.Contains("'POST /api/v1/issues/{id}/close' may not be given to an external system",
            refused.Json.GetProperty("errors").GetProperty("allowedRoutes[1]")[0].GetString());
        await Get("/api/v1/clients/cityline", "admin", 404);
    }
}

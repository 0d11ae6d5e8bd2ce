using System.Text.Json;
using Alba;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity;
using Rectify.Identity.Access;
using Rectify.ReferenceData;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

/// <summary>
/// The role × route matrix, generated from RouteAccess.Rules: every client role calls every route on something of its own
/// scope and of another's, and gets what the table says. Refusals store nothing and show no resident's name or phone.
/// Writes are sent an empty body: a role the table refuses gets 403 before the body is read, the others the body's 400
/// (who exactly may act is then the endpoint's own rule). Issue commands read the body first for every role (400 before
/// 403, as the lifecycle tests require); IssueCommandRefusalTests shows the table's refusal at their 403 step.
/// </summary>
public sealed class AccessMatrixTests(AppFixture app) : ApiTest(app), IAsyncLifetime
{
    public enum Side { Own, Other }

    public static readonly Dictionary<Role, string> ClientOf = new()
    {
        [Role.Visitor] = "qicun-visitor", [Role.TownOffice] = "qicun-office", [Role.TownLeader] = "qicun-leader",
        [Role.Department] = "housing", [Role.DistrictSupervisor] = "supervisor", [Role.Auditor] = "auditor", [Role.Admin] = "admin",
        [Role.ExternalSystem] = Hotline
    };

    public const string Hotline = "hotline-12345";
    /// <summary>The routes the test's external system is registered for.</summary>
    public static readonly string[] HotlineRoutes =
    [
        "GET /api/v1/issues/{id}", "GET /api/v1/statistics", "POST /api/v1/issues", "GET /api/v1/units/{unitId}/inbox",
        "GET /api/v1/units/{unitId}/notices", "GET /api/v1/supervision/notices", "GET /api/v1/access-log", "GET /api/v1/audit",
        "GET /api/v1/audit/digests/{date}", "GET /api/v1/events", "GET /api/v1/clients/{name}/history"
    ];

    /// <summary>Personal data of the seeded issues that no refusal may show.</summary>
    private static readonly string[] Personal = ["王秀英", "13800001234", "李建国", "13900005678"];

    /// <summary>Writes whose empty body is valid: they then find nothing to act on.</summary>
    private static readonly Dictionary<string, int> EmptyBodyAnswers = new()
    {
        ["POST /api/v1/wechat-groups/{id}/posts"] = 404,
        // Key changes are sent for a client that does not exist, so that no case revokes a key the others use.
        ["POST /api/v1/clients/{name}/revoke"] = 404,
        // The fixture's clients are stored directly, so none has a history of key changes.
        ["GET /api/v1/clients/{name}/history"] = 404
    };

    private sealed record Seeded(Guid Own, Guid Other, DateOnly OwnDay, DateOnly OtherDay, DistrictReferenceData References, string RuleId);

    private static Seeded? _seeded;
    private static readonly SemaphoreSlim Seeding = new(1, 1);

    public static IEnumerable<object[]> Cases() =>
        from rule in RouteAccess.Rules
        from role in RouteAccess.ClientRoles
        from side in Scoped(rule) ? new[] { Side.Own, Side.Other } : [Side.Own]
        select new object[] { rule.Method, rule.Template, role, side };

    private static bool Scoped(RouteRule rule) => rule.Scope is not (ScopeFrom.Anonymous or ScopeFrom.Open or ScopeFrom.District);

    /// <summary>The oracle, from the table alone: refused roles 403; district-wide callers all; scoped callers their own.</summary>
    public static int Expected(RouteRule rule, Role role, Side side)
    {
        if (rule.Scope == ScopeFrom.Anonymous) return 200;
        // An issue command reads its body first: the table's refusal comes at its 403 step (IssueCommandRefusalTests).
        if (rule.Scope == ScopeFrom.IssueCommand) return 400;
        var allowed = role == Role.ExternalSystem ? HotlineRoutes.Contains(rule.Route) : rule.Roles.Contains(role);
        if (!allowed) return 403;
        if (rule.Scope == ScopeFrom.Command) return EmptyBodyAnswers.GetValueOrDefault(rule.Route, 400);
        if (EmptyBodyAnswers.TryGetValue(rule.Route, out var answer)) return answer;
        var district = role == Role.ExternalSystem || ReadScope.Of(new Actor("", role, "qicun", "housing")).IsDistrict;
        if (district || rule.Scope == ScopeFrom.Open) return 200;
        if (rule.Scope == ScopeFrom.District) return 403;
        return side == Side.Own ? 200 : 403;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_role_gets_what_the_table_says(string method, string template, Role role, Side side)
    {
        var rule = RouteAccess.Find(method, template)!;
        var seeded = await Seed();
        var url = Url(rule, role, side, seeded);
        var expected = Expected(rule, role, side);
        var before = await Stored();

        var result = await Host.Scenario(s =>
        {
            if (method == "GET") s.Get.Url(url);
            else if (method == "PUT") s.Put.Text("{}").ToUrl(url);
            else s.Post.Text("{}").ToUrl(url);
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys[ClientOf[role]]}");
            s.IgnoreStatusCode();
        });
        var body = await result.ReadAsTextAsync();
        Assert.True(expected == result.Context.Response.StatusCode,
            $"{rule.Route} as {ClientOf[role]} ({side}): {url} answered {result.Context.Response.StatusCode}, expected {expected}. {body}");

        if (expected >= 400)
        {
            Assert.Equal(before, await Stored());
            Assert.DoesNotContain(Personal, p => body.Contains(p));
        }
        if (expected == 403) Assert.Contains("\"status\":403", body.Replace(" ", ""));
    }

    /// <summary>Events (count and highest sequence) and resident contacts: what a refusal must leave as it was.</summary>
    private async Task<(long, long, long)> Stored()
    {
        await using var session = Store.QuerySession();
        var row = (await session.QueryAsync<string>(
            "select concat_ws(',', (select count(*) from rectify.mt_events), (select coalesce(max(seq_id), 0) from rectify.mt_events), " +
            "(select count(*) from rectify.mt_doc_residentcontact))")).Single().Split(',').Select(long.Parse).ToArray();
        return (row[0], row[1], row[2]);
    }

    private static string Url(RouteRule rule, Role role, Side side, Seeded s)
    {
        var r = s.References;
        var own = side == Side.Own;
        var qicun = r.FindTown("qicun")!;
        var mengzhuang = r.FindTown("mengzhuang")!;
        var scope = ReadScope.Of(new Actor("", role, "qicun", "housing"));
        var isDepartment = role == Role.Department;
        var housingLed = r.Categories.First(c => c.LeadDepartmentId == "housing").Id;
        var otherLed = r.Categories.First(c => c.LeadDepartmentId is { } lead && lead != "housing").Id;
        var values = new Dictionary<string, string>
        {
            ["townId"] = own ? "qicun" : "mengzhuang",
            ["unitId"] = isDepartment ? (own ? "housing" : "transport") : (own ? qicun.Offices[0].Id : mengzhuang.Offices[0].Id),
            ["departmentId"] = own ? "housing" : "transport",
            ["gridId"] = own ? qicun.Communities[0].Grids[0].Id : mengzhuang.Communities[0].Grids[0].Id,
            ["communityId"] = qicun.Communities[0].Id,
            ["categoryId"] = own ? housingLed : otherLed,
            ["ruleId"] = s.RuleId,
            ["year"] = "2026",
            ["id"] = rule.Route == "POST /api/v1/wechat-groups/{id}/posts" ? Guid.NewGuid().ToString() : (own ? s.Own : s.Other).ToString(),
            ["visitorId"] = own ? "visitor-017" : "visitor-099",
            ["date"] = (own ? s.OwnDay : s.OtherDay).ToString("yyyy-MM-dd"),
            ["name"] = rule.Method == "GET" ? "qicun-office" : "matrix-nobody"
        };
        var path = values.Aggregate(rule.Template, (t, v) => t.Replace($"{{{v.Key}}}", v.Value));
        Assert.DoesNotContain("{", path);

        var query = rule.Scope switch
        {
            ScopeFrom.NamedInQuery or ScopeFrom.FilteredList or ScopeFrom.TownList when scope.TownId is not null => $"?townId={(own ? "qicun" : "mengzhuang")}",
            ScopeFrom.NamedInQuery when scope.DepartmentId is not null => $"?departmentId={(own ? "housing" : "transport")}",
            ScopeFrom.FilteredList when scope.DepartmentId is not null => $"?unitId={(own ? "housing" : "transport")}",
            ScopeFrom.NamedInQuery or ScopeFrom.FilteredList or ScopeFrom.TownList => own ? "" : "?townId=mengzhuang",
            _ => ""
        };
        return path + query;
    }

    /// <summary>
    /// Once for the class (xUnit runs a class's tests together; a test of another class may have emptied the database
    /// before, so the seed is checked, not assumed): an issue of Qicun escalated to housing, one of Mengzhuang.
    /// </summary>
    private async Task<Seeded> Seed()
    {
        await Seeding.WaitAsync();
        try
        {
            if (_seeded is { } done)
            {
                await using var check = Store.QuerySession();
                if (await check.LoadAsync<Rectify.Ledgers.IssueSummary>(done.Own) is not null) return done;
            }
            await App.ResetAsync();
            var key = ApiClient.NewKey();
            App.Keys[Hotline] = key;
            await using (var session = Store.LightweightSession())
            {
                session.Store(new ApiClient
                {
                    Id = ApiClient.Hash(key), Name = Hotline, Role = Role.ExternalSystem, AllowedRoutes = [.. HotlineRoutes],
                    RegisteredAt = DateTimeOffset.UtcNow
                });
                await session.SaveChangesAsync();
            }

            var references = Host.Services.GetRequiredService<ReferenceDataCache>().Current;
            var own = await Collect();
            await Tracked(() => Post($"/api/v1/issues/{own}/escalate", new { version = 1, departmentId = "housing", reason = "镇级无法解决" }, "qicun-office", 200));
            var other = await Collect(b =>
            {
                b["townId"] = "mengzhuang";
                b["communityId"] = references.FindTown("mengzhuang")!.Communities[0].Id;
                b["address"] = "孟庄镇 5 号";
                b["visitorId"] = "visitor-099";
                b["residentName"] = "李建国";
                b["residentPhone"] = "13900005678";
            }, "mengzhuang-office");
            await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));

            var rules = (await Get("/api/v1/routing-rules", null, 200)).Json;
            var ruleId = rules.EnumerateArray().First().GetProperty("id").GetString()!;
            var ownDay = DateOnly.Parse((await Get($"/api/v1/issues/{own}", "admin", 200)).Json.GetProperty("collectedAt").GetDateTimeOffset()
                .ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"));
            var otherDay = DateOnly.Parse((await Get($"/api/v1/issues/{other}", "admin", 200)).Json.GetProperty("collectedAt").GetDateTimeOffset()
                .ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd"));
            return _seeded = new Seeded(own, other, ownDay, otherDay, references, ruleId);
        }
        finally
        {
            Seeding.Release();
        }
    }

    // Seeded once in Seed(), not emptied before every test as other API tests are.
    public new Task InitializeAsync() => Task.CompletedTask;
}

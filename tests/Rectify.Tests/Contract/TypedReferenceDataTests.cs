using System.Text.Json;
using Rectify.Tests.Support;
using static Rectify.Tests.Support.DocumentReading;

namespace Rectify.Tests.Contract;

/// <summary>
/// Issue 13 for the admin writes (reference data, the calendar, client keys): each body is a typed record, so the
/// document states its fields and required ones, and one 400 names the values that would not bind together with the
/// values that are wrong, with nothing stored.
/// </summary>
public sealed class TypedReferenceDataTests(AppFixture app) : ApiTest(app)
{
    private async Task<(JsonElement Paths, JsonElement Schemas)> Document() => Parts((await Get("/openapi/v1.json", null, 200)).Json);

    [Fact]
    public async Task The_document_states_the_admin_write_bodies()
    {
        var (paths, schemas) = await Document();
        Assert.Equal(["categoryId", "reason"], Required(RequestSchema(paths, schemas, "/api/v1/routing-rules")));
        Assert.Equal(["reason", "version"], Required(RequestSchema(paths, schemas, "/api/v1/routing-rules/{ruleId}/change")));
        Assert.Equal(["id", "kind", "name", "reason"], Required(RequestSchema(paths, schemas, "/api/v1/towns/{townId}/offices")));
        Assert.Equal(["reason"], Required(RequestSchema(paths, schemas, "/api/v1/units/{unitId}/end")));
        Assert.Equal(["departmentId", "reason"], Required(RequestSchema(paths, schemas, "/api/v1/categories/{categoryId}/lead")));

        var grid = RequestSchema(paths, schemas, "/api/v1/communities/{communityId}/grids");
        Assert.Equal(["id", "name", "reason"], Required(grid));
        Assert.Equal("date", grid.GetProperty("properties").GetProperty("effectiveFrom").GetProperty("format").GetString());
        var entry = Resolve(schemas, grid.GetProperty("properties").GetProperty("register").GetProperty("items"));
        Assert.Equal(["householdId"], Required(entry));

        var calendar = RequestSchema(paths, schemas, "/api/v1/calendar/{year}", "put");
        Assert.Equal(["daysOff", "reason", "workdays"], Required(calendar));
        var day = calendar.GetProperty("properties").GetProperty("daysOff").GetProperty("items");
        Assert.Equal("date", day.GetProperty("format").GetString());
        Assert.Equal("string", day.GetProperty("type").GetString()); // a list of dates, never null items

        var client = RequestSchema(paths, schemas, "/api/v1/clients");
        Assert.Equal(["name", "role"], Required(client));
        Assert.Contains("external-system", Enum(schemas, client.GetProperty("properties").GetProperty("role")));
        Assert.Equal(["graceHours"], Required(RequestSchema(paths, schemas, "/api/v1/clients/{name}/rotate")));
        Assert.Equal(201, AnswerStatus(paths, "/api/v1/routing-rules"));
        Assert.True(AnswerSchema(paths, schemas, "/api/v1/clients", "post", "201").GetProperty("properties").TryGetProperty("key", out _));
    }

    private static int AnswerStatus(JsonElement paths, string path) =>
        paths.GetProperty(path).GetProperty("post").GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).Min();

    [Fact]
    public async Task A_routing_rule_names_binding_and_judged_errors_at_once_and_stores_nothing()
    {
        var before = await StoredEventCount();
        var reply = await Post("/api/v1/routing-rules", new { categoryId = 7, ruleId = "Bad Id", effectiveFrom = "2020-01-01", townId = new[] { "qicun" } },
            "admin", 400);

        var errors = reply.Json.GetProperty("errors");
        Assert.Equal("Must be a string.", errors.GetProperty("categoryId")[0].GetString());
        Assert.Equal("Must be a string.", errors.GetProperty("townId")[0].GetString());
        Assert.StartsWith("Must be lower-case letters", errors.GetProperty("ruleId")[0].GetString());
        Assert.StartsWith("Must not be before today", errors.GetProperty("effectiveFrom")[0].GetString());
        Assert.Equal("Is required.", errors.GetProperty("reason")[0].GetString());
        Assert.Equal(["categoryId", "effectiveFrom", "reason", "ruleId", "townId"], reply.ErrorFields.Order());
        Assert.Equal(before, await StoredEventCount());
    }

    [Fact]
    public async Task A_register_names_each_bad_household_by_its_place_in_the_list()
    {
        var before = await StoredEventCount();
        var reply = await Post("/api/v1/communities/qicun-qicun/grids", new
        {
            id = "qicun-qicun-typed", name = "网格", reason = "划分网格",
            register = new object[] { new { householdId = 5 }, new { address = "齐村1号" }, "0003", new { householdId = "0004" }, new { householdId = "0004" } }
        }, "admin", 400);

        var errors = reply.Json.GetProperty("errors");
        Assert.Equal("Must be a string.", errors.GetProperty("register[0].householdId")[0].GetString());
        Assert.Equal("Is required.", errors.GetProperty("register[1].householdId")[0].GetString());
        Assert.Equal("Must be an object.", errors.GetProperty("register[2]")[0].GetString());
        Assert.Equal("Household '0004' appears twice.", errors.GetProperty("register")[0].GetString());
        Assert.Equal(["register", "register[0].householdId", "register[1].householdId", "register[2]"], reply.ErrorFields.Order());
        Assert.Equal(before, await StoredEventCount());

        var both = await Post("/api/v1/grids/qicun-qicun-01/households", new { households = 3, register = Array.Empty<object>(), reason = "r" }, "admin", 400);
        Assert.StartsWith("Give either households", both.Json.GetProperty("errors").GetProperty("households")[0].GetString());
    }

    [Fact]
    public async Task A_body_sent_as_plain_text_is_read_as_json_not_refused_as_an_unsupported_type()
    {
        // Integrators' tools do not always set a JSON content type; the body is judged, never answered 415.
        var reply = await Post("/api/v1/units/qicun-governance/rename", "{\"name\":\"综治中心\"}", "admin", 400);
        Assert.Equal(["reason"], reply.ErrorFields);
        await Post("/api/v1/clients/nobody/revoke", "not json", "admin", 400);
    }

    [Fact]
    public async Task The_calendar_names_bad_dates_by_place_and_judges_the_good_ones()
    {
        var before = await StoredEventCount();
        var reply = await Host.Scenario(s =>
        {
            s.Put.Json(new { daysOff = new object?[] { "2027-01-01", 5, null, "2026-12-31", "" }, workdays = "none", reason = "r" })
                .ToUrl("/api/v1/calendar/2027");
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys["admin"]}");
            s.StatusCodeShouldBe(400);
        });
        var errors = JsonDocument.Parse(await reply.ReadAsTextAsync()).RootElement.GetProperty("errors");
        Assert.Equal("Must be a date written yyyy-MM-dd.", errors.GetProperty("daysOff[1]")[0].GetString());
        Assert.Equal("Must be a date written yyyy-MM-dd.", errors.GetProperty("daysOff[2]")[0].GetString());
        Assert.Equal("2026-12-31 lies outside the year 2027.", errors.GetProperty("daysOff[3]")[0].GetString());
        Assert.Equal("Must be a date written yyyy-MM-dd.", errors.GetProperty("daysOff[4]")[0].GetString());
        Assert.Equal("Must be an array.", errors.GetProperty("workdays")[0].GetString());
        Assert.Equal(before, await StoredEventCount());
    }

    [Fact]
    public async Task Client_keys_name_binding_and_judged_errors_at_once()
    {
        var register = await Post("/api/v1/clients", new { name = "bad name", role = "wizard", townId = 3, allowedRoutes = new object[] { 5 } }, "admin", 400);
        var errors = register.Json.GetProperty("errors");
        Assert.StartsWith("Must start with a letter or digit", errors.GetProperty("name")[0].GetString());
        Assert.StartsWith("Must be one of: visitor, town-office", errors.GetProperty("role")[0].GetString());
        Assert.Equal("Must be a string.", errors.GetProperty("townId")[0].GetString());
        Assert.Equal("Must be a string.", errors.GetProperty("allowedRoutes[0]")[0].GetString());
        Assert.Equal(["allowedRoutes[0]", "name", "role", "townId"], register.ErrorFields.Order());

        var external = await Post("/api/v1/clients", new { name = "typed-external", role = "external-system", allowedRoutes = new object[] { "GET /nowhere", 1 } },
            "admin", 400);
        Assert.Equal(["allowedRoutes[0]", "allowedRoutes[1]"], external.ErrorFields.Order());
        Assert.Single(external.Json.GetProperty("errors").GetProperty("allowedRoutes[1]").EnumerateArray());

        var rotate = await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = "soon" }, "admin", 400);
        Assert.Equal("Must be an integer.", rotate.Json.GetProperty("errors").GetProperty("graceHours")[0].GetString());
        var tooLong = await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = 100_000 }, "admin", 400);
        Assert.StartsWith("Must be at most", tooLong.Json.GetProperty("errors").GetProperty("graceHours")[0].GetString());
    }
}

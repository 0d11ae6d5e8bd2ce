using Alba;
using Marten;
using Rectify.Identity;
using Rectify.Tests.Support;

namespace Rectify.Tests.Keys;

/// <summary>Key management through /api/v1/clients: admin only, validated, audited, and the key shown only once.</summary>
public sealed class ClientApiTests(AppFixture app) : ApiTest(app)
{
    private static Action<Scenario> WithKey(string key) => s => s.WithRequestHeader("Authorization", $"Bearer {key}");

    private Task<Reply> Inbox(string key, int expectedStatus) =>
        Get("/api/v1/units/qicun-governance/inbox", null, expectedStatus, WithKey(key));

    private static object ExternalSystem(params string[] routes) => new { name = "cityline", role = "external-system", allowedRoutes = routes };

    private async Task<int> StoredClientChanges()
    {
        await using var session = Store.QuerySession();
        return (await session.QueryAsync<int>("select ((select count(*) from rectify.mt_events where type like 'client_%') + (select count(*) from rectify.mt_doc_apiclient))::int")).Single();
    }

    [Fact]
    public async Task An_admin_registers_an_external_system_with_its_routes_and_gets_the_key_once()
    {
        var created = await Post("/api/v1/clients", ExternalSystem("POST /api/v1/issues", "get /api/v1/units/{unitId}/inbox"), "admin", 201);

        var key = created.Json.GetProperty("key").GetString()!;
        Assert.StartsWith(ApiClient.KeyPrefix, key);
        Assert.Equal("/api/v1/clients/cityline", created.Header("Location"));
        Assert.Equal(["POST /api/v1/issues", "GET /api/v1/units/{unitId}/inbox"],
            created.Json.GetProperty("allowedRoutes").EnumerateArray().Select(r => r.GetString()!));
        await using (var session = Store.QuerySession())
        {
            var stored = await session.LoadAsync<ApiClient>(ApiClient.Hash(key));
            Assert.Equal((Role.ExternalSystem, App.Clock.GetUtcNow()), (stored!.Role, stored.RegisteredAt));
            Assert.Equal(0, (await session.QueryAsync<int>("select count(*)::int from rectify.mt_doc_apiclient where data::text like ?", $"%{key}%")).Single());
        }

        var listed = await Get("/api/v1/clients/cityline", "admin", 200);
        Assert.Equal(("active", "external-system"), (listed.Json.GetProperty("status").GetString(), listed.Json.GetProperty("role").GetString()));
        Assert.DoesNotContain(key, listed.Text);
    }

    [Fact]
    public async Task An_unknown_route_a_bad_name_role_or_scope_is_400_naming_each_field_and_nothing_is_stored()
    {
        var before = await StoredClientChanges();

        var unknownRoute = await Post("/api/v1/clients", ExternalSystem("POST /api/v1/issues", "DELETE /api/v1/issues", "POST /api/v1/nowhere"), "admin", 400);
        Assert.Equal(["allowedRoutes[1]", "allowedRoutes[2]"], unknownRoute.ErrorFields.Order());
        Assert.Contains("'POST /api/v1/nowhere' is not a route of this API",
            unknownRoute.Json.GetProperty("errors").GetProperty("allowedRoutes[2]")[0].GetString());

        var bad = await Post("/api/v1/clients", new { name = "has space", role = "town-office", departmentId = "housing", allowedRoutes = new[] { "POST /api/v1/issues" } }, "admin", 400);
        Assert.Equal(["allowedRoutes", "departmentId", "name", "townId"], bad.ErrorFields.Order());

        var noRole = await Post("/api/v1/clients", new { name = "x", role = "system" }, "admin", 400);
        Assert.Equal(["role"], noRole.ErrorFields);
        var noRoutes = await Post("/api/v1/clients", new { name = "x", role = "external-system" }, "admin", 400);
        Assert.Equal(["allowedRoutes"], noRoutes.ErrorFields);
        var badGrace = await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = 721 }, "admin", 400);
        Assert.Equal(["graceHours"], badGrace.ErrorFields);
        await Post("/api/v1/clients/qicun-office/rotate", new { }, "admin", 400);

        Assert.Equal(before, await StoredClientChanges());
    }

    [Theory]
    [InlineData("GET", "/api/v1/clients")]
    [InlineData("GET", "/api/v1/clients/qicun-office")]
    [InlineData("POST", "/api/v1/clients")]
    [InlineData("POST", "/api/v1/clients/qicun-office/rotate")]
    [InlineData("POST", "/api/v1/clients/qicun-office/revoke")]
    public async Task Other_roles_than_admin_get_403_and_change_nothing(string method, string url)
    {
        var before = await StoredClientChanges();
        foreach (var client in new[] { "supervisor", "auditor", "qicun-office", "housing" })
        {
            var reply = await Send(method == "GET" ? HttpMethod.Get : HttpMethod.Post, url,
                method == "GET" ? null : new { name = "sneaky", role = "admin", graceHours = 1 }, client, 403);
            // Refused by the access table before the endpoint runs (docs/security.md, the access matrix).
            Assert.Contains("may not call", reply.Text);
        }
        Assert.Equal(before, await StoredClientChanges());
        await Inbox(App.Keys["qicun-office"], 200);
    }

    [Fact]
    public async Task An_unknown_client_is_404_and_a_taken_name_or_a_revoked_client_409()
    {
        await Post("/api/v1/clients/nobody/rotate", new { graceHours = 1 }, "admin", 404);
        await Post("/api/v1/clients/nobody/revoke", null, "admin", 404);
        await Get("/api/v1/clients/nobody", "admin", 404);
        await Get("/api/v1/clients/nobody/history", "admin", 404);

        var taken = await Post("/api/v1/clients", new { name = "qicun-office", role = "town-office", townId = "qicun" }, "admin", 409);
        Assert.Contains("rotate or revoke", taken.Text);

        await Post("/api/v1/clients/qicun-office/revoke", null, "admin", 200);
        var again = await Post("/api/v1/clients/qicun-office/revoke", null, "admin", 409);
        Assert.Contains("is revoked", again.Json.GetProperty("detail").GetString());
        await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = 1 }, "admin", 409);
    }

    [Fact]
    public async Task After_a_rotation_the_old_key_works_until_the_grace_period_ends_then_401_and_the_new_key_works()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
        App.Clock.Set(start);
        var oldKey = App.Keys["qicun-office"];

        var rotated = await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = 24 }, "admin", 200);
        var newKey = rotated.Json.GetProperty("key").GetString()!;
        Assert.Equal(start.AddHours(24), rotated.Json.GetProperty("previousKeysExpireAt").GetDateTimeOffset());
        Assert.Equal(("town-office", "qicun"), (rotated.Json.GetProperty("role").GetString(), rotated.Json.GetProperty("townId").GetString()));

        await Inbox(oldKey, 200);
        await Inbox(newKey, 200);
        App.Clock.Set(start.AddHours(24).AddSeconds(-1));
        await Inbox(oldKey, 200);

        App.Clock.Set(start.AddHours(24));
        var expired = await Inbox(oldKey, 401);
        Assert.Contains("grace period is over", expired.Text);
        await Inbox(newKey, 200);

        var listed = await Get("/api/v1/clients/qicun-office", "admin", 200);
        var works = listed.Json.GetProperty("keys").EnumerateArray().ToDictionary(k => k.GetProperty("keyId").GetString()!, k => k.GetProperty("works").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { [ApiClient.Hash(oldKey)[..12]] = false, [ApiClient.Hash(newKey)[..12]] = true }, works);
    }

    [Fact]
    public async Task Revoking_stops_every_key_of_the_client_at_once_those_in_a_grace_period_too()
    {
        var oldKey = App.Keys["housing"];
        var newKey = (await Post("/api/v1/clients/housing/rotate", new { graceHours = 48 }, "admin", 200)).Json.GetProperty("key").GetString()!;
        await Get("/api/v1/units/housing/inbox", null, 200, WithKey(oldKey));

        var revoked = await Post("/api/v1/clients/housing/revoke", null, "admin", 200);

        Assert.Equal(2, revoked.Json.GetProperty("revokedKeyIds").GetArrayLength());
        await Get("/api/v1/units/housing/inbox", null, 401, WithKey(oldKey));
        await Get("/api/v1/units/housing/inbox", null, 401, WithKey(newKey));
        var listed = await Get("/api/v1/clients", "admin", 200);
        var housing = listed.Json.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "housing");
        Assert.Equal(("revoked", App.Clock.GetUtcNow()), (housing.GetProperty("status").GetString(), housing.GetProperty("revokedAt").GetDateTimeOffset()));
    }

    [Fact]
    public async Task The_list_shows_when_each_client_was_last_used_written_at_most_once_a_minute()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
        App.Clock.Set(start);
        DateTimeOffset? LastUsed(Reply list, string name) =>
            list.Json.EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("lastUsedAt") is { ValueKind: System.Text.Json.JsonValueKind.String } t
                ? t.GetDateTimeOffset() : null;

        Assert.Null(LastUsed(await Get("/api/v1/clients", "admin", 200), "qicun-office"));
        await Inbox(App.Keys["qicun-office"], 200);
        Assert.Equal(start, LastUsed(await Get("/api/v1/clients", "admin", 200), "qicun-office"));

        App.Clock.Set(start.AddSeconds(40));
        await Inbox(App.Keys["qicun-office"], 200);
        Assert.Equal(start, LastUsed(await Get("/api/v1/clients", "admin", 200), "qicun-office")); // within the minute: no write

        App.Clock.Set(start.AddMinutes(5));
        await Inbox(App.Keys["qicun-office"], 200);
        var list = await Get("/api/v1/clients", "admin", 200);
        Assert.Equal(start.AddMinutes(5), LastUsed(list, "qicun-office"));
        Assert.Null(LastUsed(list, "transport"));
        var office = list.Json.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "qicun-office");
        Assert.Equal(("town-office", "qicun", "active"),
            (office.GetProperty("role").GetString(), office.GetProperty("townId").GetString(), office.GetProperty("status").GetString()));
        Assert.True(office.TryGetProperty("createdAt", out _));
    }

    [Fact]
    public async Task Every_key_change_is_in_the_clients_history_who_when_what_and_no_key_appears_but_in_the_create_and_rotate_answers()
    {
        var created = await Post("/api/v1/clients", ExternalSystem("POST /api/v1/issues"), "admin", 201);
        var firstKey = created.Json.GetProperty("key").GetString()!;
        App.Clock.Set(App.Clock.GetUtcNow().AddMinutes(3));
        var rotated = await Post("/api/v1/clients/cityline/rotate", new { graceHours = 1 }, "admin", 200);
        var secondKey = rotated.Json.GetProperty("key").GetString()!;
        App.Clock.Set(App.Clock.GetUtcNow().AddMinutes(3));

        var answers = new List<string>
        {
            (await Post("/api/v1/clients/cityline/revoke", null, "admin", 200)).Text,
            (await Get("/api/v1/clients", "admin", 200)).Text,
            (await Get("/api/v1/clients/cityline", "admin", 200)).Text,
            (await Get("/api/v1/clients/cityline/history", "admin", 200)).Text
        };
        var history = await Get("/api/v1/clients/cityline/history", "auditor", 200); // auditors read the record too
        answers.Add(history.Text);

        Assert.Equal(["registered", "rotated", "revoked"], history.Json.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.All(history.Json.EnumerateArray(), e => Assert.Equal("admin", e.GetProperty("actor").GetProperty("clientName").GetString()));
        var rotation = history.Json[1].GetProperty("change");
        Assert.Equal(1, rotation.GetProperty("graceHours").GetInt32());
        Assert.Equal(ApiClient.Hash(firstKey)[..12], rotation.GetProperty("expiringKeyIds")[0].GetString());
        Assert.Equal(ApiClient.Hash(secondKey)[..12], rotation.GetProperty("keyId").GetString());
        await Get("/api/v1/clients/cityline/history", "supervisor", 403);

        foreach (var key in App.Keys.Values.Append(firstKey).Append(secondKey))
        {
            Assert.All(answers, answer => Assert.DoesNotContain(key, answer));
            Assert.DoesNotContain(key[ApiClient.KeyPrefix.Length..], string.Join("", answers));
        }

        await using var session = Store.QuerySession();
        foreach (var key in new[] { firstKey, secondKey })
            Assert.Equal(0, (await session.QueryAsync<int>(
                "select ((select count(*) from rectify.mt_events where data::text like ?) + (select count(*) from rectify.mt_doc_apiclient where data::text like ?))::int",
                $"%{key[3..]}%", $"%{key[3..]}%")).Single());
    }
}

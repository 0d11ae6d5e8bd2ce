using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rectify.Identity;
using Rectify.PersonalData;
using Rectify.Tests.Support;

namespace Rectify.Tests.PersonalData;

/// <summary>Residents' personal data over HTTP on real PostgreSQL: masked or not per role, the access log, erasure.</summary>
public sealed class PersonalDataApiTests(AppFixture app) : ApiTest(app)
{
    private static void HasResident(Reply reply, string? name, string? phone, bool masked, bool erased)
    {
        var issue = reply.Json;
        Assert.Equal(name, issue.GetProperty("residentName").GetString());
        Assert.Equal(phone, issue.GetProperty("residentPhone").GetString());
        Assert.Equal(masked, issue.GetProperty("personalDataMasked").GetBoolean());
        Assert.Equal(erased, issue.GetProperty("personalDataErased").GetBoolean());
    }

    private async Task<Guid> EscalatedToHousing()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/escalate", new { version = 1, departmentId = "housing", reason = "需区住建局统筹改造" }, "qicun-office", 200);
        return id;
    }

    private async Task<IReadOnlyList<JsonElement>> AccessLog(string query = "")
    {
        var page = (await Get($"/api/v1/access-log{query}", "auditor", 200)).Json;
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("supervisor")]
    [InlineData("qicun-office")]
    [InlineData("qicun-leader")]
    [InlineData("qicun-visitor")]
    [InlineData("housing")]
    public async Task The_holder_the_town_and_the_district_see_the_resident_as_recorded(string client)
    {
        var id = await EscalatedToHousing();
        HasResident(await Get($"/api/v1/issues/{id}", client, 200), "王秀英", "13800001234", masked: false, erased: false);
        HasResident(await Get($"/api/v1/issues/{id}?version=1", client, 200), "王秀英", "13800001234", masked: false, erased: false);
    }

    /// <summary>Escalated to housing, which asked to re-route it, and re-routed by a supervisor to transport.</summary>
    private async Task<Guid> ReroutedFromHousingToTransport()
    {
        var id = await EscalatedToHousing();
        await Post($"/api/v1/issues/{id}/request-reroute", new { version = 2, reason = "应由交通局办理" }, "housing", 200);
        await Post($"/api/v1/issues/{id}/reroute", new { version = 3, departmentId = "transport" }, "supervisor", 200);
        return id;
    }

    // Other towns and departments that never held the issue are covered by the pure tests; the role x route matrix of
    // scoped reads decides whether they may read the issue at all.
    [Theory]
    [InlineData("auditor")]
    [InlineData("housing")]
    public async Task Everyone_else_sees_the_resident_masked_even_a_department_that_held_the_issue_before(string client)
    {
        var id = await ReroutedFromHousingToTransport();
        var reply = await Get($"/api/v1/issues/{id}", client, 200);
        HasResident(reply, "王**", "138****1234", masked: true, erased: false);
        Assert.DoesNotContain("王秀英", reply.Text);
        Assert.DoesNotContain("13800001234", reply.Text);
        HasResident(await Get($"/api/v1/issues/{id}?version=2", client, 200), "王**", "138****1234", masked: true, erased: false);
        HasResident(await Get($"/api/v1/issues/{id}?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}", client, 200),
            "王**", "138****1234", masked: true, erased: false);
        HasResident(await Get($"/api/v1/issues/{id}", "transport", 200), "王秀英", "13800001234", masked: false, erased: false);
    }

    [Fact]
    public async Task A_department_sees_the_resident_only_while_it_holds_the_issue()
    {
        var id = await Collect();
        // A department that never held the issue may not read it at all (the access table), let alone its resident.
        await Get($"/api/v1/issues/{id}", "housing", 403);
        await Post($"/api/v1/issues/{id}/escalate", new { version = 1, departmentId = "housing", reason = "需区住建局统筹改造" }, "qicun-office", 200);
        HasResident(await Get($"/api/v1/issues/{id}", "housing", 200), "王秀英", "13800001234", masked: false, erased: false);
        // A past version read today is decided on today's holder: housing held nothing at version 1, but holds it now.
        HasResident(await Get($"/api/v1/issues/{id}?version=1", "housing", 200), "王秀英", "13800001234", masked: false, erased: false);
    }

    [Fact]
    public async Task An_issue_without_contact_details_shows_none_and_logs_nothing()
    {
        var id = await Collect(b => { b.Remove("residentName"); b.Remove("residentPhone"); });
        HasResident(await Get($"/api/v1/issues/{id}", "qicun-office", 200), null, null, masked: false, erased: false);
        Assert.Empty(await AccessLog());
    }

    [Fact]
    public async Task Every_read_as_recorded_is_logged_with_who_which_issue_when_and_route_and_masked_reads_are_not()
    {
        var moment = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.FromHours(8));
        App.Clock.Set(moment);
        var id = await EscalatedToHousing();
        var other = await Collect();

        await Get($"/api/v1/issues/{id}", "auditor", 200);
        await Get($"/api/v1/issues/{id}?version=1", "auditor", 200);
        await Get($"/api/v1/issues/{id}/history", "qicun-office", 200);
        Assert.Empty(await AccessLog());

        await Get($"/api/v1/issues/{id}", "housing", 200);
        App.Clock.Set(moment.AddSeconds(1));
        await Get($"/api/v1/issues/{id}?version=1", "qicun-office", 200);
        App.Clock.Set(moment.AddSeconds(2));
        await Get($"/api/v1/issues/{other}", "supervisor", 200);

        var entries = await AccessLog();
        Assert.Equal(3, entries.Count);
        var first = entries[0];
        Assert.Equal(id, first.GetProperty("issueId").GetGuid());
        Assert.Equal("housing", first.GetProperty("client").GetString());
        Assert.Equal("department", first.GetProperty("role").GetString());
        Assert.Equal("housing", first.GetProperty("departmentId").GetString());
        Assert.Equal("GET /api/v1/issues/{id}", first.GetProperty("route").GetString());
        Assert.Equal($"/api/v1/issues/{id}", first.GetProperty("path").GetString());
        Assert.Equal(["residentName", "residentPhone"], first.GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(moment, first.GetProperty("at").GetDateTimeOffset());
        Assert.Equal(("qicun-office", "town-office", "qicun", $"/api/v1/issues/{id}?version=1"),
            (entries[1].GetProperty("client").GetString(), entries[1].GetProperty("role").GetString(),
             entries[1].GetProperty("townId").GetString(), entries[1].GetProperty("path").GetString()));
        Assert.Equal(other, entries[2].GetProperty("issueId").GetGuid());

        // Stored apart from the issue history: its own table, no event.
        await using var session = Store.QuerySession();
        Assert.Equal(3, (await session.QueryAsync<int>("select count(*)::int from rectify.mt_doc_personaldataread")).Single());
        Assert.Equal(0, (await session.QueryAsync<int>("select count(*)::int from rectify.mt_events where type like '%read%' or type like '%access%'")).Single());
    }

    [Fact]
    public async Task The_access_log_filters_by_issue_client_and_time_and_pages()
    {
        var nine = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8));
        App.Clock.Set(nine);
        var id = await EscalatedToHousing();
        var other = await Collect();
        await Get($"/api/v1/issues/{id}", "housing", 200);
        App.Clock.Set(nine.AddHours(1));
        await Get($"/api/v1/issues/{id}", "qicun-office", 200);
        App.Clock.Set(nine.AddHours(2));
        await Get($"/api/v1/issues/{other}", "qicun-office", 200);

        Assert.Equal(2, (await AccessLog($"?issueId={id}")).Count);
        Assert.Equal(2, (await AccessLog("?client=qicun-office")).Count);
        Assert.Single(await AccessLog($"?client=qicun-office&issueId={other}"));
        Assert.Equal(2, (await AccessLog($"?from={Uri.EscapeDataString("2026-12-01T09:30:00+08:00")}")).Count);
        Assert.Equal("housing", Assert.Single(await AccessLog($"?to={Uri.EscapeDataString("2026-12-01T09:30:00+08:00")}")).GetProperty("client").GetString());

        var page = (await Get("/api/v1/access-log?page=2&pageSize=2", "supervisor", 200)).Json;
        Assert.Equal((2, 2, 3), (page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("total").GetInt32()));
        Assert.Single(page.GetProperty("items").EnumerateArray());

        var bad = await Get("/api/v1/access-log?issueId=nope&from=yesterday&pageSize=0", "admin", 400);
        Assert.Equal(["from", "issueId", "pageSize"], bad.ErrorFields.Order());
    }

    [Theory]
    [InlineData("qicun-office")]
    [InlineData("qicun-visitor")]
    [InlineData("housing")]
    public async Task Only_auditors_supervisors_and_admins_read_the_access_log(string client)
    {
        var id = await Collect();
        await Get($"/api/v1/issues/{id}", "qicun-office", 200);
        var refused = await Get("/api/v1/access-log", client, 403);
        Assert.DoesNotContain(id.ToString(), refused.Text);
    }

    private async Task<int> ContactRows(Guid issueId)
    {
        await using var session = Store.QuerySession();
        return (await session.QueryAsync<int>(
            "select count(*)::int from rectify.mt_doc_residentcontact where data ->> 'issueId' = ?", issueId.ToString())).Single();
    }

    [Fact]
    public async Task An_admin_erases_the_residents_data_the_history_stays_and_says_so_and_no_figure_moves()
    {
        App.Clock.Set(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        var id = await EscalatedToHousing();
        var kept = await Collect();
        var historyBefore = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().Select(e => e.GetRawText()).ToList();
        var ledgerBefore = (await Get("/api/v1/ledgers/towns/qicun", "supervisor", 200)).Text;
        var statisticsBefore = (await Get("/api/v1/statistics", "supervisor", 200)).Text;
        Assert.Equal(1, await ContactRows(id));

        var erased = await Post($"/api/v1/issues/{id}/erase-personal-data", new { reason = "居民书面申请删除个人信息" }, "admin", 200);
        Assert.Equal(("escalated", 3L), (erased.Status, erased.Version));

        // Gone from the database, not hidden: the contact row is deleted; the other issue's is kept.
        Assert.Equal(0, await ContactRows(id));
        Assert.Equal(1, await ContactRows(kept));
        await using (var session = Store.QuerySession())
        {
            var left = await session.QueryAsync<int>(
                "select count(*)::int from rectify.mt_events where data::text like '%王秀英%' or data::text like '%13800001234%'");
            Assert.Equal(0, left.Single());
        }

        // Every read shows it as erased, to every role, at any version.
        foreach (var client in new[] { "admin", "qicun-office", "housing", "auditor" })
            HasResident(await Get($"/api/v1/issues/{id}", client, 200), null, null, masked: false, erased: true);
        HasResident(await Get($"/api/v1/issues/{id}?version=1", "qicun-office", 200), null, null, masked: false, erased: true);

        // The history is intact and gains one entry: when, by whom, why; not what.
        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal(historyBefore, history.Take(historyBefore.Count).Select(e => e.GetRawText()));
        var entry = Assert.Single(history.Skip(historyBefore.Count));
        Assert.Equal("issue_personal_data_erased.v1", entry.GetProperty("type").GetString());
        Assert.Equal("admin", entry.GetProperty("actor").GetProperty("clientName").GetString());
        Assert.Equal("居民书面申请删除个人信息", entry.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(["issueId", "reason", "actor", "occurredAt"], entry.GetProperty("data").EnumerateObject().Select(p => p.Name));

        // No figure moves: the ledger and the statistics read the same.
        Assert.Equal(ledgerBefore, (await Get("/api/v1/ledgers/towns/qicun", "supervisor", 200)).Text);
        Assert.Equal(statisticsBefore, (await Get("/api/v1/statistics", "supervisor", 200)).Text);

        // Reads after the erasure disclose nothing, so log nothing.
        Assert.Empty(await AccessLog($"?issueId={id}&from={Uri.EscapeDataString("2026-12-01T09:00:00+08:00")}"));

        // And the issue's work goes on.
        await Post($"/api/v1/issues/{id}/accept", new { version = 3, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing", 200);
    }

    [Fact]
    public async Task Erasure_is_refused_to_others_needs_a_reason_and_happens_once()
    {
        var id = await Collect();
        var count = await StoredEventCount();

        foreach (var client in new[] { "supervisor", "auditor", "qicun-office" })
            await Post($"/api/v1/issues/{id}/erase-personal-data", new { reason = "r" }, client, 403);
        var invalid = await Post($"/api/v1/issues/{id}/erase-personal-data", new { }, "admin", 400);
        Assert.Equal(["reason"], invalid.ErrorFields);
        await Post($"/api/v1/issues/{Guid.NewGuid()}/erase-personal-data", new { reason = "r" }, "admin", 404);
        await Post($"/api/v1/issues/{Guid.Empty}/erase-personal-data", new { reason = "r" }, "admin", 404);
        await Post($"/api/v1/issues/{Guid.Empty}/erase-personal-data", new { }, "admin", 400);
        Assert.Equal(count, await StoredEventCount());

        await Post($"/api/v1/issues/{id}/erase-personal-data", new { reason = "居民申请" }, "admin", 200);
        var again = await Post($"/api/v1/issues/{id}/erase-personal-data", new { reason = "再次" }, "admin", 409);
        Assert.Equal("collected", again.Json.GetProperty("currentStatus").GetString());
        Assert.Equal(2, again.Json.GetProperty("currentVersion").GetInt64());
    }

    [Fact]
    public async Task Ops_cli_answers_the_all_zero_id_as_no_issue()
    {
        var (exitCode, output) = await Checkout.RunToEnd("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Rectify.dll"), "erase-personal-data", Guid.Empty.ToString(), "--reason", "居民来电申请"],
            info =>
            {
                info.WorkingDirectory = AppContext.BaseDirectory;
                info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            });
        Assert.True(exitCode != 0, output);
        Assert.Contains($"No issue with id {Guid.Empty}.", output);
    }

    [Fact]
    public async Task Ops_cli_erases_too()
    {
        var id = await Collect();
        var (exitCode, output) = await Checkout.RunToEnd("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "Rectify.dll"), "erase-personal-data", id.ToString(), "--reason", "居民来电申请", "--by", "li-admin"],
            info =>
            {
                info.WorkingDirectory = AppContext.BaseDirectory;
                info.Environment["DOTNET_ENVIRONMENT"] = "Production";
            });
        Assert.True(exitCode == 0, output);
        Assert.Equal(0, await ContactRows(id));
        var last = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().Last();
        Assert.Equal(("issue_personal_data_erased.v1", "li-admin", "admin"),
            (last.GetProperty("type").GetString(), last.GetProperty("actor").GetProperty("clientName").GetString(),
             last.GetProperty("actor").GetProperty("role").GetString()));
        HasResident(await Get($"/api/v1/issues/{id}", "qicun-office", 200), null, null, masked: false, erased: true);
    }

    [Fact]
    public async Task With_MaskAddress_the_address_is_masked_in_search_ledgers_exports_and_history_for_those_who_see_residents_masked()
    {
        const string address = "齐村镇齐村 3 号", masked = "齐村镇齐村****";
        var id = await ReroutedFromHousingToTransport();
        string[] search = ["/api/v1/issues?townId=qicun", "/api/v1/issues?townId=qicun&format=csv"];
        string[] town = ["/api/v1/ledgers/towns/qicun", $"/api/v1/issues/{id}/history"];
        string[] formerHolder = ["/api/v1/ledgers/departments/housing", $"/api/v1/issues/{id}/history"];
        string[] holder = ["/api/v1/ledgers/departments/transport", $"/api/v1/issues/{id}/history"];
        // Off by default: the address is part of the ledger for every reader.
        Assert.Contains(address, (await Get(search[0], "auditor", 200)).Text);

        var options = Host.Services.GetRequiredService<IOptions<PersonalDataOptions>>().Value;
        options.MaskAddress = true;
        try
        {
            var maskedReads = search.Concat(town).Concat(formerHolder).Concat(holder).Select(r => ("auditor", r)).Concat(formerHolder.Select(r => ("housing", r)));
            foreach (var (client, read) in maskedReads)
            {
                var text = (await Get(read, client, 200)).Text;
                Assert.True(text.Contains(masked) && !text.Contains(address), $"{client} {read}: {text}");
            }
            var unmaskedReads = search.Concat(town).Concat(formerHolder).Concat(holder).Select(r => ("supervisor", r))
                .Concat(search.Concat(town).Select(r => ("qicun-office", r))).Concat(holder.Select(r => ("transport", r)));
            foreach (var (client, read) in unmaskedReads)
            {
                var text = (await Get(read, client, 200)).Text;
                Assert.True(text.Contains(address) && !text.Contains(masked), $"{client} {read}: {text}");
            }

            // With the setting on the address is personal data: each unmasked read is logged, a masked one is not.
            await using var session = Store.QuerySession();
            var logged = (await session.Query<Rectify.PersonalData.PersonalDataRead>().Where(r => r.IssueId == id).ToListAsync())
                .Where(r => r.Fields.Contains("address")).ToList();
            Assert.Equal(unmaskedReads.Count(), logged.Count);
            Assert.DoesNotContain(logged, r => r.Client is "auditor" or "housing");
            Assert.Contains(logged, r => r.Client == "qicun-office" && r.Route == "GET /api/v1/ledgers/towns/{townId}");

            // An export holds the address as recorded (its hashes cover it): refused to those who see it masked, logged for the others.
            var refused = await Get($"/api/v1/issues/{id}/export", "auditor", 403);
            Assert.DoesNotContain(address, refused.Text);
            Assert.Contains(address, (await Get($"/api/v1/issues/{id}/export?format=csv", "qicun-office", 200)).Text);
            var exported = await session.Query<Rectify.PersonalData.PersonalDataRead>()
                .Where(r => r.IssueId == id && r.Route == "GET /api/v1/issues/{id}/export").ToListAsync();
            Assert.Equal("qicun-office", Assert.Single(exported).Client);
        }
        finally
        {
            options.MaskAddress = false;
        }
    }
}

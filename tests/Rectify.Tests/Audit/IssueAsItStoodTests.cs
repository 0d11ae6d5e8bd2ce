using Marten;
using Rectify.Tests.Support;

namespace Rectify.Tests.Audit;

/// <summary>Time travel: an issue as it stood at a version or a stored moment, rebuilt from its events.</summary>
public sealed class IssueAsItStoodTests(AppFixture app) : ApiTest(app)
{
    private static string Moment(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz"));

    /// <summary>A moment between two stored acts: the database stamps each event with its own clock, on this machine.</summary>
    private static async Task<DateTimeOffset> Between()
    {
        await Task.Delay(20);
        var now = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        return now;
    }

    [Fact]
    public async Task An_issue_reads_as_it_stood_at_a_version_or_a_stored_moment_from_its_events()
    {
        var before = await Between();
        var id = await Collect();
        var collected = await Between();
        await Post($"/api/v1/issues/{id}/assign", new { version = 1, measures = "更换路灯", responsibleOffice = "综治中心", responsiblePerson = "李明" }, "qicun-office", 200);
        var assigned = await Between();
        await Post($"/api/v1/issues/{id}/accept", new { version = 2 }, "qicun-office", 200);

        var atOne = (await Get($"/api/v1/issues/{id}?version=1", "auditor", 200)).Json;
        Assert.Equal((1, "collected"), (atOne.GetProperty("version").GetInt32(), atOne.GetProperty("status").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, atOne.GetProperty("unitId").ValueKind);
        var atTwo = await Get($"/api/v1/issues/{id}?version=2", "auditor", 200);
        Assert.Equal("assigned", atTwo.Json.GetProperty("status").GetString());
        Assert.Equal(atOne.ToString(), (await Get($"/api/v1/issues/{id}?asOf={Moment(collected)}", "auditor", 200)).Json.ToString());
        Assert.Equal(atTwo.Text, (await Get($"/api/v1/issues/{id}?asOf={Moment(assigned)}", "auditor", 200)).Text);
        Assert.Equal("in-progress", (await Get($"/api/v1/issues/{id}", "auditor", 200)).Json.GetProperty("status").GetString());

        // Rebuilt from the events, not read from today's document: a changed document row does not show through.
        await using (var session = Store.LightweightSession())
        {
            session.QueueSqlCommand("update rectify.mt_doc_issue set data = jsonb_set(data, '{townId}', '\"tampered\"') where id = ?", id);
            await session.SaveChangesAsync();
        }
        Assert.Equal("tampered", (await Get($"/api/v1/issues/{id}", "auditor", 200)).Json.GetProperty("townId").GetString());
        Assert.Equal("qicun", (await Get($"/api/v1/issues/{id}?version=3", "auditor", 200)).Json.GetProperty("townId").GetString());

        await Get($"/api/v1/issues/{id}?version=4", "auditor", 404);
        await Get($"/api/v1/issues/{id}?asOf={Moment(before)}", "auditor", 404);
        Assert.Equal(["asOf"], (await Get($"/api/v1/issues/{id}?version=1&asOf={Moment(assigned)}", "auditor", 400)).ErrorFields);
        Assert.Equal(["version"], (await Get($"/api/v1/issues/{id}?version=abc", "auditor", 400)).ErrorFields);
        Assert.Equal(["version"], (await Get($"/api/v1/issues/{id}?version=0", "auditor", 400)).ErrorFields);
    }
}

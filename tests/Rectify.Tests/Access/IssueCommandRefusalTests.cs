using Microsoft.Extensions.DependencyInjection;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Identity.Access;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

/// <summary>
/// An issue command refused by the access table answers at the command's 403 step: after the body (400) and the issue (404),
/// before the version and the state, and appends nothing.
/// </summary>
public sealed class IssueCommandRefusalTests(AppFixture app) : ApiTest(app)
{
    public static IEnumerable<object[]> Refused() =>
        from rule in RouteAccess.Rules
        where rule.Scope == ScopeFrom.IssueCommand
        from role in new[] { Role.Auditor, Role.Visitor, Role.TownLeader, Role.Department, Role.DistrictSupervisor }
        where !rule.Roles.Contains(role)
        select new object[] { rule.Template, role };

    /// <summary>Every field any issue command requires, so that the body passes and the refusal is what answers.</summary>
    private object Valid
    {
        get
        {
            var calendar = Host.Services.GetRequiredService<WorkingCalendar>();
            var later = calendar.NextWorkingDay(WorkingCalendar.ShanghaiDate(App.Clock.GetUtcNow()).AddDays(20)).ToString("yyyy-MM-dd");
            return new
            {
                version = 1, reason = "r", outcome = "o", satisfaction = "satisfied", departmentId = "transport", unitId = "qicun-governance",
                measures = "m", responsibleOffice = "o", responsiblePerson = "p", newDeadline = later, note = "n", explanation = "e",
                milestones = new[] { new { dueDate = later, description = "d" } }
            };
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task The_table_refuses_a_role_after_the_body_and_the_issue(string template, Role role)
    {
        var id = await Collect();
        var client = AccessMatrixTests.ClientOf[role];
        var url = template.Replace("{id}", id.ToString());
        var before = await StoredEventCount();

        await Post(url, "{}", client, 400);
        await Post(template.Replace("{id}", Guid.NewGuid().ToString()), Valid, client, 404);
        var refused = await Post(url, Valid, client, 403);
        Assert.Contains($"may not call POST {template}", refused.Json.GetProperty("detail").GetString());
        Assert.Equal(before, await StoredEventCount());
    }

    public static IEnumerable<object[]> Commands() =>
        RouteAccess.Rules.Where(r => r.Scope == ScopeFrom.IssueCommand).Select(r => new object[] { r.Template }).Distinct();

    /// <summary>The all-zero id is an unknown issue like any other: 404 after a bad body's 400, never a 500.</summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public async Task The_all_zero_id_is_not_found(string template)
    {
        var url = template.Replace("{id}", Guid.Empty.ToString());
        await Post(url, "{}", "admin", 400);
        // Counted after the first read of the calendar, which stores the year's stream on a fresh database.
        var before = await StoredEventCount();
        await Post(url, Valid, "admin", 404);
        await Post(url, Valid, "supervisor", 404);
        Assert.Equal(before, await StoredEventCount());
    }
}

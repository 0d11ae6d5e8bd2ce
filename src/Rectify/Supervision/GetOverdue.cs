using Rectify.Querying;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Supervision;

public sealed record OverdueItem(
    Guid IssueId, IssueStatus Status, string TownId, string CategoryId, SupervisionClock Clock, DateOnly DueDate,
    int WorkingDaysOverdue, int Level, bool Provisional);

public sealed record OverdueUnit(string UnitId, string UnitName, IReadOnlyList<OverdueItem> Items);

public sealed record OverdueReport(DateOnly AsOf, int Total, IReadOnlyList<OverdueUnit> Units);

/// <summary>
/// Everything overdue now: each clock that ran out and still runs (nobody has yet done what was due), by the unit
/// that holds the issue, oldest first, with how many working days it is overdue.
/// </summary>
public static class GetOverdueEndpoint
{
    [WolverineGet("/api/v1/supervision/overdue")]
    [EndpointSummary("Every clock that ran out and still runs, by the unit holding the issue, oldest first")]
    [Tags("Inboxes and supervision")]
    [ProducesResponseType<OverdueReport>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<Ok<OverdueReport>, ProblemHttpResult>> Get(string? townId, string? unitId, HttpContext http, IQuerySession session,
        DistrictReferenceData references, LiveCalendar live, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (actor.Role == Role.Visitor) return Problems.Forbidden("Visitors do not read the supervision list.");
        // Optional filters within the caller's scope (a town or unit outside it was refused by the access table).
        townId = Filters.Given(townId);
        unitId = Filters.Given(unitId);
        var errors = new Dictionary<string, string[]>();
        if (townId is not null && references.FindTown(townId) is null) errors["townId"] = [$"Unknown town '{townId}'."];
        if (unitId is not null && references.FindUnit(unitId) is null && references.FindTown(unitId) is null)
            errors["unitId"] = [$"Unknown unit '{unitId}'."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var calendar = await live.LoadAsync(session, http.RequestAborted);

        var today = WorkingCalendar.ShanghaiDate(clock.GetUtcNow());
        var issues = await session.QueryAsync<Issue>("where jsonb_array_length(data -> 'overdue') > 0", http.RequestAborted);
        var items = issues
            .Where(i => Sees(actor, i))
            .SelectMany(i => SupervisionCheck.OpenOverdue(i).Select(o => (Unit: i.UnitId ?? i.TownId, Item: new OverdueItem(
                i.Id, i.Status, i.TownId, i.CategoryId, o.Clock, o.DueDate, calendar.WorkingDaysBetween(o.DueDate, today), o.Level,
                Counted(i, o) && calendar.IsProvisional(o.DueDate)))))
            .Where(x => (townId == null || x.Item.TownId == townId) && (unitId == null || x.Unit == unitId))
            .ToList();

        var units = items
            .GroupBy(x => x.Unit)
            .Select(g => new OverdueUnit(g.Key, UnitName(references, g.Key),
                g.Select(x => x.Item).OrderBy(x => x.DueDate).ThenBy(x => x.IssueId).ToList()))
            .OrderBy(u => u.Items[0].DueDate).ThenBy(u => u.UnitId)
            .ToList();
        return TypedResults.Ok(new OverdueReport(today, items.Count, units));
    }

    /// <summary>Whether Rectify counted the clock's date in working days (not a person's deadline or milestone).</summary>
    internal static bool Counted(Issue issue, Overdue o) => o.Clock switch
    {
        SupervisionClock.Acceptance or SupervisionClock.Feedback or SupervisionClock.Assignment => true,
        SupervisionClock.Handling => o.ClockId == issue.DeadlineId && issue.DeadlineCounted,
        _ => false
    };

    /// <summary>A town's roles see their town's overdue clocks, a department those of what it holds, the district all.</summary>
    private static bool Sees(Actor actor, Issue issue) => Identity.Access.ReadScope.Of(actor) switch
    {
        { IsDistrict: true } => true,
        { TownId: { } town } => issue.TownId == town,
        var scope => issue.UnitId == scope.DepartmentId
    };

    private static string UnitName(DistrictReferenceData references, string id) =>
        references.FindUnit(id)?.Name ?? references.FindTown(id)?.Name ?? id;
}

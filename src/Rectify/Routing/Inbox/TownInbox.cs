using Rectify.Querying;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.ReferenceData;
using Rectify.Supervision;

namespace Rectify.Routing.Inbox;

/// <summary>
/// A town's own inbox (<c>GET /api/v1/units/{townId}/inbox</c>): the issues it holds unrouted, collected or returned
/// to it, which it must assign or escalate before their assignment clock runs out. Earliest due first.
/// </summary>
public static class TownInbox
{
    public static async Task<Results<Ok<InboxPage>, ProblemHttpResult>> Get(Town town, Querying.Paging paging, Actor actor, IQuerySession session, WorkingCalendar calendar,
        SupervisionOptions options, TimeProvider clock, CancellationToken cancellation)
    {
        if (!MayRead(actor, town)) return Problems.Forbidden($"Only the offices of {town.Id}, a district supervisor or an auditor may read its inbox.");

        var today = WorkingCalendar.ShanghaiDate(clock.GetUtcNow());
        // Unrouted issues do not stay long (a working day by default): the town's are read whole and ordered here,
        // by the due date the current calendar gives.
        var waiting = await session.Query<Issue>().Where(i => i.TownId == town.Id && i.Status == IssueStatus.Collected).ToListAsync(cancellation);
        var items = waiting
            .Select(i => ToAssign(i, AssignmentClock.Open(i, calendar, options)!.DueDate, today, calendar))
            .OrderBy(x => x.DueBy).ThenBy(x => x.ReceivedAt).ThenBy(x => x.IssueId)
            .ToList();
        var page = items.Skip((paging.Page - 1) * paging.PageSize).Take(paging.PageSize).ToList();
        return TypedResults.Ok(new InboxPage(town.Id, town.Name, paging.Page, paging.PageSize, items.Count, page));
    }

    public static InboxItem ToAssign(Issue issue, DateOnly dueBy, DateOnly today, WorkingCalendar calendar) =>
        new(issue.Id, issue.Status, InboxItemKind.ToAssign, issue.TownId, issue.CategoryId, issue.CollectedAt, AssignmentClock.Since(issue),
            AcceptBy: null, Deadline: null, dueBy, dueBy < today, RerouteRequested: false, ExtensionRequested: false,
            SupervisionCheck.OpenOverdue(issue).Select(o => o.Level).DefaultIfEmpty(0).Max(),
            // Always counted in working days by Rectify: provisional while its year has no holiday notice.
            Provisional: calendar.IsProvisional(dueBy));

    /// <summary>The town's own offices (their clients are the town's), supervisors, auditors.</summary>
    private static bool MayRead(Actor actor, Town town) =>
        actor.IsSupervisor || actor.Role is Role.Auditor or Role.ExternalSystem || (actor.Role is Role.TownOffice or Role.TownLeader && actor.TownId == town.Id);
}

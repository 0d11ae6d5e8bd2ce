using Rectify.Querying;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.ReferenceData;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Routing.Inbox;

/// <summary>What the holder must do next: assign (a town's unrouted issue), accept (签收) or handle.</summary>
public enum InboxItemKind { ToAssign, ToAccept, ToHandle }

/// <summary>AcceptBy is null for an issue to assign: nothing was routed yet.</summary>
public sealed record InboxItem(
    Guid IssueId, IssueStatus Status, InboxItemKind Kind, string TownId, string CategoryId, DateTimeOffset CollectedAt, DateTimeOffset ReceivedAt,
    DateOnly? AcceptBy, DateOnly? Deadline, DateOnly? DueBy, bool Overdue, bool RerouteRequested, bool ExtensionRequested,
    int SupervisionLevel, bool Provisional);

public sealed record InboxPage(string UnitId, string UnitName, int Page, int PageSize, long Total, IReadOnlyList<InboxItem> Items);

/// <summary>
/// What a unit must act on: issues it holds that reached its inbox and are waiting for acceptance or work,
/// the earliest due date first (see DueBy).
/// </summary>
public static class GetUnitInboxEndpoint
{
    private static readonly string[] OpenStatuses = [nameof(IssueStatus.Assigned), nameof(IssueStatus.Escalated), nameof(IssueStatus.InProgress)];

    // Issues the unit holds now, in an open status, whose current routing reached the unit's inbox.
    private const string From = """
        from rectify.mt_doc_inboxentry e
        join rectify.mt_doc_issue i on i.id = (e.data ->> 'issueId')::uuid and (i.data ->> 'routingId')::uuid = e.id
        where e.data ->> 'unitId' = ? and i.data ->> 'unitId' = e.data ->> 'unitId' and i.data ->> 'status' = any(?)
        """;

    private sealed record Row(Issue Issue, InboxEntry Entry);

    [WolverineGet("/api/v1/units/{unitId}/inbox")]
    [EndpointSummary("What a unit (or a town, under its id) must act on: assign, accept or handle; earliest due first")]
    [Tags("Inboxes and supervision")]
    [ProducesResponseType<InboxPage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<Results<Ok<InboxPage>, ProblemHttpResult>> Get(string unitId, int? page, int? pageSize, HttpContext http, IQuerySession session,
        DistrictReferenceData references, LiveCalendar live, TimeProvider clock, IOptions<Supervision.SupervisionOptions> options)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Querying.Paging.Read(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var unit = references.FindUnit(unitId);
        var actor = ApiKeyAuthentication.ActorOf(http);
        var calendar = await live.LoadAsync(session, http.RequestAborted);
        // A town id names the town itself, as for notices: its inbox holds what it must still assign.
        if (unit is null && references.FindTown(unitId) is { } town)
            return await TownInbox.Get(town, paging, actor, session, calendar, options.Value, clock, http.RequestAborted);
        if (unit is null) return Problems.NotFound("unit or town", unitId);
        if (!MayRead(actor, unit)) return Problems.Forbidden($"Only {unit.Id} itself, a district supervisor or an auditor may read its inbox.");

        var (number, size) = (paging.Page, paging.PageSize);
        var today = WorkingCalendar.ShanghaiDate(clock.GetUtcNow());
        var total = (await session.QueryAsync<long>($"select count(*) {From}", http.RequestAborted, unitId, OpenStatuses)).Single();
        var rows = await session.QueryAsync<Row>(
            $"select jsonb_build_object('issue', i.data, 'entry', e.data) {From} order by {DueBySql}, i.data ->> 'collectedAt' limit ? offset ?",
            http.RequestAborted, unitId, OpenStatuses, size, (number - 1) * size);

        var items = rows.Select(r =>
        {
            var (i, entry) = (r.Issue, r.Entry);
            var dueBy = DueBy(i.Status, entry.AcceptBy, i.Deadline);
            var kind = i.Status == IssueStatus.InProgress ? InboxItemKind.ToHandle : InboxItemKind.ToAccept;
            return new InboxItem(i.Id, i.Status, kind, i.TownId, i.CategoryId, i.CollectedAt, entry.ReceivedAt, entry.AcceptBy, i.Deadline,
                dueBy, dueBy < today, i.PendingReroute is not null, i.PendingExtension is not null,
                Supervision.SupervisionCheck.OpenOverdue(i).Select(o => o.Level).DefaultIfEmpty(0).Max(),
                dueBy is { } due && calendar.IsProvisional(due) && (due != i.Deadline || i.DeadlineCounted));
        }).ToList();
        return TypedResults.Ok(new InboxPage(unit.Id, unit.Name, number, size, total, items));
    }

    /// <summary>
    /// The earliest date of the clocks the unit is under: before acceptance both the acceptance date and, for an
    /// assignment, its deadline (which may come first: a deadline of today, acceptance due the next working day);
    /// after acceptance the deadline alone.
    /// </summary>
    public static DateOnly? DueBy(IssueStatus status, DateOnly acceptBy, DateOnly? deadline) =>
        status == IssueStatus.InProgress ? deadline
        : deadline is { } due && due < acceptBy ? due
        : acceptBy;

    // The same rule in SQL, for ordering in the database (ISO dates sort as text; least() skips a null deadline).
    private const string DueBySql =
        "case when i.data ->> 'status' = 'InProgress' then i.data ->> 'deadline' else least(e.data ->> 'acceptBy', i.data ->> 'deadline') end";

    /// <summary>Who may read what was sent to a unit: the unit itself (its town's offices for a town office), supervisors, auditors.</summary>
    internal static bool MayRead(Actor actor, Unit unit) =>
        // An external system got here only with the route on its client: district scope, like an auditor.
        actor.IsSupervisor || actor.Role is Role.Auditor or Role.ExternalSystem || unit.Kind switch
        {
            UnitKind.Department => actor.Role == Role.Department && actor.DepartmentId == unit.Id,
            _ => actor.Role is Role.TownOffice or Role.TownLeader && actor.TownId == unit.TownId
        };
}

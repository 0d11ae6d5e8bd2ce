using Rectify.Querying;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.ReferenceData;
using Rectify.Routing.Inbox;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Supervision;

public sealed record NoticeItem(
    Guid NoticeId, Guid IssueId, string TownId, string? UnitId, string CategoryId, SupervisionClock Clock, DateOnly DueDate,
    int Level, DateTimeOffset NotifiedAt, DateTimeOffset ReceivedAt);

public sealed record NoticePage(string RecipientId, string RecipientName, int Page, int PageSize, long Total, IReadOnlyList<NoticeItem> Items);

/// <summary>
/// The supervision notices (督办) a recipient received, the latest first: a unit's (town office or department), a
/// town's (under its town id, the party the notices name), and the district supervisor's.
/// </summary>
public static class GetNoticesEndpoint
{
    [WolverineGet("/api/v1/units/{unitId}/notices")]
    [EndpointSummary("The supervision notices (督办) a unit or town received, latest first")]
    [Tags("Inboxes and supervision")]
    [ProducesResponseType<NoticePage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<Results<Ok<NoticePage>, ProblemHttpResult>> ForUnit(string unitId, int? page, int? pageSize, HttpContext http, IQuerySession session,
        DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Querying.Paging.Read(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var actor = ApiKeyAuthentication.ActorOf(http);
        if (references.FindUnit(unitId) is { } unit)
            return GetUnitInboxEndpoint.MayRead(actor, unit)
                ? await Page(unit.Id, unit.Name, paging, session, http.RequestAborted)
                : Problems.Forbidden($"Only {unit.Id} itself, a district supervisor or an auditor may read its notices.");
        if (references.FindTown(unitId) is { } town)
            return actor.IsSupervisor || actor.Role is Role.Auditor or Role.ExternalSystem || (actor.Role is Role.TownOffice or Role.TownLeader && actor.TownId == town.Id)
                ? await Page(town.Id, town.Name, paging, session, http.RequestAborted)
                : Problems.Forbidden($"Only the offices of {town.Id}, a district supervisor or an auditor may read its notices.");
        return Problems.NotFound("unit or town", unitId);
    }

    [WolverineGet("/api/v1/supervision/notices")]
    [EndpointSummary("The supervision notices the district supervisor received, latest first")]
    [Tags("Inboxes and supervision")]
    [ProducesResponseType<NoticePage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<Ok<NoticePage>, ProblemHttpResult>> ForDistrict(int? page, int? pageSize, HttpContext http, IQuerySession session,
        DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Querying.Paging.Read(page, pageSize, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);

        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsSupervisor && actor.Role is not (Role.Auditor or Role.ExternalSystem))
            return Problems.Forbidden("Only district supervisors and auditors read the district's supervision notices.");
        return await Page(SupervisionCheck.DistrictSupervisor, $"{references.District.Name}督导", paging, session, http.RequestAborted);
    }

    private static async Task<Ok<NoticePage>> Page(string recipientId, string name, Querying.Paging paging, IQuerySession session, CancellationToken cancellation)
    {
        var notices = session.Query<NoticeEntry>().Where(n => n.RecipientId == recipientId);
        var total = await notices.CountAsync(cancellation);
        var page = await notices.OrderByDescending(n => n.NotifiedAt).ThenByDescending(n => n.Level).ThenBy(n => n.Id)
            .Skip((paging.Page - 1) * paging.PageSize).Take(paging.PageSize).ToListAsync(cancellation);
        var items = page.Select(n => new NoticeItem(n.Id, n.IssueId, n.TownId, n.UnitId, n.CategoryId, n.Clock, n.DueDate, n.Level,
            n.NotifiedAt, n.ReceivedAt)).ToList();
        return TypedResults.Ok(new NoticePage(recipientId, name, paging.Page, paging.PageSize, total, items));
    }
}

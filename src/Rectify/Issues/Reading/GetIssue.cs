using Marten;
using Rectify.Infrastructure;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Issues.Reading;

public sealed record IssueView(
    Guid Id, long Version, IssueStatus Status, string TownId, string? CommunityId, string? GridId, string CategoryId,
    Channel Channel, DateTimeOffset CollectedAt, string? UnitId, UnitKind? UnitKind, DateOnly? Deadline,
    string? Measures, string? ResponsibleOffice, string? ResponsiblePerson, int ReturnCount, int ReworkCount,
    IssueOutcome? Outcome, Satisfaction? Satisfaction, IReadOnlyList<Milestone> Milestones, IReadOnlyList<DateOnly> ReportedMilestones,
    Guid? RelatedIssueId, DateTimeOffset LastActAt, IReadOnlyList<DeadlineChange> DeadlineHistory, PendingExtension? PendingExtension,
    PendingReroute? PendingReroute, IReadOnlyList<Overdue> Overdue)
{
    public static IssueView Of(Issue i) => new(i.Id, i.Version, i.Status, i.TownId, i.CommunityId, i.GridId, i.CategoryId,
        i.Channel, i.CollectedAt, i.UnitId, i.UnitKind, i.Deadline, i.Measures, i.ResponsibleOffice, i.ResponsiblePerson,
        i.ReturnCount, i.ReworkCount, i.Outcome, i.Satisfaction, i.Milestones, i.ReportedMilestones, i.RelatedIssueId, i.LastActAt,
        i.DeadlineHistory, i.PendingExtension, i.PendingReroute, i.Overdue);
}

public static class GetIssueEndpoint
{
    [WolverineGet("/api/v1/issues/{id}")]
    public static async Task<IResult> Get(string id, HttpContext http, IDocumentSession session)
    {
        if (!Guid.TryParse(id, out var issueId)) return Problems.Invalid("id", "The issue id in the path must be a UUID.");
        var issue = await session.Events.FetchLatest<Issue>(issueId, http.RequestAborted);
        if (issue is null) return Problems.NotFound("issue", id);
        http.Response.Headers.ETag = IssueCommandRunner.ETag(issue.Version);
        return TypedResults.Ok(IssueView.Of(issue));
    }
}

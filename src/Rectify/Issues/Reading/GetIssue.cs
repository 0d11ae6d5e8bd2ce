using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
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
    PendingReroute? PendingReroute, IReadOnlyList<Overdue> Overdue,
    string? ResidentName = null, string? ResidentPhone = null, bool PersonalDataMasked = false, bool PersonalDataErased = false)
{
    public static IssueView Of(Issue i) => new(i.Id, i.Version, i.Status, i.TownId, i.CommunityId, i.GridId, i.CategoryId,
        i.Channel, i.CollectedAt, i.UnitId, i.UnitKind, i.Deadline, i.Measures, i.ResponsibleOffice, i.ResponsiblePerson,
        i.ReturnCount, i.ReworkCount, i.Outcome, i.Satisfaction, i.Milestones, i.ReportedMilestones, i.RelatedIssueId, i.LastActAt,
        i.DeadlineHistory, i.PendingExtension, i.PendingReroute, i.Overdue);

    /// <summary>The resident's name and phone as this reader may see them (docs/security.md, residents' personal data).</summary>
    public IssueView With(PersonalData.ResidentData resident) => this with
    {
        ResidentName = resident.ResidentName, ResidentPhone = resident.ResidentPhone,
        PersonalDataMasked = resident.PersonalDataMasked, PersonalDataErased = resident.PersonalDataErased
    };
}

public static class GetIssueEndpoint
{
    /// <summary>
    /// The issue now, or as it stood at a past version (<c>?version=n</c>) or stored moment (<c>?asOf=</c>, when Rectify had
    /// recorded it: mt_events.timestamp, not the domain time the statistics' asOf uses), rebuilt from its events with the
    /// same fold the decisions use, not read from today's document.
    /// </summary>
    [WolverineGet("/api/v1/issues/{id}")]
    [Tags("Issues"), EndpointSummary("Read an issue, now or as it stood at a version or stored moment")]
    [ProducesResponseType<IssueView>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static async Task<IResult> Get(string id, string? version, string? asOf, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(id, out var issueId)) errors["id"] = ["The issue id in the path must be a UUID."];
        long? atVersion = null;
        if (Ledgers.Filters.Given(version) is { } v)
        {
            if (long.TryParse(v, out var n) && n >= 1) atVersion = n;
            else errors["version"] = ["Must be a whole number, at least 1."];
        }
        DateTimeOffset? atMoment = null;
        if (Ledgers.Filters.Given(asOf) is not null)
            atMoment = Statistics.StatisticsEndpoints.ParseAsOf(asOf, TimeProvider.System, errors);
        if (atVersion is not null && atMoment is not null)
            errors["asOf"] = ["Give version or asOf, not both."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        if (atVersion is null && atMoment is null)
        {
            var issue = await session.Events.FetchLatest<Issue>(issueId, http.RequestAborted);
            if (issue is null) return Problems.NotFound("issue", id);
            http.Response.Headers.ETag = IssueCommandRunner.ETag(issue.Version);
            return TypedResults.Ok(IssueView.Of(issue).With(await PersonalData.PersonalDataReads.ReadAsync(session, http, issue, clock)));
        }

        var events = atVersion is { } upTo
            ? await session.Events.FetchStreamAsync(issueId, version: upTo, token: http.RequestAborted)
            : await session.Events.FetchStreamAsync(issueId, timestamp: atMoment!.Value.ToUniversalTime(), token: http.RequestAborted);
        var issueEvents = events.Where(e => e.Data is IIssueEvent).ToList();
        if (issueEvents.Count == 0) return Problems.NotFound("issue", id);
        // Stored times only ever grow along a stream; if they do not, the events stored by asOf are no prefix of it
        // and no past state can be told from them (the stored times were changed: audit verify names the entry).
        if (events.Select((e, i) => e.Version == i + 1).Contains(false))
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The issue's stored times are out of order.",
                Detail = $"The events of issue {id} stored by {asOf} are versions {string.Join(", ", events.Select(e => e.Version))}, not 1 to {events.Count}: " +
                         "a later version was stored before an earlier one, so the issue as it stood then cannot be told. Run `audit verify --issue` to find the changed entry.",
                Type = "https://rectify.invalid/problems/stored-times-out-of-order"
            });
        // A version past the current one did not exist: not the current issue under another number.
        if (atVersion is { } asked && issueEvents[^1].Version < asked)
            return Problems.NotFound($"version {asked} of issue", id);
        var past = IssueView.Of(Issue.Fold(issueEvents.Select(e => e.Data)));
        // Who may see the resident's data, and whether it still exists, is decided on the issue as it stands now.
        var current = await session.Events.FetchLatest<Issue>(issueId, http.RequestAborted);
        return TypedResults.Ok(current is null ? past : past.With(await PersonalData.PersonalDataReads.ReadAsync(session, http, current, clock)));
    }
}

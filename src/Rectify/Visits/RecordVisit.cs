using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Visits;

[Description("A household visit (入户走访) as the visitor recorded it.")]
public sealed record RecordVisitRequest
{
    [Required, Description("The town (镇街) of the household."), Example("qicun")]
    public string? TownId { get; init; }

    [Description("The community; when given it must be the grid's."), Example("qicun-qicun")]
    public string? CommunityId { get; init; }

    [Required, Description("The grid (网格) whose register holds the household."), Example("qicun-qicun-01")]
    public string? GridId { get; init; }

    [Required, Description("The household (户) in the grid's register on the day of the visit."), Example("qicun-qicun-01-003")]
    public string? HouseholdId { get; init; }

    [Required, Description("The visitor (走访人)."), Example("visitor-017")]
    public string? VisitorId { get; init; }

    [Description("When the visit happened, with an offset; now when left out."), Example("2022-06-01T09:30:00+08:00")]
    public DateTimeOffset? OccurredAt { get; init; }

    [Description("Whether anyone was at home; true when left out."), Example(true)]
    public bool? AnyoneHome { get; init; }

    [Description("Leaflets handed out (0 to 1,000); 0 when left out."), Example(2L)]
    public long? Leaflets { get; init; }

    [Description("Issues of the town collected on this visit (at most 50).")]
    public IReadOnlyList<Guid>? IssueIds { get; init; }
}

[Description("The visit as stored: its id, and whether the household was registered on the spot.")]
public sealed record VisitRecorded(Guid Id, string GridId, string HouseholdId, bool RegisteredOnSpot);

public static class RecordVisitEndpoint
{
    public const int MaxLeaflets = 1000;
    public const int MaxIssues = 50;

    [WolverinePost("/api/v1/visits")]
    [Tags("Visits"), EndpointSummary("Record a household visit (入户走访)")]
    [ProducesResponseType<VisitRecorded>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<IResult> Post(RecordVisitRequest request, HttpContext http, IDocumentSession session, DistrictReferenceData references,
        TimeProvider clock, ReferenceDataCache cache, Microsoft.Extensions.Options.IOptions<ReferenceDataOptions> settings)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var body = RequestCheck.Of(http);
        var now = clock.GetUtcNow();
        var townId = body.Required("townId", request.TownId, 64);
        var communityId = body.Optional("communityId", request.CommunityId, 64);
        var gridId = body.Required("gridId", request.GridId, 64);
        var householdId = body.Required("householdId", request.HouseholdId, 64);
        var visitorId = body.Required("visitorId", request.VisitorId, 64);
        var occurredAt = body.Timestamp("occurredAt", request.OccurredAt, required: false) ?? now;
        var anyoneHome = request.AnyoneHome ?? true;
        var leaflets = body.Long("leaflets", request.Leaflets, required: false, min: 0) ?? 0;
        var issueIds = body.Items("issueIds", request.IssueIds, required: false, MaxIssues)?.Distinct().ToList() ?? [];

        if (townId is not null && references.FindTown(townId) is null) body.Fail("townId", $"Unknown town '{townId}'.");
        var grid = gridId is null ? null : references.FindGrid(gridId);
        if (gridId is not null && grid is null) body.Fail("gridId", $"Unknown grid '{gridId}'.");
        else if (grid is { } g && townId is not null && g.Town.Id != townId) body.Fail("gridId", $"Grid '{gridId}' is not in town '{townId}'.");
        else if (grid is { } h && communityId is not null && h.Community.Id != communityId) body.Fail("communityId", $"Grid '{gridId}' is not in community '{communityId}'.");
        // The household must be in the grid's register on the day of the visit (or, by setting, is registered now).
        var onSpot = false;
        var register = grid is null ? null : cache.AsOf(Calendar.WorkingCalendar.ShanghaiDate(occurredAt)).RegisterOf(gridId!);
        // A grid added after the day of the visit holds no household on that day.
        if (grid is not null && register is null)
            body.Fail("gridId", $"Grid '{gridId}' did not exist on {Calendar.WorkingCalendar.ShanghaiDate(occurredAt):yyyy-MM-dd}, the day of the visit.");
        else if (register is not null && householdId is not null && !register.Contains(householdId))
        {
            if (settings.Value.RegisterUnknownHouseholds) onSpot = Household.Problem(householdId) is null;
            if (!onSpot) body.Fail("householdId", $"No household '{householdId}' in the register of grid '{gridId}' (GET /api/v1/grids/{gridId}/households).");
        }
        if (leaflets > MaxLeaflets) body.Fail("leaflets", $"Must be at most {MaxLeaflets}.");
        if (occurredAt > now.AddMinutes(2)) body.Fail("occurredAt", "Must not be in the future.");
        foreach (var (issueId, index) in issueIds.Select((id, i) => (id, i)))
        {
            // Marten throws on the all-zero id; no issue has it.
            var issue = issueId == Guid.Empty ? null : await session.Events.FetchLatest<Issue>(issueId, http.RequestAborted);
            if (issue is null) body.Fail($"issueIds[{index}]", $"No issue with id {issueId}.");
            else if (townId is not null && issue.TownId != townId) body.Fail($"issueIds[{index}]", $"Issue {issueId} is not an issue of town {townId}.");
        }
        if (!body.IsValid) return Problems.Invalid(body.Errors);

        if (!(actor.IsSupervisor || actor.Role == Role.ExternalSystem || Issues.IssuePermissions.TownOfficeOf(actor, townId!) || Issues.IssuePermissions.VisitorOf(actor, townId!)))
            return Problems.Forbidden($"Only a visitor or office of town {townId}, or a district supervisor, may record visits there.");

        var visitId = Guid.CreateVersion7();
        session.Events.StartStream(visitId, new HouseholdVisited(visitId, townId!, grid!.Value.Community.Id, gridId!, householdId!, visitorId!,
            anyoneHome, (int)leaflets, issueIds, actor, occurredAt, onSpot ? true : null));
        if (onSpot)
            session.Events.Append(ReferenceDataStream.Id, new HouseholdRegisteredOnSpot(gridId!, householdId!, null, visitId,
                Calendar.WorkingCalendar.ShanghaiDate(occurredAt), actor, now));
        await session.SaveChangesAsync(http.RequestAborted);
        if (onSpot) await cache.RefreshAsync(http.RequestAborted);
        return TypedResults.Created($"/api/v1/visits/{visitId}", new VisitRecorded(visitId, gridId!, householdId!, onSpot));
    }
}

using Marten;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Visits;

public sealed record VisitRecorded(Guid Id, string GridId, string HouseholdId, bool RegisteredOnSpot);

public static class RecordVisitEndpoint
{
    public const int MaxLeaflets = 1000;
    public const int MaxIssues = 50;

    [WolverinePost("/api/v1/visits")]
    public static async Task<IResult> Post(HttpContext http, IDocumentSession session, DistrictReferenceData references, TimeProvider clock,
        ReferenceDataCache cache, Microsoft.Extensions.Options.IOptions<ReferenceDataOptions> settings)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted);
        var now = clock.GetUtcNow();
        var townId = body.RequiredString("townId", 64);
        var communityId = body.OptionalString("communityId", 64);
        var gridId = body.RequiredString("gridId", 64);
        var householdId = body.RequiredString("householdId", 64);
        var visitorId = body.RequiredString("visitorId", 64);
        var occurredAt = body.Timestamp("occurredAt", required: false) ?? now;
        var anyoneHome = body.Boolean("anyoneHome", defaultValue: true);
        var leaflets = body.Long("leaflets", required: false, min: 0) ?? 0;
        var issueIds = body.GuidArray("issueIds", MaxIssues) ?? [];

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

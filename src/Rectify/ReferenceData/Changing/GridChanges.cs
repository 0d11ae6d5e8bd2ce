using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.ReferenceData.Changing;

public sealed record AddCommunity(string CommunityId, string TownId, string Name);
public sealed record AddGrid(string GridId, string CommunityId, string Name, HouseholdRegister Register);
public sealed record ChangeHouseholds(string GridId, HouseholdRegister Register, string Source);

/// <summary>Communities and grids added; a grid's household register replaced (a count of generated ids, a list, or an imported file).</summary>
public static class GridChanges
{
    public static Outcome Decide(AddCommunity c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (!timeline.HasTown(c.TownId)) return new Outcome.Missing("town", c.TownId);
        if (timeline.Knows(c.CommunityId)) return new Outcome.Conflict($"The id '{c.CommunityId}' is taken.");
        return Outcome.Of(new CommunityAdded(c.CommunityId, c.TownId, c.Name, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(AddGrid c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.CommunityTrack(c.CommunityId) is not { } community) return new Outcome.Missing("community", c.CommunityId);
        if (timeline.Knows(c.GridId)) return new Outcome.Conflict($"The id '{c.GridId}' is taken.");
        if (community.Track.At(at.EffectiveFrom) is null)
            return new Outcome.Conflict($"Community '{c.CommunityId}' is not in effect on {at.EffectiveFrom:yyyy-MM-dd}.");
        return Outcome.Of(new GridAdded(c.GridId, c.CommunityId, c.Name, c.Register, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(ChangeHouseholds c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.GridTrack(c.GridId) is not { } grid) return new Outcome.Missing("grid", c.GridId);
        if (grid.Track.At(at.EffectiveFrom) is null) return new Outcome.Conflict($"Grid '{c.GridId}' is not in effect on {at.EffectiveFrom:yyyy-MM-dd}.");
        return Outcome.Of(new GridHouseholdsChanged(c.GridId, c.Register, c.Source, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static GridRegisterAnswer Answer(ReferenceTimeline timeline, string gridId, DateOnly day)
    {
        var data = timeline.AsOf(day);
        var grid = data.FindGrid(gridId);
        var register = data.RegisterOf(gridId);
        return new GridRegisterAnswer(gridId, day, grid?.Community.Id, grid?.Town.Id, register?.Count ?? 0, register?.Generated ?? 0,
            register?.Listed.Count ?? 0, register?.Listed.Count(h => h.RegisteredOnSpot) ?? 0);
    }

    /// <summary>households: a count (ids 0001..n are generated), or register: [{ householdId, address }]; exactly one.</summary>
    private static HouseholdRegister? Register(HouseholdsRequest request, RequestCheck check)
    {
        var count = check.Long("households", request.Households, required: false, min: 0);
        var entries = check.Items("register", request.Register, required: false, HouseholdRegister.MaxHouseholds);
        List<Household>? listed = null;
        if (entries is not null)
        {
            listed = [];
            for (var i = 0; i < entries.Count; i++)
            {
                var field = $"register[{i}]";
                if (entries[i] is not { } entry)
                {
                    if (!check.HasError(field)) check.Fail(field, "Must be an object.");
                    continue;
                }
                var id = check.Required($"{field}.householdId", entry.HouseholdId, 64);
                var address = check.Optional($"{field}.address", entry.Address, 200);
                if (id is not null && Household.Problem(id) is { } problem) check.Fail($"{field}.householdId", $"Household id {problem}");
                else if (id is not null) listed.Add(new Household(id, address));
            }
        }
        if (count is > HouseholdRegister.MaxHouseholds) check.Fail("households", $"Must be at most {HouseholdRegister.MaxHouseholds}.");
        if (count is null && entries is null && (check.HasError("households") || check.HasError("register"))) return null;
        if (count is null == entries is null)
        {
            check.Fail("households", "Give either households (a count) or register (a list of households), not both or neither.");
            return null;
        }
        if (listed is not null)
        {
            var twice = listed.GroupBy(h => h.Id).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null) check.Fail("register", $"Household '{twice.Key}' appears twice.");
            return new HouseholdRegister(0, listed);
        }
        return HouseholdRegister.Of((int)count!.Value);
    }

    [WolverinePost("/api/v1/towns/{townId}/communities")]
    [EndpointSummary("Add a community to a town from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<NewCommunityAnswer>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Created<NewCommunityAnswer>, ProblemHttpResult>> AddCommunityPost(string townId, AddCommunityRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock)
    {
        string? id = null;
        return ReferenceDataChange.WriteNew(request, http, session, cache, clock, (r, check) =>
        {
            id = ReferenceDataChange.Id(check, "id", r.Id, required: true);
            var name = check.Required("name", r.Name, 100);
            if (id is null || name is null) return null;
            var command = new AddCommunity(id, townId, name);
            return (at, timeline) => Decide(command, at, timeline);
        }, timeline => new NewCommunityAnswer(id!, townId, timeline.HistoryOf("community", id!)));
    }

    [WolverinePost("/api/v1/communities/{communityId}/grids")]
    [EndpointSummary("Add a grid with its household register to a community from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<GridRegisterAnswer>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Created<GridRegisterAnswer>, ProblemHttpResult>> AddGridPost(string communityId, AddGridRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock)
    {
        string? id = null;
        DateOnly day = default;
        return ReferenceDataChange.WriteNew(request, http, session, cache, clock, (r, check) =>
        {
            id = ReferenceDataChange.Id(check, "id", r.Id, required: true);
            var name = check.Required("name", r.Name, 100);
            var register = Register(r, check);
            if (id is null || name is null || register is null) return null;
            var command = new AddGrid(id, communityId, name, register);
            return (at, timeline) => { day = at.EffectiveFrom; return Decide(command, at, timeline); };
        }, timeline => Answer(timeline, id!, day));
    }

    [WolverinePost("/api/v1/grids/{gridId}/households")]
    [EndpointSummary("Change a grid's household register (a count or a list) from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<GridRegisterAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<GridRegisterAnswer>, ProblemHttpResult>> ChangeHouseholdsPost(string gridId, HouseholdsRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock)
    {
        DateOnly day = default;
        return ReferenceDataChange.Write(request, http, session, cache, clock, (r, check) =>
        {
            var register = Register(r, check);
            if (register is null) return null;
            var command = new ChangeHouseholds(gridId, register, "api");
            return (at, timeline) => { day = at.EffectiveFrom; return Decide(command, at, timeline); };
        }, timeline => Answer(timeline, gridId, day));
    }

    /// <summary>The register from a file: the body is the CSV (text/csv) or XLSX; reason and effectiveFrom in the query.</summary>
    [WolverinePost("/api/v1/grids/{gridId}/households/import")]
    [EndpointSummary("Replace a grid's household register from a CSV or XLSX file; reason and effectiveFrom in the query (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<GridRegisterAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 413)]
    [RegisterFileBody]
    public static async Task<Results<Ok<GridRegisterAnswer>, ProblemHttpResult>> Import(string gridId, string? reason, string? effectiveFrom, HttpContext http, IDocumentSession session,
        ReferenceDataCache cache, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return Problems.Forbidden("Only an admin may change reference data.");
        var errors = new Dictionary<string, string[]>();
        var today = cache.Today;
        var from = today;
        if (string.IsNullOrWhiteSpace(reason)) errors["reason"] = ["Is required (a query parameter: ?reason=...)."];
        if (effectiveFrom is not null && !DateOnly.TryParseExact(effectiveFrom, "yyyy-MM-dd", out from)) errors["effectiveFrom"] = ["Must be a date written yyyy-MM-dd."];
        else if (from < today) errors["effectiveFrom"] = [$"Must not be before today ({today:yyyy-MM-dd}): a change applies from its date on, never retroactively."];
        if (http.Request.ContentLength > HouseholdRegisterFile.MaxBytes) errors["body"] = [$"The file must be at most {HouseholdRegisterFile.MaxBytes / 1024 / 1024} MiB."];
        var type = http.Request.ContentType ?? "";
        var xlsx = type.Contains("spreadsheetml") || type.Contains("application/octet-stream");
        if (!xlsx && !type.StartsWith("text/csv") && !type.StartsWith("text/plain"))
            errors["body"] = ["Send the register as text/csv or as application/vnd.openxmlformats-officedocument.spreadsheetml.sheet."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        buffer.Position = 0;
        IReadOnlyList<Household> households;
        IReadOnlyList<string> problems;
        try
        {
            (households, problems) = HouseholdRegisterFile.Read(buffer, xlsx);
        }
        catch (Exception e) when (xlsx && e is not OperationCanceledException)
        {
            (households, problems) = ([], [$"The file is not a readable XLSX workbook: {e.Message}"]);
        }
        if (problems.Count > 0) return Problems.Invalid("body", string.Join(" ", problems));

        var command = new ChangeHouseholds(gridId, new HouseholdRegister(0, households), xlsx ? "xlsx" : "csv");
        var (problem, answer) = await ReferenceDataChange.Commit(http, session, cache, new ChangeContext(actor, clock.GetUtcNow(), today, from, reason!.Trim()),
            (at, timeline) => Decide(command, at, timeline), timeline => Answer(timeline, gridId, from));
        return problem is not null ? problem : TypedResults.Ok(answer!);
    }

    /// <summary>A grid's household register on a day (default today), a page at a time.</summary>
    [WolverineGet("/api/v1/grids/{gridId}/households")]
    [EndpointSummary("A grid's household register on a day (default today), a page at a time")]
    [Tags("Reference data")]
    [ProducesResponseType<HouseholdPage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404)]
    public static Results<Ok<HouseholdPage>, ProblemHttpResult> Get(string gridId, string? asOf, int? page, int? pageSize, ReferenceDataCache cache)
    {
        if (ReferenceDataReading.Day(asOf, cache) is not { } day) return Problems.Invalid("asOf", "Must be a date written yyyy-MM-dd.");
        var size = Math.Clamp(pageSize ?? 100, 1, 1000);
        var number = Math.Max(page ?? 1, 1);
        var data = cache.AsOf(day);
        if (data.RegisterOf(gridId) is not { } register) return Problems.NotFound("grid", gridId);
        return TypedResults.Ok(new HouseholdPage(gridId, day, register.Count, number, size,
            register.All().Skip((number - 1) * size).Take(size).Select(h => new HouseholdRow(h.Id, h.Address, h.RegisteredOnSpot)).ToList()));
    }
}

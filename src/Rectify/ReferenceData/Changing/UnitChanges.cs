using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.ReferenceData.Changing;

public sealed record AddUnit(string UnitId, UnitKind UnitKind, string? TownId, string Name, string? NameEn, string Kind);
public sealed record RenameUnit(string UnitId, string Name, string? NameEn);
public sealed record EndUnit(string UnitId);

/// <summary>Units that hold issues: district departments and town offices; added, renamed and ended from a date on.</summary>
public static class UnitChanges
{
    public static Outcome Decide(AddUnit c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (c.TownId is not null && !timeline.HasTown(c.TownId)) return new Outcome.Missing("town", c.TownId);
        if (timeline.Knows(c.UnitId)) return new Outcome.Conflict($"The id '{c.UnitId}' is taken.");
        if (c.UnitKind == UnitKind.TownOffice &&
            timeline.AsOf(at.EffectiveFrom).FindTown(c.TownId!)!.Offices.FirstOrDefault(o => o.Kind == c.Kind) is { } twin)
            return new Outcome.Conflict($"Town '{c.TownId}' has an office of kind '{c.Kind}' on {at.EffectiveFrom:yyyy-MM-dd}: '{twin.Id}'. Routing names offices by kind, so a town has one of each.");
        return Outcome.Of(new UnitAdded(c.UnitId, c.UnitKind, c.TownId, c.Name, c.NameEn, c.Kind, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(RenameUnit c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (Latest(timeline, c.UnitId) is not { } latest) return new Outcome.Missing("unit", c.UnitId);
        if (latest.Ended) return new Outcome.Conflict($"Unit '{c.UnitId}' has ended.");
        return Outcome.Of(new UnitRenamed(c.UnitId, c.Name, c.NameEn, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(EndUnit c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (Latest(timeline, c.UnitId) is not { } latest) return new Outcome.Missing("unit", c.UnitId);
        if (latest.Ended) return new Outcome.Conflict($"Unit '{c.UnitId}' has ended.");
        // Nothing may route to a unit after it ends: the rules that would must be changed or ended first.
        var office = timeline.OfficeTrack(c.UnitId);
        var blocking = timeline.AllRuleVersions()
            .Where(r => r.EffectiveTo is null || r.EffectiveTo > at.EffectiveFrom)
            .Where(r => office is null
                ? r.DepartmentId == c.UnitId
                : r.OfficeKind == office.Value.Track.Latest!.Kind && (r.TownId is null || r.TownId == office.Value.TownId))
            .Select(r => $"{r.Id} (version {r.Version})").Distinct().ToList();
        if (blocking.Count > 0)
            return new Outcome.Conflict($"Routing rules still send problems to '{c.UnitId}' on or after {at.EffectiveFrom:yyyy-MM-dd}: {string.Join(", ", blocking)}. Change or end them first.");
        if (CategoryLeadChanges.LedBy(timeline, c.UnitId, at.EffectiveFrom) is [var led, ..])
            return new Outcome.Conflict($"Department '{c.UnitId}' leads the category '{led}' on or after {at.EffectiveFrom:yyyy-MM-dd}: move the lead first.");
        return Outcome.Of(new UnitEnded(c.UnitId, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    private static (bool Ended, string Name)? Latest(ReferenceTimeline timeline, string id)
    {
        if (timeline.DepartmentTrack(id) is { } department) return (department.Latest is null, department.Latest?.Name ?? "");
        if (timeline.OfficeTrack(id) is { } office) return (office.Track.Latest is null, office.Track.Latest?.Name ?? "");
        return null;
    }

    public static UnitAnswer Answer(ReferenceTimeline timeline, string id)
    {
        var versions = timeline.DepartmentTrack(id)?.Versions.Select(v => (v.From, Unit: UnitValue.Of(v.Value)))
                       ?? timeline.OfficeTrack(id)?.Track.Versions.Select(v => (v.From, Unit: UnitValue.Of(v.Value)));
        return new UnitAnswer(id, timeline.OfficeTrack(id)?.TownId,
            versions?.Select(v => new UnitVersion(v.From == DateOnly.MinValue ? null : v.From, v.Unit, v.Unit is null)).ToList());
    }

    private static Func<ChangeContext, ReferenceTimeline, Outcome>? Adding(UnitKind unitKind, string? townId, RequestCheck check,
        string? idValue, string? nameValue, string? nameEnValue, string? kindValue)
    {
        var id = ReferenceDataChange.Id(check, "id", idValue, required: true);
        var name = check.Required("name", nameValue, 100);
        var nameEn = check.Optional("nameEn", nameEnValue, 200);
        var kind = unitKind == UnitKind.Department ? check.Optional("kind", kindValue, 64) ?? "department" : ReferenceDataChange.Id(check, "kind", kindValue, required: true);
        if (id is null || name is null || kind is null) return null;
        var command = new AddUnit(id, unitKind, townId, name, nameEn, kind);
        return (at, timeline) => Decide(command, at, timeline);
    }

    [WolverinePost("/api/v1/departments")]
    [EndpointSummary("Add a district department from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<UnitAnswer>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Created<UnitAnswer>, ProblemHttpResult>> AddDepartment(AddDepartmentRequest request, HttpContext http, IDocumentSession session,
        ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.WriteNew(request, http, session, cache, clock,
            (r, check) => Adding(UnitKind.Department, null, check, r.Id, r.Name, r.NameEn, r.Kind),
            timeline => Answer(timeline, request.Id!.Trim()));

    [WolverinePost("/api/v1/towns/{townId}/offices")]
    [EndpointSummary("Add an office to a town from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<UnitAnswer>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Created<UnitAnswer>, ProblemHttpResult>> AddOffice(string townId, AddOfficeRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.WriteNew(request, http, session, cache, clock,
            (r, check) => Adding(UnitKind.TownOffice, townId, check, r.Id, r.Name, r.NameEn, r.Kind),
            timeline => Answer(timeline, request.Id!.Trim()));

    [WolverinePost("/api/v1/units/{unitId}/rename")]
    [EndpointSummary("Rename a unit (a department or a town's office) from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<UnitAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<UnitAnswer>, ProblemHttpResult>> Rename(string unitId, RenameWithEnglishRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock,
            (r, check) => ReferenceDataChange.Renaming(r, check, (name, nameEn) => (at, timeline) => Decide(new RenameUnit(unitId, name, nameEn), at, timeline)),
            timeline => Answer(timeline, unitId));

    [WolverinePost("/api/v1/units/{unitId}/end")]
    [EndpointSummary("End a unit from a date on; it must hold no open issue and lead no category (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<UnitAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<UnitAnswer>, ProblemHttpResult>> End(string unitId, ChangeRequest request, HttpContext http, IDocumentSession session,
        ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock, (_, _) =>
        {
            var command = new EndUnit(unitId);
            return (at, timeline) => Decide(command, at, timeline);
        }, timeline => Answer(timeline, unitId));
}

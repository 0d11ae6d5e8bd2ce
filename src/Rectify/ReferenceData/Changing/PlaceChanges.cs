using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.ReferenceData.Changing;

public sealed record RenameTown(string TownId, string Name, string? NameEn);
public sealed record RenameCommunity(string CommunityId, string Name);
public sealed record EndCommunity(string CommunityId);
public sealed record RenameGrid(string GridId, string Name);
public sealed record EndGrid(string GridId);

/// <summary>
/// Towns renamed; communities and grids renamed or ended, each from a date on. Ids never change, only names do, so
/// issues, visits and rules that name a place keep naming it.
/// </summary>
public static class PlaceChanges
{
    public static Outcome Decide(RenameTown c, ChangeContext at, ReferenceTimeline timeline) =>
        timeline.TownTrack(c.TownId) is null
            ? new Outcome.Missing("town", c.TownId)
            : Outcome.Of(new TownRenamed(c.TownId, c.Name, c.NameEn, at.EffectiveFrom, at.Reason, at.Actor, at.Now));

    public static Outcome Decide(RenameCommunity c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.CommunityTrack(c.CommunityId) is not { } community) return new Outcome.Missing("community", c.CommunityId);
        if (NotInEffect("Community", c.CommunityId, community.Track, at.EffectiveFrom) is { } conflict) return conflict;
        return Outcome.Of(new CommunityRenamed(c.CommunityId, c.Name, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(EndCommunity c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.CommunityTrack(c.CommunityId) is not { } community) return new Outcome.Missing("community", c.CommunityId);
        if (NotInEffect("Community", c.CommunityId, community.Track, at.EffectiveFrom) is { } conflict) return conflict;
        // A grid left without its community would vanish from every town's tree: its grids must end first (on or before that day).
        var orphans = timeline.GridsOf(c.CommunityId)
            .Where(g => EndsOn(g.Track) is not { } end || end > at.EffectiveFrom)
            .Select(g => g.Id).ToList();
        if (orphans.Count > 0)
            return new Outcome.Conflict($"Community '{c.CommunityId}' still has grids in effect on or after {at.EffectiveFrom:yyyy-MM-dd}: {string.Join(", ", orphans)}. End them first.");
        return Outcome.Of(new CommunityEnded(c.CommunityId, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(RenameGrid c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.GridTrack(c.GridId) is not { } grid) return new Outcome.Missing("grid", c.GridId);
        if (NotInEffect("Grid", c.GridId, grid.Track, at.EffectiveFrom) is { } conflict) return conflict;
        return Outcome.Of(new GridRenamed(c.GridId, c.Name, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(EndGrid c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.GridTrack(c.GridId) is not { } grid) return new Outcome.Missing("grid", c.GridId);
        if (NotInEffect("Grid", c.GridId, grid.Track, at.EffectiveFrom) is { } conflict) return conflict;
        return Outcome.Of(new GridEnded(c.GridId, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    /// <summary>The day an item ended, or null while it has no end.</summary>
    public static DateOnly? EndsOn<T>(Track<T> track) where T : class =>
        track.Versions.Count > 0 && track.Latest is null ? track.Versions[^1].From : null;

    /// <summary>A change must fall on a day the item is in effect and before any end already recorded.</summary>
    private static Outcome? NotInEffect<T>(string what, string id, Track<T> track, DateOnly day) where T : class
    {
        if (EndsOn(track) is { } end) return new Outcome.Conflict($"{what} '{id}' has ended (from {end:yyyy-MM-dd}).");
        if (track.At(day) is null) return new Outcome.Conflict($"{what} '{id}' is not in effect on {day:yyyy-MM-dd}.");
        return null;
    }

    private static IReadOnlyList<PlaceVersion>? Versions<T>(Track<T>? track) where T : class =>
        track?.Versions.Select(v => new PlaceVersion(v.From == DateOnly.MinValue ? null : v.From,
            v.Value switch { Town t => t.Name, Community m => m.Name, Grid g => g.Name, _ => null }, v.Value is null)).ToList();

    public static TownAnswer TownAnswer(string id, ReferenceTimeline t) => new(id, Versions(t.TownTrack(id)), t.HistoryOf("town", id));
    public static CommunityAnswer CommunityAnswer(string id, ReferenceTimeline t) => new(id, Versions(t.CommunityTrack(id)?.Track), t.HistoryOf("community", id));
    public static GridAnswer GridAnswer(string id, ReferenceTimeline t) => new(id, Versions(t.GridTrack(id)?.Track), t.HistoryOf("grid", id));

    [WolverinePost("/api/v1/towns/{townId}/rename")]
    [EndpointSummary("Rename a town from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<TownAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<TownAnswer>, ProblemHttpResult>> RenameTownPost(string townId, RenameWithEnglishRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock,
            (r, check) => ReferenceDataChange.Renaming(r, check, (name, nameEn) => (at, t) => Decide(new RenameTown(townId, name, nameEn), at, t)),
            t => TownAnswer(townId, t));

    [WolverinePost("/api/v1/communities/{communityId}/rename")]
    [EndpointSummary("Rename a community from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<CommunityAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<CommunityAnswer>, ProblemHttpResult>> RenameCommunityPost(string communityId, RenameRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock,
            (r, check) => ReferenceDataChange.Renaming(r, check, (name, _) => (at, t) => Decide(new RenameCommunity(communityId, name), at, t)),
            t => CommunityAnswer(communityId, t));

    [WolverinePost("/api/v1/communities/{communityId}/end")]
    [EndpointSummary("End a community from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<CommunityAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<CommunityAnswer>, ProblemHttpResult>> EndCommunityPost(string communityId, ChangeRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock, (_, _) => (at, t) => Decide(new EndCommunity(communityId), at, t),
            t => CommunityAnswer(communityId, t));

    [WolverinePost("/api/v1/grids/{gridId}/rename")]
    [EndpointSummary("Rename a grid from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<GridAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<GridAnswer>, ProblemHttpResult>> RenameGridPost(string gridId, RenameRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock,
            (r, check) => ReferenceDataChange.Renaming(r, check, (name, _) => (at, t) => Decide(new RenameGrid(gridId, name), at, t)),
            t => GridAnswer(gridId, t));

    [WolverinePost("/api/v1/grids/{gridId}/end")]
    [EndpointSummary("End a grid from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<GridAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<GridAnswer>, ProblemHttpResult>> EndGridPost(string gridId, ChangeRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock, (_, _) => (at, t) => Decide(new EndGrid(gridId), at, t),
            t => GridAnswer(gridId, t));

    [WolverineGet("/api/v1/towns/{townId}/history")]
    [EndpointSummary("A town's names version by version, and its recorded changes")]
    [Tags("Reference data")]
    [ProducesResponseType<TownAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static Results<Ok<TownAnswer>, ProblemHttpResult> TownHistory(string townId, ReferenceDataCache cache) =>
        cache.Timeline.TownTrack(townId) is null
            ? Problems.NotFound("town", townId)
            : TypedResults.Ok(TownAnswer(townId, cache.Timeline));
}

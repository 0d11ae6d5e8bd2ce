using Marten;
using Rectify.Infrastructure;
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

    public static object Answer<T>(string idField, string id, Track<T>? track, ReferenceTimeline timeline, string kind) where T : class => new Dictionary<string, object?>
    {
        [idField] = id,
        ["versions"] = track?.Versions.Select(v => new
        {
            effectiveFrom = v.From == DateOnly.MinValue ? (DateOnly?)null : v.From,
            name = v.Value switch { Town t => t.Name, Community m => m.Name, Grid g => g.Name, _ => null },
            ended = v.Value is null
        }),
        ["history"] = timeline.HistoryOf(kind, id)
    };

    private static Func<RequestBody, DateOnly, Func<ChangeContext, ReferenceTimeline, Outcome>?> Naming(Func<string, string?, Func<ChangeContext, ReferenceTimeline, Outcome>> decide, bool withEnglish) =>
        (body, _) =>
        {
            var name = body.RequiredString("name", 100);
            var nameEn = withEnglish ? body.OptionalString("nameEn", 200) : null;
            return name is null ? null : decide(name, nameEn);
        };

    [WolverinePost("/api/v1/towns/{townId}/rename")]
    public static Task<IResult> RenameTownPost(string townId, HttpContext http, IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(http, session, cache, clock,
            Naming((name, nameEn) => (at, t) => Decide(new RenameTown(townId, name, nameEn), at, t), withEnglish: true),
            t => Answer("townId", townId, t.TownTrack(townId), t, "town"));

    [WolverinePost("/api/v1/communities/{communityId}/rename")]
    public static Task<IResult> RenameCommunityPost(string communityId, HttpContext http, IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(http, session, cache, clock,
            Naming((name, _) => (at, t) => Decide(new RenameCommunity(communityId, name), at, t), withEnglish: false),
            t => Answer("communityId", communityId, t.CommunityTrack(communityId)?.Track, t, "community"));

    [WolverinePost("/api/v1/communities/{communityId}/end")]
    public static Task<IResult> EndCommunityPost(string communityId, HttpContext http, IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(http, session, cache, clock, (_, _) => (at, t) => Decide(new EndCommunity(communityId), at, t),
            t => Answer("communityId", communityId, t.CommunityTrack(communityId)?.Track, t, "community"));

    [WolverinePost("/api/v1/grids/{gridId}/rename")]
    public static Task<IResult> RenameGridPost(string gridId, HttpContext http, IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(http, session, cache, clock,
            Naming((name, _) => (at, t) => Decide(new RenameGrid(gridId, name), at, t), withEnglish: false),
            t => Answer("gridId", gridId, t.GridTrack(gridId)?.Track, t, "grid"));

    [WolverinePost("/api/v1/grids/{gridId}/end")]
    public static Task<IResult> EndGridPost(string gridId, HttpContext http, IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(http, session, cache, clock, (_, _) => (at, t) => Decide(new EndGrid(gridId), at, t),
            t => Answer("gridId", gridId, t.GridTrack(gridId)?.Track, t, "grid"));

    [WolverineGet("/api/v1/towns/{townId}/history")]
    public static IResult TownHistory(string townId, ReferenceDataCache cache) =>
        cache.Timeline.TownTrack(townId) is null
            ? Problems.NotFound("town", townId)
            : TypedResults.Ok(Answer("townId", townId, cache.Timeline.TownTrack(townId), cache.Timeline, "town"));
}

using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.ReferenceData.Changing;

public sealed record AddRoutingRule(string? RuleId, string CategoryId, string? TownId, string? OfficeKind, string? DepartmentId);
public sealed record ChangeRoutingRule(string RuleId, int Version, string? OfficeKind, string? DepartmentId);
public sealed record EndRoutingRule(string RuleId, int Version);

/// <summary>Routing rules: added, changed (a new version from a date on) and ended; never edited in place or backdated.</summary>
public static class RoutingRuleChanges
{
    public static Outcome Decide(AddRoutingRule c, ChangeContext at, ReferenceTimeline timeline)
    {
        var id = c.RuleId ?? $"{c.CategoryId}-{c.TownId ?? "district"}-{at.EffectiveFrom:yyyy-MM-dd}";
        if (timeline.Knows(id)) return new Outcome.Conflict($"The id '{id}' is taken; give another ruleId, or change rule '{id}' instead.");
        var rule = new RoutingRule(id, at.EffectiveFrom, c.CategoryId, c.TownId, c.OfficeKind, c.DepartmentId);
        if (Check(rule, timeline) is { } bad) return bad;
        return Outcome.Of(new RoutingRuleAdded(id, at.EffectiveFrom, c.CategoryId, c.TownId, c.OfficeKind, c.DepartmentId, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(ChangeRoutingRule c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.Rule(c.RuleId) is not { } track) return new Outcome.Missing("routing rule", c.RuleId);
        if (Current(track, c.Version, at) is { } stale) return stale;
        var rule = new RoutingRule(c.RuleId, at.EffectiveFrom, track.CategoryId, track.TownId, c.OfficeKind, c.DepartmentId, track.Version + 1);
        if (Check(rule, timeline) is { } bad) return bad;
        return Outcome.Of(new RoutingRuleChanged(c.RuleId, track.Version + 1, at.EffectiveFrom, c.OfficeKind, c.DepartmentId, at.Reason, at.Actor, at.Now));
    }

    public static Outcome Decide(EndRoutingRule c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.Rule(c.RuleId) is not { } track) return new Outcome.Missing("routing rule", c.RuleId);
        if (Current(track, c.Version, at) is { } stale) return stale;
        return Outcome.Of(new RoutingRuleEnded(c.RuleId, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    /// <summary>A change names the version it was made against; an ended rule takes no change; dates only move forward.</summary>
    private static Outcome? Current(ReferenceTimeline.RuleTrack track, int version, ChangeContext at)
    {
        if (track.EndsOn is { } ends) return new Outcome.Conflict($"Routing rule '{track.Id}' ends on {ends:yyyy-MM-dd}; add a new rule instead.");
        if (version != track.Version) return new Outcome.Conflict($"Routing rule '{track.Id}' is at version {track.Version}, not {version}. Read it again.");
        var last = track.Versions[^1].EffectiveFrom;
        return at.EffectiveFrom <= last ? Outcome.Bad("effectiveFrom", $"Must be after {last:yyyy-MM-dd}, the day version {track.Version} took effect.") : null;
    }

    /// <summary>A rule must name what exists on the day it takes effect.</summary>
    private static Outcome? Check(RoutingRule rule, ReferenceTimeline timeline)
    {
        var data = timeline.AsOf(rule.EffectiveFrom);
        var errors = new Dictionary<string, string[]>();
        if (data.FindCategory(rule.CategoryId) is null) errors["categoryId"] = [$"Unknown category '{rule.CategoryId}'."];
        if (rule.TownId is not null && data.FindTown(rule.TownId) is null) errors["townId"] = [$"Unknown town '{rule.TownId}'."];
        if (rule.DepartmentId is not null && data.FindDepartment(rule.DepartmentId) is null)
            errors["departmentId"] = [$"No department '{rule.DepartmentId}' on {rule.EffectiveFrom:yyyy-MM-dd}."];
        if (rule.OfficeKind is null && rule.DepartmentId is null) errors["officeKind"] = ["Give an officeKind, a departmentId or both."];
        if (rule.OfficeKind is not null && errors.Count == 0 && rule.Check(data) is { } problem) errors["officeKind"] = [$"On {rule.EffectiveFrom:yyyy-MM-dd} {problem}."];
        return errors.Count == 0 ? null : new Outcome.Invalid(errors);
    }

    public static RoutingRuleAnswer Answer(ReferenceTimeline timeline, string id) =>
        new(timeline.AllRuleVersions().Last(r => r.Id == id), timeline.AllRuleVersions().Where(r => r.Id == id).ToList());

    [WolverinePost("/api/v1/routing-rules")]
    [EndpointSummary("Add a routing rule: where a category's problems in a town go, from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<RoutingRuleAnswer>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Created<RoutingRuleAnswer>, ProblemHttpResult>> Add(AddRoutingRuleRequest request, HttpContext http, IDocumentSession session,
        ReferenceDataCache cache, TimeProvider clock)
    {
        string? id = null;
        return ReferenceDataChange.WriteNew(request, http, session, cache, clock, (r, check) =>
        {
            id = ReferenceDataChange.Id(check, "ruleId", r.RuleId, required: false);
            var category = check.Required("categoryId", r.CategoryId, 64);
            var town = check.Optional("townId", r.TownId, 64);
            var office = check.Optional("officeKind", r.OfficeKind, 64);
            var department = check.Optional("departmentId", r.DepartmentId, 64);
            if (category is null) return null;
            var command = new AddRoutingRule(id, category, town, office, department);
            return (at, timeline) =>
            {
                var outcome = Decide(command, at, timeline);
                if (outcome is Outcome.Accepted { Events: [RoutingRuleAdded added] }) id = added.RuleId;
                return outcome;
            };
        }, timeline => Answer(timeline, id!));
    }

    [WolverinePost("/api/v1/routing-rules/{ruleId}/change")]
    [EndpointSummary("Change where a routing rule sends problems, from a date on; version is the rule's current one (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<RoutingRuleAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<RoutingRuleAnswer>, ProblemHttpResult>> Change(string ruleId, ChangeRoutingRuleRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock, (r, check) =>
        {
            var version = RuleVersion(r.Version, check);
            var office = check.Optional("officeKind", r.OfficeKind, 64);
            var department = check.Optional("departmentId", r.DepartmentId, 64);
            if (version is null) return null;
            var command = new ChangeRoutingRule(ruleId, version.Value, office, department);
            return (at, timeline) => Decide(command, at, timeline);
        }, timeline => Answer(timeline, ruleId));

    [WolverinePost("/api/v1/routing-rules/{ruleId}/end")]
    [EndpointSummary("End a routing rule from a date on; version is the rule's current one (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<RoutingRuleAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<RoutingRuleAnswer>, ProblemHttpResult>> End(string ruleId, EndRoutingRuleRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock, (r, check) =>
        {
            if (RuleVersion(r.Version, check) is not { } version) return null;
            var command = new EndRoutingRule(ruleId, version);
            return (at, timeline) => Decide(command, at, timeline);
        }, timeline => Answer(timeline, ruleId));

    /// <summary>The version a change is made against: a rule has no more versions than an int holds.</summary>
    private static int? RuleVersion(long? value, RequestCheck check)
    {
        var version = check.Long("version", value, required: true, min: 1);
        if (version > int.MaxValue) check.Fail("version", $"Must be at most {int.MaxValue}.");
        return version is null or > int.MaxValue ? null : (int)version.Value;
    }
}

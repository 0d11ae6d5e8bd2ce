using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.ReferenceData.Changing;

public sealed record ChangeCategoryLead(string CategoryId, string DepartmentId);

/// <summary>The supervision office moves the lead of a kind of problem (a category's domain) to another department from a date on.</summary>
public static class CategoryLeadChanges
{
    public static Outcome Decide(ChangeCategoryLead c, ChangeContext at, ReferenceTimeline timeline)
    {
        if (timeline.CategoryTrack(c.CategoryId) is not { } category) return new Outcome.Missing("category", c.CategoryId);
        if (timeline.DepartmentTrack(c.DepartmentId) is not { } department) return new Outcome.Missing("department", c.DepartmentId);
        // The new lead must be there from that day on: a department that ends later could not be ended while it leads.
        if (department.At(at.EffectiveFrom) is null || PlaceChanges.EndsOn(department) is not null)
            return new Outcome.Conflict($"Department '{c.DepartmentId}' is not in effect on {at.EffectiveFrom:yyyy-MM-dd} or has an end recorded.");
        if (category.At(at.EffectiveFrom)?.LeadDepartmentId == c.DepartmentId && category.Versions[^1].Value?.LeadDepartmentId == c.DepartmentId)
            return new Outcome.Conflict($"Department '{c.DepartmentId}' already leads the category '{c.CategoryId}' on {at.EffectiveFrom:yyyy-MM-dd}.");
        return Outcome.Of(new CategoryLeadChanged(c.CategoryId, c.DepartmentId, at.EffectiveFrom, at.Reason, at.Actor, at.Now));
    }

    /// <summary>The categories a department leads on or after a day (a lead moved to it later counts too).</summary>
    public static IReadOnlyList<string> LedBy(ReferenceTimeline timeline, string departmentId, DateOnly from) =>
        timeline.Categories.Where(k => timeline.CategoryTrack(k.Id) is { } track &&
                (track.At(from)?.LeadDepartmentId == departmentId ||
                 track.Versions.Any(v => v.From > from && v.Value?.LeadDepartmentId == departmentId)))
            .Select(k => k.Id).ToList();

    public static CategoryLeadAnswer Answer(ReferenceTimeline timeline, string categoryId) => new(categoryId,
        timeline.CategoryTrack(categoryId)?.Versions
            .Select(v => new LeadVersion(v.From == DateOnly.MinValue ? null : v.From, v.Value?.LeadDepartmentId)).ToList(),
        timeline.HistoryOf("category", categoryId));

    [WolverinePost("/api/v1/categories/{categoryId}/lead")]
    [EndpointSummary("Move a category's lead to another department from a date on (admin)")]
    [Tags("Reference data")]
    [ProducesResponseType<CategoryLeadAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static Task<Results<Ok<CategoryLeadAnswer>, ProblemHttpResult>> Post(string categoryId, ChangeCategoryLeadRequest request, HttpContext http,
        IDocumentSession session, ReferenceDataCache cache, TimeProvider clock) =>
        ReferenceDataChange.Write(request, http, session, cache, clock, (r, check) =>
        {
            var department = ReferenceDataChange.Id(check, "departmentId", r.DepartmentId, required: true);
            if (department is null) return null;
            var command = new ChangeCategoryLead(categoryId, department);
            return (at, timeline) => Decide(command, at, timeline);
        }, timeline => Answer(timeline, categoryId));

    [WolverineGet("/api/v1/categories/{categoryId}/history")]
    [EndpointSummary("A category's lead departments version by version, and its recorded changes")]
    [Tags("Reference data")]
    [ProducesResponseType<CategoryLeadAnswer>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static Results<Ok<CategoryLeadAnswer>, ProblemHttpResult> History(string categoryId, ReferenceDataCache cache) =>
        cache.Timeline.CategoryTrack(categoryId) is null ? Problems.NotFound("category", categoryId) : TypedResults.Ok(Answer(cache.Timeline, categoryId));
}

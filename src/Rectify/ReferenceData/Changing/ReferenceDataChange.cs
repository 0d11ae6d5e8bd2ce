using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;

namespace Rectify.ReferenceData.Changing;

/// <summary>What a reference-data decision came to: events to append, or why not (400, 404, 409).</summary>
public abstract record Outcome
{
    public sealed record Accepted(IReadOnlyList<object> Events) : Outcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Outcome;
    public sealed record Missing(string What, string Id) : Outcome;
    public sealed record Conflict(string Detail) : Outcome;

    public static Outcome Of(params object[] events) => new Accepted(events);
    public static Outcome Bad(string field, string reason) => new Invalid(new Dictionary<string, string[]> { [field] = [reason] });
}

/// <summary>Who, when and why of every change, and the day it applies from.</summary>
public sealed record ChangeContext(Actor Actor, DateTimeOffset Now, DateOnly Today, DateOnly EffectiveFrom, string Reason);

public static partial class ReferenceDataChange
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();

    public static string? Id(RequestCheck check, string field, string? value, bool required)
    {
        var id = check.Text(field, value, 64, required);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            check.Fail(field, "Must be lower-case letters, digits and '-' (at most 64), e.g. qicun-water.");
            return null;
        }
        return id;
    }

    /// <summary>A rename's name (required) and, where the item has one, its English name; null when the name is bad.</summary>
    public static Func<ChangeContext, ReferenceTimeline, Outcome>? Renaming(RenameRequest request, RequestCheck check,
        Func<string, string?, Func<ChangeContext, ReferenceTimeline, Outcome>> decide)
    {
        var name = check.Required("name", request.Name, 100);
        var nameEn = request is RenameWithEnglishRequest english ? check.Optional("nameEn", english.NameEn, 200) : null;
        return name is null ? null : decide(name, nameEn);
    }

    /// <summary>reason (required) and effectiveFrom (default today; never before today: changes are not retroactive).</summary>
    public static (string? Reason, DateOnly EffectiveFrom) WhyAndWhen(RequestCheck check, ChangeRequest request, DateOnly today)
    {
        var reason = check.Required("reason", request.Reason, 500);
        var from = check.Date("effectiveFrom", request.EffectiveFrom, required: false) ?? today;
        if (from < today) check.Fail("effectiveFrom", $"Must not be before today ({today:yyyy-MM-dd}): a change applies from its date on, never retroactively.");
        return (reason, from);
    }

    /// <summary>
    /// The seam: admins only; the stream brought up to date first; the decision on the current timeline; the events
    /// appended at the version decided on (a concurrent change makes this one a 409); the node's cache reloaded.
    /// <paramref name="read"/> judges the request's own fields (naming every bad one in the check) and returns the
    /// decision, or null when a field is bad. A change to something that exists answers 200 with <typeparamref name="T"/>.
    /// </summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> Write<TRequest, T>(TRequest request, HttpContext http, IDocumentSession session,
        ReferenceDataCache cache, TimeProvider clock, Func<TRequest, RequestCheck, Func<ChangeContext, ReferenceTimeline, Outcome>?> read,
        Func<ReferenceTimeline, T> answer) where TRequest : ChangeRequest
    {
        var (problem, result) = await Decide(request, http, session, cache, clock, read, answer);
        return problem is not null ? problem : TypedResults.Ok(result);
    }

    /// <summary>As <see cref="Write{TRequest,T}"/>, for a change that adds an item: 201 at the request's path.</summary>
    public static async Task<Results<Created<T>, ProblemHttpResult>> WriteNew<TRequest, T>(TRequest request, HttpContext http, IDocumentSession session,
        ReferenceDataCache cache, TimeProvider clock, Func<TRequest, RequestCheck, Func<ChangeContext, ReferenceTimeline, Outcome>?> read,
        Func<ReferenceTimeline, T> answer) where TRequest : ChangeRequest
    {
        var (problem, result) = await Decide(request, http, session, cache, clock, read, answer);
        return problem is not null ? problem : TypedResults.Created(http.Request.Path, result);
    }

    private static async Task<(ProblemHttpResult? Problem, T? Answer)> Decide<TRequest, T>(TRequest request, HttpContext http, IDocumentSession session,
        ReferenceDataCache cache, TimeProvider clock, Func<TRequest, RequestCheck, Func<ChangeContext, ReferenceTimeline, Outcome>?> read,
        Func<ReferenceTimeline, T> answer) where TRequest : ChangeRequest
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return (Problems.Forbidden("Only an admin may change reference data."), default);
        var check = RequestCheck.Of(http);
        var now = clock.GetUtcNow();
        var today = cache.Today;
        var decide = read(request, check);
        var (reason, from) = WhyAndWhen(check, request, today);
        if (!check.IsValid || decide is null) return (Problems.Invalid(check.Errors), default);

        return await Commit(http, session, cache, new ChangeContext(actor, now, today, from, reason!), decide, answer);
    }

    public static async Task<(ProblemHttpResult? Problem, T? Answer)> Commit<T>(HttpContext http, IDocumentSession session, ReferenceDataCache cache,
        ChangeContext context, Func<ChangeContext, ReferenceTimeline, Outcome> decide, Func<ReferenceTimeline, T> answer)
    {
        var (outcome, after) = await Apply(session, cache, context, decide, http.RequestAborted);
        return outcome switch
        {
            Outcome.Invalid invalid => (Problems.Invalid(invalid.Errors), default),
            Outcome.Missing missing => (Problems.NotFound(missing.What, missing.Id), default),
            Outcome.Conflict conflict => (TypedResults.Problem(title: "The change conflicts with the reference data in effect.", detail: conflict.Detail,
                statusCode: StatusCodes.Status409Conflict, type: Rectify.Infrastructure.ProblemTypes.ReferenceDataConflict.Uri), default),
            _ => (null, answer(after))
        };
    }

    /// <summary>Decides on the stream brought up to date, appends at the version decided on, reloads this node's cache.</summary>
    public static async Task<(Outcome Outcome, ReferenceTimeline Timeline)> Apply(IDocumentSession session, ReferenceDataCache cache, ChangeContext context,
        Func<ChangeContext, ReferenceTimeline, Outcome> decide, CancellationToken cancellation)
    {
        var timeline = await cache.RefreshAsync(cancellation);
        var outcome = decide(context, timeline);
        if (outcome is not Outcome.Accepted accepted) return (outcome, timeline);
        session.Events.Append(ReferenceDataStream.Id, timeline.StreamVersion + accepted.Events.Count, accepted.Events.ToArray());
        await session.SaveChangesAsync(cancellation);
        return (outcome, await cache.RefreshAsync(cancellation));
    }
}

using System.ComponentModel;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Rectify.ReferenceData;
using Rectify.Routing;
using Rectify.Supervision;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Rectify.Issues;

/// <summary>What a command's reader gets: the request's check, the domain time of the act, the reference data and the calendar.</summary>
public sealed record CommandReading(
    RequestCheck Check, DateTimeOffset OccurredAt, DistrictReferenceData References, WorkingCalendar? Calendar = null, bool AllowDaysOff = false)
{
    public DateOnly Today => WorkingCalendar.ShanghaiDate(OccurredAt);

    /// <summary>What the answer tells the caller although the command was accepted.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>
    /// A date a person gives (a deadline, a milestone) must be a working day: refused naming the next working day,
    /// or accepted with a warning when Supervision:AllowDeadlinesOnDaysOff is set.
    /// </summary>
    public void RequireWorkingDay(RequestCheck check, string field, DateOnly? date)
    {
        if (date is not { } day || Calendar is null || Calendar.IsWorkingDay(day)) return;
        var next = Calendar.NextWorkingDay(day);
        var reason = $"{day:yyyy-MM-dd} is a day off: the next working day is {next:yyyy-MM-dd}.";
        if (AllowDaysOff) Warnings.Add($"{field}: {reason}");
        else check.Fail(field, reason);
    }
}

/// <summary>What every lifecycle command's body may carry besides its own fields.</summary>
public abstract record IssueCommandRequest
{
    [Description("The version of the issue the caller read (its ETag). Required unless the If-Match header carries it.")]
    [Example(3L)]
    public long? Version { get; init; }

    [Description("When the act happened (domain time), with an offset; now when left out. At most 2 minutes ahead of the server's clock.")]
    [Example("2022-06-01T09:30:00+08:00")]
    public DateTimeOffset? OccurredAt { get; init; }
}

[Description("The issue after the command: its id, new version (also the ETag), status, holding unit and deadline.")]
public sealed record IssueCommandResponse(Guid Id, long Version, IssueStatus Status, string? UnitId, DateOnly? Deadline,
    IReadOnlyList<string>? Warnings = null);

/// <summary>
/// The one path every lifecycle command takes, so that every command checks in the same order:
/// 401 (middleware) → 400 fields → 404 → 403 → stale version (409 body, 412 If-Match) → state (409).
/// Nothing is appended on any error. The events and the messages they cascade (deliveries to the receiving
/// unit's side) are committed together by Wolverine's transaction with the Marten outbox.
/// </summary>
public sealed class IssueCommandRunner(
    TimeProvider clock, ReferenceDataCache referenceData, LiveCalendar live, IOptions<SupervisionOptions> supervision)
{
    private static readonly OutgoingMessages None = [];

    /// <summary>Clock skew tolerated on a client-supplied occurredAt.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(2);

    /// <summary>A command read from its typed request, which the framework bound (RequestShape named its binding errors).</summary>
    public async Task<(IResult, OutgoingMessages)> Run<TRequest, TCommand>(
        HttpContext http, string id, TRequest request, IDocumentSession session, Func<TRequest, CommandReading, TCommand?> read)
        where TRequest : IssueCommandRequest
        where TCommand : class, IIssueCommand
    {
        var cancellation = http.RequestAborted;
        var check = RequestCheck.Of(http);

        var issueId = ParseId(id, check.Fail);
        var ifMatch = ParseIfMatch(http, check.Fail);
        // A malformed If-Match is its own error; it does not also make the body's version required.
        var ifMatchGiven = http.Request.Headers.IfMatch.ToString().Trim() is { Length: > 0 } given && given != "*";
        var expectedVersion = check.Long("version", request.Version, required: !ifMatchGiven, min: 1);
        var now = clock.GetUtcNow();
        var occurredAt = check.Timestamp("occurredAt", request.OccurredAt, required: false) ?? now;
        if (occurredAt > now + FutureTolerance) check.Fail("occurredAt", "Must not be in the future.");

        // Read per command: reference data changes while the service runs.
        var references = referenceData.Current;
        // The calendar as stored now: a holiday notice entered on any node counts from this decision on.
        var calendar = await live.LoadAsync(session, cancellation);
        var reading = new CommandReading(check, occurredAt, references, calendar, supervision.Value.AllowDeadlinesOnDaysOff);
        var command = read(request, reading);
        if (!check.IsValid || command is null || issueId is null) return (Problems.Invalid(check.Errors), None);
        return await Decide(http, id, issueId.Value, ifMatch, expectedVersion, occurredAt, session, calendar, references, reading, command);
    }

    /// <summary>404 → 403 → stale version (409 body, 412 If-Match) → the decision: once the request's fields are all valid.</summary>
    private async Task<(IResult, OutgoingMessages)> Decide<TCommand>(HttpContext http, string id, Guid issueId, long? ifMatch,
        long? expectedVersion, DateTimeOffset occurredAt, IDocumentSession session, WorkingCalendar calendar,
        DistrictReferenceData references, CommandReading reading, TCommand command)
        where TCommand : class, IIssueCommand
    {
        var cancellation = http.RequestAborted;
        var actor = ApiKeyAuthentication.ActorOf(http);

        // Marten refuses to fetch the all-zero id (it throws); no issue has it, so it is unknown like any other.
        if (issueId == Guid.Empty) return (Problems.NotFound("issue", id), None);
        var stream = await session.Events.FetchForWriting<Issue>(issueId, cancellation);
        var issue = stream.Aggregate;
        if (issue is null) return (Problems.NotFound("issue", id), None);

        // The access table's refusal of the caller's role (RouteAccess), then the command's own rule.
        if ((Identity.Access.RouteAccessMiddleware.DeferredRefusal(http) ?? command.Forbidden(issue, actor)) is { } forbidden)
            return (Problems.Forbidden(forbidden), None);

        if (ifMatch is not null && ifMatch != issue.Version)
            return (Stale(StatusCodes.Status412PreconditionFailed, "If-Match", ifMatch.Value, issue), None);
        if (expectedVersion is not null && expectedVersion != issue.Version)
            return (Stale(StatusCodes.Status409Conflict, "version", expectedVersion.Value, issue), None);

        switch (IssueDecider.Decide(issue, command, new DecisionContext(actor, occurredAt, calendar, references)))
        {
            case Decision.Appended appended:
                // Saved by Wolverine's transactional middleware after this returns; a command that raced us
                // to this version makes that save fail, which ConcurrencyConflicts answers with 409.
                stream.AppendMany(appended.Events.Cast<object>().ToArray());
                var (next, cascades) = Cascades(issue, appended.Events, calendar);
                http.Response.Headers.ETag = ETag(next.Version);
                return (TypedResults.Ok(new IssueCommandResponse(next.Id, next.Version, next.Status, next.UnitId, next.Deadline,
                    reading.Warnings.Count > 0 ? reading.Warnings : null)), cascades);
            case Decision.Refused refused:
                return (StateConflict(issue, command.Kind, refused), None);
            case Decision.Invalid invalid:
                return (Problems.Invalid(invalid.Errors), None);
            case Decision.Unprocessable unprocessable:
                return (TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>
                {
                    [unprocessable.Field] = [unprocessable.Reason]
                })
                {
                    Status = StatusCodes.Status422UnprocessableEntity,
                    Title = "The request does not fit this issue.",
                    Detail = $"{unprocessable.Field}: {unprocessable.Reason}",
                    Type = "https://rectify.invalid/problems/unprocessable"
                }), None);
            case var other:
                throw new InvalidOperationException($"Unknown decision {other.GetType().Name}.");
        }
    }

    /// <summary>
    /// What the appended events set in motion: deliveries to the receiving unit's side, and the supervision checks
    /// of every clock they start, scheduled durably for the end of its due date.
    /// </summary>
    private (Issue Next, OutgoingMessages Cascades) Cascades(Issue issue, IReadOnlyList<IIssueEvent> events, WorkingCalendar calendar)
    {
        var cascades = new OutgoingMessages();
        var state = issue;
        foreach (var e in events)
        {
            var before = state;
            state = Issue.Next(state, e);
            if (Deliveries.For(e, state) is { } delivery) cascades.Add(delivery);
            foreach (var check in Clocks.StartedBy(e, before, calendar, supervision.Value))
                cascades.Add(Clocks.Schedule(check, calendar, supervision.Value));
        }
        return (state, cascades);
    }

    public static string ETag(long version) => $"\"{version}\"";

    public static Guid? ParseId(string id, Action<string, string> fail)
    {
        if (Guid.TryParse(id, out var parsed)) return parsed;
        fail("id", "The issue id in the path must be a UUID.");
        return null;
    }

    private static long? ParseIfMatch(HttpContext http, Action<string, string> fail)
    {
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*") return null;
        if (header.Contains(','))
        {
            // Each command acts on one known version; a list of versions would leave which one unsaid.
            fail("If-Match", "Must be one ETag returned by GET, such as \"3\", not a list.");
            return null;
        }
        var text = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (long.TryParse(text.Trim('"'), out var version) && version > 0) return version;
        fail("If-Match", "Must be an ETag returned by GET, such as \"3\".");
        return null;
    }

    // A version behind the issue's is stale (someone acted since it was read); one ahead was never stored, which a retry
    // after a re-read does not explain: the client holds a version from elsewhere, so it is named for what it is.
    private static IResult Stale(int status, string source, long given, Issue issue) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = status,
            Title = given > issue.Version ? "That version of the issue does not exist." : "The issue has changed since you read it.",
            Detail = given > issue.Version
                ? $"{source} {given} is ahead of the issue, which is at version {issue.Version} and is '{Kebab.Of(issue.Status)}': no such version was ever stored. Send the version you read."
                : $"{source} {given} is stale: the issue is at version {issue.Version} and is '{Kebab.Of(issue.Status)}'. Read it again and retry.",
            Type = given > issue.Version ? "https://rectify.invalid/problems/version-ahead" : "https://rectify.invalid/problems/stale-version",
            Extensions =
            {
                ["currentVersion"] = issue.Version,
                ["currentStatus"] = Kebab.Of(issue.Status)
            }
        });

    private static IResult StateConflict(Issue issue, IssueCommand command, Decision.Refused refused) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = $"'{Kebab.Of(command)}' is not allowed while the issue is '{Kebab.Of(issue.Status)}'.",
            Detail = refused.Reason,
            Type = "https://rectify.invalid/problems/invalid-transition",
            Extensions =
            {
                ["currentStatus"] = Kebab.Of(issue.Status),
                ["currentVersion"] = issue.Version,
                ["allowedCommands"] = refused.Allowed.Select(c => Kebab.Of(c)).ToArray()
            }
        });
}

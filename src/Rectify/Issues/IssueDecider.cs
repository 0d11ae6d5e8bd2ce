using Rectify.Calendar;
using Rectify.Identity;
using Rectify.ReferenceData;

namespace Rectify.Issues;

/// <summary>What a decision may consult besides the issue: who acts, when, and the district's calendar and reference data.</summary>
public sealed record DecisionContext(Actor Actor, DateTimeOffset Now, WorkingCalendar Calendar, DistrictReferenceData References)
{
    /// <summary>Working days to deal with a problem that needs coordination: 3个工作日内处置到位.</summary>
    public const int HandlingWorkingDays = 3;

    public DateOnly HandlingDeadline() => Calendar.DeadlineAfter(Now, HandlingWorkingDays);

    /// <summary>Whether a deadline counted from now was counted over a year without holiday data.</summary>
    public bool IsProvisional(DateOnly counted) => Calendar.IsProvisional(Now, counted);
    public DateOnly Today => WorkingCalendar.ShanghaiDate(Now);

    /// <summary>The id of a routing act recorded as the next event of <paramref name="issue"/>.</summary>
    public static Guid NextRoutingId(Issue issue) => RoutingIds.For(issue.Id, issue.Version + 1);

    /// <summary>The id of what the issue's event number Version + <paramref name="offset"/> starts (a deadline, an outcome).</summary>
    public static Guid NextId(Issue issue, string purpose, int offset = 1) => ActIds.For(issue.Id, issue.Version + offset, purpose);
}

/// <summary>A lifecycle command on an existing issue: a pure decision from state and time to events.</summary>
public interface IIssueCommand
{
    IssueCommand Kind { get; }

    /// <summary>Why <paramref name="actor"/> may not do this to this issue, or null when they may.</summary>
    string? Forbidden(Issue issue, Actor actor);

    /// <summary>Called only when the lifecycle allows the command in the issue's state.</summary>
    Decision Decide(Issue issue, DecisionContext context);
}

public abstract record Decision
{
    public static Decision Append(params IIssueEvent[] events) => new Appended(events);

    /// <summary>The events to append.</summary>
    public sealed record Appended(IReadOnlyList<IIssueEvent> Events) : Decision;

    /// <summary>Not allowed in the current state (409).</summary>
    public sealed record Refused(string Reason, IReadOnlyList<IssueCommand> Allowed) : Decision;

    /// <summary>Fields this issue's state makes required are missing or bad (400, naming each), e.g. an escalation's measures.</summary>
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : Decision;

    /// <summary>Well-formed, but a field does not fit this issue (422), e.g. another town's office.</summary>
    public sealed record Unprocessable(string Field, string Reason) : Decision;
}

public static class IssueDecider
{
    public static Decision Decide(Issue issue, IIssueCommand command, DecisionContext context)
    {
        if (!IssueLifecycle.Allows(issue, command.Kind))
            return new Decision.Refused(IssueLifecycle.Why(issue, command.Kind), IssueLifecycle.AllowedCommands(issue));
        // Acts are recorded in the order they happened: a back-filled act may not predate the history.
        if (context.Now < issue.LastActAt)
            return new Decision.Unprocessable("occurredAt", $"Must not be before the issue's latest act ({issue.LastActAt:O}).");
        return command.Decide(issue, context);
    }
}

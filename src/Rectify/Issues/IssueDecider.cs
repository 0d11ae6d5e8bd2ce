using Rectify.Calendar;
using Rectify.Identity;

namespace Rectify.Issues;

public sealed record DecisionContext(Actor Actor, DateTimeOffset Now, WorkingCalendar Calendar)
{
    /// <summary>Working days to deal with a problem that needs coordination: 3个工作日内处置到位.</summary>
    public const int HandlingWorkingDays = 3;

    public DateOnly HandlingDeadline() => Calendar.DeadlineAfter(Now, HandlingWorkingDays);
    public DateOnly Today => WorkingCalendar.ShanghaiDate(Now);
}

/// <summary>A lifecycle command on an existing issue: a pure decision from state and time to events.</summary>
public interface IIssueCommand
{
    IssueCommand Kind { get; }

    /// <summary>Why <paramref name="actor"/> may not do this to this issue, or null when they may.</summary>
    string? Forbidden(Issue issue, Actor actor);

    /// <summary>The events; called only when the lifecycle allows the command in the issue's state.</summary>
    IReadOnlyList<IIssueEvent> Decide(Issue issue, DecisionContext context);
}

public abstract record Decision
{
    public sealed record Appended(IReadOnlyList<IIssueEvent> Events) : Decision;

    public sealed record Refused(string Reason, IReadOnlyList<IssueCommand> Allowed) : Decision;
}

public static class IssueDecider
{
    public static Decision Decide(Issue issue, IIssueCommand command, DecisionContext context) =>
        IssueLifecycle.Allows(issue, command.Kind)
            ? new Decision.Appended(command.Decide(issue, context))
            : new Decision.Refused(IssueLifecycle.Why(issue, command.Kind), IssueLifecycle.AllowedCommands(issue));
}

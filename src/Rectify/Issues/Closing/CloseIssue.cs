using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Closing;

/// <summary>
/// 销号: struck off the ledger after the resident's feedback. When the resident could not be reached,
/// only a district supervisor may strike it off. Who may: <see cref="CloseDuties"/>.
/// </summary>
public sealed record CloseIssue : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Close;

    public static CloseIssue Read(CommandReading r) => new();

    public string? Forbidden(Issue issue, Actor actor) => CloseDuties.Check(issue, actor);

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueClosed(issue.Id, issue.Outcome!.Value, issue.Satisfaction!.Value, context.Actor, context.Now));
}

public static class CloseIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/close")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, CloseIssue.Read);
}

using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Calendar;
using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.ResolvingOnSpot;

/// <summary>当场解决: settled at the visit by agreement; it never enters the ledger.</summary>
[Description("Settled on the day of collection, without going through the ledger.")]
public sealed record ResolveOnSpotRequest : IssueCommandRequest
{
    [Required, Description("What was done on the spot (at most 2,000 characters)."), Example("当场协调解决")]
    public string? Outcome { get; init; }
}

public sealed record ResolveOnSpot(string Outcome) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.ResolveOnSpot;

    public static ResolveOnSpot? Read(ResolveOnSpotRequest request, CommandReading r) =>
        r.Check.Required("outcome", request.Outcome, 2000) is { } outcome ? new ResolveOnSpot(outcome) : null;

    public string? Forbidden(Issue issue, Actor actor) =>
        actor.IsSupervisor || IssuePermissions.TownOfficeOf(actor, issue.TownId) || IssuePermissions.VisitorOf(actor, issue.TownId)
            ? null
            : $"Only a visitor or office of town {issue.TownId}, or a district supervisor, may resolve this issue on the spot.";

    /// <summary>
    /// On the spot means on the (Asia/Shanghai) day of collection: a settlement dated later would rewrite figures
    /// already served for the days between, so after that day the issue goes through the ledger.
    /// </summary>
    public Decision Decide(Issue issue, DecisionContext context) =>
        context.Today != WorkingCalendar.ShanghaiDate(issue.CollectedAt)
            ? new Decision.Unprocessable("occurredAt",
                $"An issue is resolved on the spot only on the day it was collected ({WorkingCalendar.ShanghaiDate(issue.CollectedAt):yyyy-MM-dd}, Asia/Shanghai); " +
                $"this act is dated {context.Today:yyyy-MM-dd}. After that day the issue goes through the ledger (assign or escalate).")
            : Decision.Append(new IssueResolvedOnSpot(issue.Id, Outcome, context.Actor, context.Now));
}

public static class ResolveOnSpotEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/resolve-on-spot")]
    [Tags("Issues"), EndpointSummary("Resolve an issue on the spot, on the day it was collected")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, ResolveOnSpotRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, ResolveOnSpot.Read);
}

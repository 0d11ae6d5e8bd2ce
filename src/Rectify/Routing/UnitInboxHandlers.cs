using Marten;
using Microsoft.Extensions.Options;
using Rectify.Calendar;
using Rectify.Issues;
using Rectify.Supervision;
using Wolverine;

namespace Rectify.Routing;

/// <summary>The town side: records what was routed to a town office in that office's inbox.</summary>
public static class TownOfficeInboxHandler
{
    public static Task<OutgoingMessages> Handle(DeliverToTownOffice message, IDocumentSession session, WorkingCalendar calendar,
        TimeProvider clock, IOptions<RoutingOptions> options, IOptions<SupervisionOptions> supervision, ILogger<DeliverToTownOffice> logger,
        CancellationToken cancellation) =>
        UnitInbox.Receive(message.IssueId, message.UnitId, message.RoutingId, session, calendar, clock, options.Value, supervision.Value, logger, cancellation);
}

/// <summary>The department side: records what was escalated or assigned to a department in its inbox (照单全收).</summary>
public static class DepartmentInboxHandler
{
    public static Task<OutgoingMessages> Handle(DeliverToDepartment message, IDocumentSession session, WorkingCalendar calendar,
        TimeProvider clock, IOptions<RoutingOptions> options, IOptions<SupervisionOptions> supervision, ILogger<DeliverToDepartment> logger,
        CancellationToken cancellation) =>
        UnitInbox.Receive(message.IssueId, message.DepartmentId, message.RoutingId, session, calendar, clock, options.Value, supervision.Value, logger, cancellation);
}

internal static class UnitInbox
{
    /// <summary>Records the routing in the unit's inbox and starts its acceptance clock.</summary>
    public static async Task<OutgoingMessages> Receive(Guid issueId, string unitId, Guid routingId, IDocumentSession session, WorkingCalendar calendar,
        TimeProvider clock, RoutingOptions options, SupervisionOptions supervision, ILogger logger, CancellationToken cancellation)
    {
        var messages = new OutgoingMessages();
        var issue = await session.Events.FetchLatest<Issue>(issueId, cancellation);
        if (issue is null)
        {
            logger.LogWarning("Delivery to {UnitId} for unknown issue {IssueId} ignored", unitId, issueId);
            return messages;
        }

        var received = await session.LoadAsync<InboxEntry>(routingId, cancellation);
        var entry = Deliveries.Receive(issue, received, unitId, routingId, clock.GetUtcNow(), calendar, options.AcceptanceWorkingDays);
        // Insert, not upsert: two deliveries of one routing racing each other store it once; the loser's
        // unique-key failure is retried by Wolverine and then finds the entry.
        if (entry is null) return messages;
        session.Insert(entry);
        messages.Add(Clocks.Schedule(new CheckClock(issueId, SupervisionClock.Acceptance, routingId, entry.AcceptBy, 1), calendar, supervision));
        return messages;
    }
}

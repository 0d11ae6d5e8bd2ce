using Marten;
using Microsoft.Extensions.Options;
using Rectify.Calendar;
using Rectify.Issues;
using Rectify.Supervision;

namespace Rectify.Routing;

/// <summary>The town side: records what was routed to a town office in that office's inbox.</summary>
public static class TownOfficeInboxHandler
{
    public static Task Handle(DeliverToTownOffice message, IDocumentSession session, LiveCalendar calendar,
        TimeProvider clock, IOptions<SupervisionOptions> supervision, ILogger<DeliverToTownOffice> logger, CancellationToken cancellation) =>
        UnitInbox.Receive(message.IssueId, message.UnitId, message.RoutingId, message.RoutedAt, session, calendar, clock, supervision.Value, logger, cancellation);
}

/// <summary>The department side: records what was escalated or assigned to a department in its inbox (照单全收).</summary>
public static class DepartmentInboxHandler
{
    public static Task Handle(DeliverToDepartment message, IDocumentSession session, LiveCalendar calendar,
        TimeProvider clock, IOptions<SupervisionOptions> supervision, ILogger<DeliverToDepartment> logger, CancellationToken cancellation) =>
        UnitInbox.Receive(message.IssueId, message.DepartmentId, message.RoutingId, message.RoutedAt, session, calendar, clock, supervision.Value, logger, cancellation);
}

internal static class UnitInbox
{
    /// <summary>Records the routing in the unit's inbox (its acceptance clock was started with the routing act).</summary>
    public static async Task Receive(Guid issueId, string unitId, Guid routingId, DateTimeOffset routedAt, IDocumentSession session,
        LiveCalendar live, TimeProvider clock, SupervisionOptions supervision, ILogger logger, CancellationToken cancellation)
    {
        var issue = await session.Events.FetchLatest<Issue>(issueId, cancellation);
        if (issue is null)
        {
            logger.LogWarning("Delivery to {UnitId} for unknown issue {IssueId} ignored", unitId, issueId);
            return;
        }

        var received = await session.LoadAsync<InboxEntry>(routingId, cancellation);
        var calendar = await live.LoadAsync(session, cancellation);
        var entry = Deliveries.Receive(issue, received, unitId, routingId, routedAt, clock.GetUtcNow(), calendar, supervision.AcceptanceWorkingDays);
        // A calendar change that moved this acceptance clock before the delivery arrived: the inbox shows the new date.
        if (entry is not null && issue.MovedDueDate(SupervisionClock.Acceptance, routingId) is { } moved) entry.AcceptBy = moved;
        // Insert, not upsert: two deliveries of one routing racing each other store it once; the loser's
        // unique-key failure is retried by Wolverine and then finds the entry.
        if (entry is not null) session.Insert(entry);
    }
}

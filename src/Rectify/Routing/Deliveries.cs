using Rectify.Issues;
using Rectify.ReferenceData;

namespace Rectify.Routing;

/// <summary>To the town side: an issue was routed to one of the town's offices (镇街层面).</summary>
public sealed record DeliverToTownOffice(Guid IssueId, string TownId, string UnitId, Guid RoutingId, DateTimeOffset RoutedAt);

/// <summary>To the department side: an issue was routed to a district department (部门报到).</summary>
public sealed record DeliverToDepartment(Guid IssueId, string DepartmentId, Guid RoutingId, DateTimeOffset RoutedAt);

public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>With RabbitMQ: the prefix of Rectify's exchange and queue names.</summary>
    public string RabbitMqPrefix { get; set; } = "rectify";

    /// <summary>With RabbitMQ: departments whose own systems consume their queue, so Rectify does not listen to it.</summary>
    public string[] ExternalDepartments { get; set; } = [];
}

public static class Deliveries
{
    /// <summary>The message each routing act cascades to the receiving unit's side.</summary>
    public static object? For(IIssueEvent routed, Issue issue) => routed switch
    {
        IssueAssigned { UnitKind: UnitKind.TownOffice } a => new DeliverToTownOffice(a.IssueId, issue.TownId, a.UnitId, a.RoutingId, a.OccurredAt),
        IssueAssigned a => new DeliverToDepartment(a.IssueId, a.UnitId, a.RoutingId, a.OccurredAt),
        IssueEscalated e => new DeliverToDepartment(e.IssueId, e.DepartmentId, e.RoutingId, e.OccurredAt),
        IssueRerouted r => new DeliverToDepartment(r.IssueId, r.ToDepartmentId, r.RoutingId, r.OccurredAt),
        _ => null
    };

    /// <summary>
    /// Receiving a routed issue into the unit's inbox. Idempotent in the domain: a routing already received, or
    /// replaced since (reassigned, re-routed, returned), stores nothing. The acceptance date counts from the routing
    /// act itself, as its supervision clock does, whenever the delivery arrives.
    /// </summary>
    public static InboxEntry? Receive(Issue issue, InboxEntry? alreadyReceived, string unitId, Guid routingId, DateTimeOffset routedAt,
        DateTimeOffset now, Calendar.WorkingCalendar calendar, int acceptanceWorkingDays)
    {
        if (alreadyReceived is not null || issue.RoutingId != routingId || issue.UnitId != unitId) return null;
        return new InboxEntry
        {
            Id = routingId,
            IssueId = issue.Id,
            UnitId = unitId,
            UnitKind = issue.UnitKind!.Value,
            TownId = issue.TownId,
            ReceivedAt = now,
            AcceptBy = calendar.DeadlineAfter(routedAt, acceptanceWorkingDays)
        };
    }
}

/// <summary>
/// One routing act as received by the unit's side: the entry in its inbox (台账 of what it must take on).
/// Kept apart from the issue's stream so that receiving does not change the version other systems act on.
/// </summary>
public sealed class InboxEntry
{
    /// <summary>The routing act's id (see RoutingIds): one entry per routing, whatever the number of deliveries.</summary>
    public Guid Id { get; set; }
    public Guid IssueId { get; set; }
    public string UnitId { get; set; } = "";
    public UnitKind UnitKind { get; set; }
    public string TownId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>End of the acceptance clock (签收时限), in working days from the routing act (not from receipt).</summary>
    public DateOnly AcceptBy { get; set; }
}
